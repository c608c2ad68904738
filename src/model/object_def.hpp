// The LwM2M data model definitions: one ObjectDef per object, one ResourceDef per resource.
// The tables are generated from the OMA DDF XML by tools/ddf2cpp.py at build time, never typed by
// hand; this header only describes their shape and how to look things up in them.
//
// Freestanding: constant-initialised data (it lands in flash on a device), no heap, no exceptions.
// Descriptions are left out on purpose: they are long and no device needs them; the server reads
// them from the host-only objects.json the same script writes. Device builds (TL_MODEL_COMPACT)
// also leave out names, URNs, ranges and units, see below.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "wire/lwm2m/value.hpp"

#ifndef TL_MODEL_COMPACT
#define TL_MODEL_COMPACT 0
#endif

namespace tl::model {

using wire::lwm2m::ValueType;

// The DDF <Operations> as bit flags. `none` is real data: object 0 (Security) is reachable only
// through bootstrap, so its resources list no operations, and object 1 v1.1 leaves 13..20 empty.
enum class Operations : uint8_t { none = 0, R = 1, W = 2, RW = 3, E = 4 };

constexpr bool has(Operations set, Operations op) {
  return (static_cast<unsigned>(set) & static_cast<unsigned>(op)) == static_cast<unsigned>(op);
}

// The layout is chosen per build, not per table: TL_MODEL_COMPACT (CMake option of the same name,
// ON by default when TL_HOST is OFF, i.e. in device builds) drops what only a host shows. Every
// translation unit of a program must see the same layout; the inline namespaces make a mix fail
// to link instead of silently reading the wrong offsets.
#if TL_MODEL_COMPACT

// Compact (device) layout: what the client engine checks requests against, 6 bytes per resource.
// name, range and units are not there at all: device code that asks for them does not compile.
inline namespace compact {

struct ResourceDef {
  uint16_t id;
  Operations operations;
  ValueType type;  // ValueType::none for executable resources
  bool multiple;   // MultipleInstances == Multiple
  bool mandatory;
};

// Constructed with the same arguments as the full layout (name, urn and lwm2m_version are taken
// and dropped), so code brace-initialising an ObjectDef compiles in both layouts. The client
// needs `version` for the `ver` attribute of Register and Discover.
struct ObjectDef {
  constexpr ObjectDef(uint16_t id_, bool multiple_instances_, bool mandatory_,
                      std::string_view /*name*/, std::string_view /*urn*/,
                      std::string_view version_, std::string_view /*lwm2m_version*/,
                      std::span<const ResourceDef> resources_)
      : id(id_),
        multiple_instances(multiple_instances_),
        mandatory(mandatory_),
        version(version_),
        resources(resources_) {}

  uint16_t id;
  bool multiple_instances;
  bool mandatory;
  std::string_view version;                // <ObjectVersion>, "1.0" when the DDF has none
  std::span<const ResourceDef> resources;  // sorted by id, ids unique
};

}  // namespace compact

#else

// Full (host) layout: everything the server shows, descriptions aside.
inline namespace full {

struct ResourceDef {
  uint16_t id;
  Operations operations;
  ValueType type;          // ValueType::none for executable resources
  bool multiple;           // MultipleInstances == Multiple
  bool mandatory;
  std::string_view name;
  std::string_view range;  // <RangeEnumeration> verbatim ("0..255", "1-65534"), may be empty
  std::string_view units;  // may be empty
};

struct ObjectDef {
  uint16_t id;
  bool multiple_instances;
  bool mandatory;
  std::string_view name;
  std::string_view urn;            // verbatim, e.g. "urn:oma:lwm2m:oma:3:1.1"
  std::string_view version;        // <ObjectVersion>, "1.0" when the DDF has none
  std::string_view lwm2m_version;  // <LWM2MVersion>
  std::span<const ResourceDef> resources;  // sorted by id, ids unique
};

}  // namespace full

#endif

// Binary search in a table sorted by id (every generated table is). nullptr when absent.
template <class Def>
constexpr const Def* find_by_id(std::span<const Def> table, uint16_t id) {
  size_t lo = 0;
  size_t hi = table.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (table[mid].id < id) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < table.size() && table[lo].id == id ? &table[lo] : nullptr;
}

constexpr const ResourceDef* find_resource(const ObjectDef& object, uint16_t rid) {
  return find_by_id(object.resources, rid);
}

// Defined by the generated table this program links: tl_model (every object in the shared
// folder) or a table made with tl_object_table() (only the objects a firmware implements).
// Declared in the layout's inline namespace too, so a table of the other layout does not link.
#if TL_MODEL_COMPACT
inline namespace compact {
#else
inline namespace full {
#endif
std::span<const ObjectDef> all_objects();  // sorted by id, ids unique
const ObjectDef* find_object(uint16_t id);
}  // namespace compact / full

}  // namespace tl::model
