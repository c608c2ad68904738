#include "server/http/nodes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "model/object_def.hpp"
#include "server/http/crypto.hpp"

namespace tl::server::http {

namespace {

using store::Path;
using store::Sample;
using store::Value;
using store::ValueType;

constexpr std::size_t kMaxValues = 10'000;

const model::ResourceDef* ddf_resource(Path path) {
  if (path.depth() < 3) return nullptr;
  const auto* object = model::find_object(path.id(0));
  if (object == nullptr) return nullptr;
  return model::find_resource(*object, path.id(2));
}

Path child(Path parent, std::uint16_t id) {
  const int d = parent.depth();
  std::uint16_t ids[4] = {0, 0, 0, 0};
  for (int i = 0; i < d; ++i) ids[i] = parent.id(i);
  ids[d] = id;
  return Path::of(d + 1, ids[0], ids[1], ids[2], ids[3]);
}

std::optional<std::uint16_t> json_id(const Json& node) {
  const auto it = node.find("id");
  if (it == node.end()) return std::nullopt;
  if (!it->is_number_integer() && !it->is_number_unsigned()) return std::nullopt;
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    if (v > Path::kMaxId) return std::nullopt;
    return static_cast<std::uint16_t>(v);
  }
  const auto v = it->get<std::int64_t>();
  if (v < 0 || v > Path::kMaxId) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

Problem bad(std::string error, std::string hint = {}) {
  return Problem{400, std::move(error), std::move(hint)};
}

const char* kNodeHint =
    "send a node like {\"kind\":\"singleResource\",\"id\":5700,\"type\":\"float\",\"value\":21.5} "
    "or {\"kind\":\"instance\",\"id\":0,\"resources\":[...]}";

// A node's "id" when present must be `expected`.
std::optional<Problem> check_id(const Json& node, std::uint16_t expected, std::string_view what) {
  if (!node.contains("id")) return std::nullopt;
  const auto id = json_id(node);
  if (!id) return bad(std::string(what) + " id must be an integer 0..65534");
  if (*id != expected) {
    return bad(std::string(what) + " id " + std::to_string(*id) + " does not match the path (" +
               std::to_string(expected) + ")");
  }
  return std::nullopt;
}

std::optional<ValueType> node_type(const Json& node, Path path, std::optional<Problem>& problem) {
  const auto it = node.find("type");
  if (it != node.end()) {
    if (!it->is_string()) {
      problem = bad("\"type\" must be a string");
      return std::nullopt;
    }
    const auto t = type_from_name(it->get<std::string>());
    if (!t) {
      problem = bad("unknown type \"" + it->get<std::string>() + "\"",
                    "one of string, integer, unsigned, float, boolean, opaque, time, objlnk");
    }
    return t;
  }
  return ddf_type(path);
}

std::optional<Problem> add_value(std::vector<Sample>& out, Path path, const Json& json,
                                 std::optional<ValueType> type) {
  if (out.size() >= kMaxValues) return bad("too many values in one request (at most 10000)");
  auto converted = value_from_json(json, type);
  if (auto* error = std::get_if<std::string>(&converted)) {
    return bad(path.to_string() + ": " + *error);
  }
  out.push_back(Sample{0, path, 0, std::move(std::get<Value>(converted))});
  return std::nullopt;
}

// A resource node ("singleResource", "multiResource" or no kind) for the resource at `path`.
std::optional<Problem> resource_samples(std::vector<Sample>& out, Path path, const Json& node) {
  if (!node.is_object()) return bad("a resource node must be a JSON object", kNodeHint);
  if (auto p = check_id(node, path.id(2), "resource")) return p;
  std::string kind = node.value("kind", std::string{});
  if (kind.empty()) kind = node.contains("values") ? "multiResource" : "singleResource";
  std::optional<Problem> problem;
  const auto type = node_type(node, path, problem);
  if (problem) return problem;
  if (kind == "singleResource") {
    const auto it = node.find("value");
    if (it == node.end()) return bad(path.to_string() + ": a singleResource needs \"value\"");
    return add_value(out, path, *it, type);
  }
  if (kind == "multiResource") {
    const auto it = node.find("values");
    if (it == node.end() || !it->is_object()) {
      return bad(path.to_string() + ": a multiResource needs \"values\" as an object",
                 "e.g. \"values\":{\"0\":1,\"1\":5}");
    }
    for (const auto& [key, value] : it->items()) {
      std::uint32_t ri = 0;
      if (key.empty() || key.size() > 5 ||
          !std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
          (ri = static_cast<std::uint32_t>(std::stoul(key))) > Path::kMaxId) {
        return bad(path.to_string() + ": resource instance id \"" + key +
                   "\" is not an integer 0..65534");
      }
      if (auto p = add_value(out, child(path, static_cast<std::uint16_t>(ri)), value, type)) {
        return p;
      }
    }
    return std::nullopt;
  }
  return bad("unexpected node kind \"" + kind + "\" for resource " + path.to_string(), kNodeHint);
}

std::optional<Problem> instance_samples(std::vector<Sample>& out, Path path, const Json& node) {
  if (!node.is_object()) return bad("an instance node must be a JSON object", kNodeHint);
  const std::string kind = node.value("kind", std::string{"instance"});
  if (kind != "instance") {
    return bad("expected an instance node for " + path.to_string() + ", got \"" + kind + "\"",
               kNodeHint);
  }
  const auto it = node.find("resources");
  if (it == node.end() || !it->is_array()) {
    return bad(path.to_string() + ": an instance needs \"resources\" as an array", kNodeHint);
  }
  for (const auto& resource : *it) {
    if (!resource.is_object()) return bad("each resource must be a JSON object", kNodeHint);
    const auto id = json_id(resource);
    if (!id) return bad("each resource needs an \"id\" (integer 0..65534)", kNodeHint);
    if (auto p = resource_samples(out, child(path, *id), resource)) return p;
  }
  return std::nullopt;
}

}  // namespace

std::string_view type_name(ValueType type) { return store::to_string(type); }

std::optional<ValueType> type_from_name(std::string_view name) {
  if (name == "string") return ValueType::string;
  if (name == "integer") return ValueType::integer;
  if (name == "unsigned" || name == "unsigned_integer") return ValueType::unsigned_integer;
  if (name == "float") return ValueType::floating;
  if (name == "boolean") return ValueType::boolean;
  if (name == "opaque") return ValueType::opaque;
  if (name == "time") return ValueType::time;
  if (name == "objlnk") return ValueType::objlnk;
  return std::nullopt;
}

std::optional<ValueType> ddf_type(Path path) {
  const auto* resource = ddf_resource(path);
  if (resource == nullptr) return std::nullopt;
  using W = model::ValueType;
  switch (resource->type) {
    case W::string: return ValueType::string;
    case W::corelnk: return ValueType::string;
    case W::integer: return ValueType::integer;
    case W::unsigned_integer: return ValueType::unsigned_integer;
    case W::floating: return ValueType::floating;
    case W::boolean: return ValueType::boolean;
    case W::opaque: return ValueType::opaque;
    case W::time: return ValueType::time;
    case W::objlnk: return ValueType::objlnk;
    case W::none: return std::nullopt;
  }
  return std::nullopt;
}

bool ddf_multiple(Path path) {
  const auto* resource = ddf_resource(path);
  return resource != nullptr && resource->multiple;
}

Json value_to_json(const Value& value) {
  return std::visit(
      [](const auto& v) -> Json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(v)) return nullptr;
          return v;
        } else if constexpr (std::is_same_v<T, store::Opaque>) {
          return to_hex(v);
        } else if constexpr (std::is_same_v<T, store::Time>) {
          return v.seconds;
        } else if constexpr (std::is_same_v<T, store::ObjLink>) {
          return std::to_string(v.object) + ":" + std::to_string(v.instance);
        } else {
          return v;
        }
      },
      value);
}

