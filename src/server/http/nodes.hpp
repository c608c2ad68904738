// LwM2M values and nodes as JSON, in the shapes of Leshan's demo server:
//   {"kind":"singleResource","id":5700,"type":"float","value":21.5}
//   {"kind":"multiResource","id":6,"type":"integer","values":{"0":1,"1":5}}
//   {"kind":"resourceInstance","id":0,"type":"integer","value":1}
//   {"kind":"instance","id":0,"resources":[...]}
//   {"kind":"obj","id":3,"instances":[...]}
// Value encodings: integer, unsigned and float as JSON numbers, boolean, string, opaque as hex
// text, time as integer seconds since the Unix epoch, objlnk as "3:0".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/store/path.hpp"
#include "server/store/records.hpp"

namespace tl::server::http {

using Json = nlohmann::json;

// What went wrong with a request, for {"error": ..., "hint": ...}.
struct Problem {
  unsigned status = 400;
  std::string error;
  std::string hint;
};

// "string", "integer", "unsigned", "float", "boolean", "opaque", "time", "objlnk".
std::string_view type_name(store::ValueType type);
std::optional<store::ValueType> type_from_name(std::string_view name);
// The DDF type of a resource (object/instance/resource ids of `path`); nullopt when unknown or
// not a value (executable).
std::optional<store::ValueType> ddf_type(store::Path path);
// The DDF says the resource has multiple instances.
bool ddf_multiple(store::Path path);

Json value_to_json(const store::Value& value);
// `type`: the type to convert to; nullopt: inferred from the JSON value.
std::variant<store::Value, std::string> value_from_json(const Json& json,
                                                        std::optional<store::ValueType> type);

// The node at `path` (depth 1..4) made of the samples under it (any order). Null when there is
// nothing under it.
Json node_from_samples(store::Path path, const std::vector<store::Sample>& samples);
// Flat: [{"path":"/3/0/0","time":..., "type":"string","value":"..."}].
Json samples_to_json(const std::vector<store::Sample>& samples);

// A node body for a write to `target` (depth 2: instance; 3: single or multiple resource; 4:
// resource instance) or a create on `target` (depth 1: an instance node with its id). Every value
// gets its full path; the type is the node's "type", else the DDF type, else inferred.
std::variant<std::vector<store::Sample>, Problem> samples_from_node(store::Path target,
                                                                    const Json& body);

}  // namespace tl::server::http
