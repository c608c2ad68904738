// Write/Create payloads in TLV (TS 1.1 7.4.3). The shape follows the target:
//   /o/i/r/ri  one resource instance TLV
//   /o/i/r     the resource TLV, or (multiple resource) its resource instance TLVs
//   /o/i       resource TLVs; multiple resources wrap their resource instance TLVs
//   /o         (Create) one object instance TLV per instance, holding the above
#include <algorithm>

#include "server/codec/detail.hpp"
#include "wire/lwm2m/tlv.hpp"

namespace tl::server::codec::detail {
namespace {

namespace tlv = wire::lwm2m::tlv;
using Span = std::span<const store::Sample>;

// The samples [first, end) sharing the id at `level` with *first.
Span group(Span sorted, std::size_t first, int level) {
  std::size_t end = first + 1;
  while (end < sorted.size() && sorted[end].path.id(level) == sorted[first].path.id(level)) ++end;
  return sorted.subspan(first, end - first);
}

// The resources of one instance: resource TLVs, or a multiple resource per resource whose
// samples are resource instances.
void write_resources(tlv::Writer& w, Span sorted) {
  for (std::size_t i = 0; i < sorted.size();) {
    const Span resource = group(sorted, i, 2);
    if (resource.front().path.depth() == 3) {
      w.resource(resource.front().path.id(2), to_wire(resource.front().value));
    } else {
      w.begin_multiple_resource(resource.front().path.id(2));
      for (const store::Sample& s : resource) w.resource_instance(s.path.id(3), to_wire(s.value));
      w.end();
    }
    i += resource.size();
  }
}

void write_tree(tlv::Writer& w, store::Path target, Span sorted) {
  if (target.depth() == 2) return write_resources(w, sorted);
  if (target.depth() == 1) {
    for (std::size_t i = 0; i < sorted.size();) {
      const Span instance = group(sorted, i, 1);
      w.begin_object_instance(instance.front().path.id(1));
      write_resources(w, instance);
      w.end();
      i += instance.size();
    }
    return;
  }
  // A resource or a resource instance: leaves at the top level.
  for (const store::Sample& s : sorted) {
    if (s.path.depth() == 3) {
      w.resource(s.path.id(2), to_wire(s.value));
    } else {
      w.resource_instance(s.path.id(3), to_wire(s.value));
    }
  }
}

// TLV cannot hold a value at a resource and at its instances, or one path twice.
std::optional<Failure> check_tree(Span sorted) {
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    const store::Path a = sorted[i - 1].path;
    const store::Path b = sorted[i].path;
    if (a == b) return Failure{"TLV: two values for " + a.to_string()};
    if (a.contains(b)) {
      return Failure{"TLV: " + a.to_string() + " has a value and resource instances"};
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Bytes> encode_tlv(store::Path target, std::span<const store::Sample> samples) {
  if (target.depth() == 0) return Failure{"TLV needs a target object, instance or resource"};
  std::vector<store::Sample> sorted(samples.begin(), samples.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const store::Sample& a, const store::Sample& b) { return a.path < b.path; });
  if (auto failure = check_tree(sorted)) return *failure;
  return write_growing(size_guess(samples), "TLV", [&](wire::ByteWriter& out) {
    tlv::Writer w(out);
    write_tree(w, target, sorted);
    return w.finish();
  });
}

}  // namespace tl::server::codec::detail