std::variant<Value, std::string> value_from_json(const Json& json,
                                                 std::optional<ValueType> type) {
  if (!type) {
    if (json.is_string()) return Value{json.get<std::string>()};
    if (json.is_boolean()) return Value{json.get<bool>()};
    if (json.is_number_unsigned()) {
      const auto v = json.get<std::uint64_t>();
      if (v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return Value{static_cast<std::int64_t>(v)};
      }
      return Value{v};
    }
    if (json.is_number_integer()) return Value{json.get<std::int64_t>()};
    if (json.is_number_float()) return Value{json.get<double>()};
    return std::string("a value must be a string, number or boolean");
  }
  switch (*type) {
    case ValueType::string:
      if (!json.is_string()) return std::string("expected a string");
      return Value{json.get<std::string>()};
    case ValueType::integer:
      if (json.is_number_unsigned()) {
        const auto v = json.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          return std::string("integer out of range (signed 64-bit)");
        }
        return Value{static_cast<std::int64_t>(v)};
      }
      if (json.is_number_integer()) return Value{json.get<std::int64_t>()};
      return std::string("expected an integer");
    case ValueType::unsigned_integer:
      if (json.is_number_unsigned()) return Value{json.get<std::uint64_t>()};
      if (json.is_number_integer()) return std::string("expected an unsigned integer (>= 0)");
      return std::string("expected an unsigned integer");
    case ValueType::floating:
      if (json.is_number()) return Value{json.get<double>()};
      return std::string("expected a number");
    case ValueType::boolean:
      if (json.is_boolean()) return Value{json.get<bool>()};
      return std::string("expected true or false");
    case ValueType::opaque: {
      std::vector<std::uint8_t> bytes;
      if (!json.is_string() || !from_hex(json.get<std::string>(), bytes)) {
        return std::string("expected opaque bytes as hex text, e.g. \"0a1b\"");
      }
      return Value{store::Opaque(std::move(bytes))};
    }
    case ValueType::time:
      if (json.is_number_unsigned()) {
        const auto v = json.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          return std::string("time out of range");
        }
        return Value{store::Time{static_cast<std::int64_t>(v)}};
      }
      if (json.is_number_integer()) return Value{store::Time{json.get<std::int64_t>()}};
      return std::string("expected a time as integer seconds since 1970");
    case ValueType::objlnk: {
      if (json.is_object()) {
        const auto o = json.find("objectId");
        const auto i = json.find("objectInstanceId");
        if (o != json.end() && i != json.end() && o->is_number_unsigned() &&
            i->is_number_unsigned() && o->get<std::uint64_t>() <= 65535 &&
            i->get<std::uint64_t>() <= 65535) {
          return Value{store::ObjLink{static_cast<std::uint16_t>(o->get<std::uint64_t>()),
                                      static_cast<std::uint16_t>(i->get<std::uint64_t>())}};
        }
      } else if (json.is_string()) {
        const auto text = json.get<std::string>();
        const auto colon = text.find(':');
        auto parse = [](std::string_view s, std::uint16_t& out) {
          if (s.empty() || s.size() > 5) return false;
          std::uint32_t v = 0;
          for (char c : s) {
            if (c < '0' || c > '9') return false;
            v = v * 10 + static_cast<std::uint32_t>(c - '0');
          }
          if (v > 65535) return false;
          out = static_cast<std::uint16_t>(v);
          return true;
        };
        store::ObjLink link;
        if (colon != std::string::npos &&
            parse(std::string_view(text).substr(0, colon), link.object) &&
            parse(std::string_view(text).substr(colon + 1), link.instance)) {
          return Value{link};
        }
      }
      return std::string("expected an object link as \"3:0\"");
    }
  }
  return std::string("unknown type");
}

namespace {

Json resource_node(Path path, std::vector<const Sample*>& samples) {
  // samples: those under `path` (depth 3), sorted.
  const bool multiple =
      ddf_multiple(path) || std::any_of(samples.begin(), samples.end(),
                                        [](const Sample* s) { return s->path.depth() == 4; });
  Json node;
  node["id"] = path.id(2);
  if (!multiple) {
    node["kind"] = "singleResource";
    if (!samples.empty()) {
      node["type"] = type_name(store::type_of(samples.front()->value));
      node["value"] = value_to_json(samples.front()->value);
    }
    return node;
  }
  node["kind"] = "multiResource";
  Json values = Json::object();
  for (const Sample* s : samples) {
    if (s->path.depth() != 4) continue;
    if (!node.contains("type")) node["type"] = type_name(store::type_of(s->value));
    values[std::to_string(s->path.id(3))] = value_to_json(s->value);
  }
  if (!node.contains("type")) {
    if (auto t = ddf_type(path)) node["type"] = type_name(*t);
  }
  node["values"] = std::move(values);
  return node;
}

Json instance_node(Path path, const std::vector<const Sample*>& samples) {
  Json resources = Json::array();
  std::size_t i = 0;
  while (i < samples.size()) {
    const Path rpath = Path::of(3, path.id(0), path.id(1), samples[i]->path.id(2));
    std::vector<const Sample*> group;
    while (i < samples.size() && rpath.contains(samples[i]->path)) group.push_back(samples[i++]);
    resources.push_back(resource_node(rpath, group));
  }
  return Json{{"kind", "instance"}, {"id", path.id(1)}, {"resources", std::move(resources)}};
}

Json object_node(Path path, const std::vector<const Sample*>& samples) {
  Json instances = Json::array();
  std::size_t i = 0;
  while (i < samples.size()) {
    const Path ipath = Path::of(2, path.id(0), samples[i]->path.id(1));
    std::vector<const Sample*> group;
    while (i < samples.size() && ipath.contains(samples[i]->path)) group.push_back(samples[i++]);
    instances.push_back(instance_node(ipath, group));
  }
  return Json{{"kind", "obj"}, {"id", path.id(0)}, {"instances", std::move(instances)}};
}

}  // namespace

Json node_from_samples(Path path, const std::vector<Sample>& samples) {
  std::vector<const Sample*> under;
  for (const auto& s : samples) {
    // Values at a shallower level than their node cannot be placed in it.
    if (path.contains(s.path) && s.path.depth() >= std::max(path.depth(), 3)) under.push_back(&s);
  }
  std::sort(under.begin(), under.end(),
            [](const Sample* a, const Sample* b) { return a->path < b->path; });
  switch (path.depth()) {
    case 4: {
      if (under.empty()) return nullptr;
      return Json{{"kind", "resourceInstance"},
                  {"id", path.id(3)},
                  {"type", type_name(store::type_of(under.front()->value))},
                  {"value", value_to_json(under.front()->value)}};
    }
    case 3:
      if (under.empty() && !ddf_multiple(path)) return nullptr;
      return resource_node(path, under);
    case 2:
      if (under.empty()) return nullptr;
      return instance_node(path, under);
    case 1:
      if (under.empty()) return nullptr;
      return object_node(path, under);
    default: {
      if (under.empty()) return nullptr;
      Json objects = Json::array();
      std::size_t i = 0;
      while (i < under.size()) {
        const Path opath = Path::of(1, under[i]->path.id(0));
        std::vector<const Sample*> group;
        while (i < under.size() && opath.contains(under[i]->path)) group.push_back(under[i++]);
        objects.push_back(object_node(opath, group));
      }
      return objects;
    }
  }
}

Json samples_to_json(const std::vector<Sample>& samples) {
  Json out = Json::array();
  for (const auto& s : samples) {
    out.push_back({{"path", s.path.to_string()},
                   {"time", s.time_ms},
                   {"type", type_name(store::type_of(s.value))},
                   {"value", value_to_json(s.value)}});
  }
  return out;
}

std::variant<std::vector<Sample>, Problem> samples_from_node(Path target, const Json& body) {
  std::vector<Sample> out;
  std::optional<Problem> problem;
  if (!body.is_object()) return bad("the body must be a JSON object (a node)", kNodeHint);
  switch (target.depth()) {
    case 4: {
      const std::string kind = body.value("kind", std::string{"resourceInstance"});
      if (kind != "resourceInstance") {
        return bad("expected a resourceInstance node for " + target.to_string(), kNodeHint);
      }
      if (auto p = check_id(body, target.id(3), "resource instance")) return *p;
      const auto it = body.find("value");
      if (it == body.end()) return bad("a resourceInstance needs \"value\"", kNodeHint);
      const auto type = node_type(body, Path::of(3, target.id(0), target.id(1), target.id(2)),
                                  problem);
      if (problem) return *problem;
      problem = add_value(out, target, *it, type);
      break;
    }
    case 3:
      problem = resource_samples(out, target, body);
      break;
    case 2:
      if (auto p = check_id(body, target.id(1), "instance")) return *p;
      problem = instance_samples(out, target, body);
      break;
    case 1: {
      const auto id = json_id(body);
      if (!id) {
        return bad("the new instance needs an \"id\" (integer 0..65534)",
                   "send {\"kind\":\"instance\",\"id\":1,\"resources\":[...]}");
      }
      problem = instance_samples(out, Path::of(2, target.id(0), *id), body);
      break;
    }
    default:
      return bad("cannot write the root path", "name an object instance or a resource");
  }
  if (problem) return *problem;
  return out;
}

}  // namespace tl::server::http
