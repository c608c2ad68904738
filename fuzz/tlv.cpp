// Fuzzes the TLV reader: walks the whole tree, decodes every leaf as every type, then re-encodes
// the tree with the writer and checks that reading it back gives the same leaves.
// Input: one byte choosing the base path, then the payload.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "value_types.hpp"
#include "wire/lwm2m/tlv.hpp"

using namespace tl::wire;
using namespace tl::wire::lwm2m;

namespace {

struct Leaf {
  Path path;
  Bytes value;
};

void check(bool ok) {
  if (!ok) std::abort();
}

// Records of `payload` replayed into `w`; returns the leaves, or false on a reader error.
bool walk(Bytes payload, const Path& base, tlv::Writer& w, std::vector<Leaf>& leaves) {
  tlv::Reader r(payload, base);
  std::vector<const uint8_t*> open_ends;
  while (true) {
    Result<tlv::Record> rec = r.next_record();
    if (!rec) {
      for (; !open_ends.empty(); open_ends.pop_back()) w.end();
      return rec.error() == Error::end;
    }
    // A record starting past an open container's end follows that container.
    while (!open_ends.empty() && rec->value.data() > open_ends.back()) {
      w.end();
      open_ends.pop_back();
    }
    uint16_t id = rec->path.ids[rec->path.depth - 1];
    switch (rec->kind) {
      case tlv::Kind::object_instance: w.begin_object_instance(id); break;
      case tlv::Kind::multiple_resource: w.begin_multiple_resource(id); break;
      case tlv::Kind::resource: w.resource(id, Value::opaque(rec->value)); break;
      case tlv::Kind::resource_instance: w.resource_instance(id, Value::opaque(rec->value)); break;
    }
    if (tlv::is_container(rec->kind)) {
      open_ends.push_back(rec->value.data() + rec->value.size());
    } else {
      leaves.push_back({rec->path, rec->value});
      for (ValueType t : fuzz_support::kAllValueTypes) {
        Result<Value> v = tlv::decode(rec->value, t);
        check(!v || v->type == t);
      }
    }
  }
}

Path base_for(uint8_t selector) {
  switch (selector % 4) {
    case 0: return Path::object(3);
    case 1: return Path::instance(3, 0);
    case 2: return Path::resource(3, 0, 6);
    default: return Path::resource_instance(3, 0, 6, 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Path base = base_for(data[0]);
  Bytes payload(data + 1, size - 1);
  std::vector<uint8_t> again(size * 2 + 16);
  ByteWriter out(again.data(), again.size());
  tlv::Writer w(out);
  std::vector<Leaf> leaves;
  if (!walk(payload, base, w, leaves)) return 0;
  // The writer's nesting rules match the reader's, so a tree the reader accepts re-encodes.
  check(w.finish() == Error::ok);
  check(out.size() <= payload.size());  // minimal lengths never grow the payload
  std::vector<uint8_t> scratch(again.size());
  ByteWriter scratch_out(scratch.data(), scratch.size());
  tlv::Writer replay(scratch_out);
  std::vector<Leaf> back;
  check(walk(out.written(), base, replay, back));
  check(back.size() == leaves.size());
  for (size_t k = 0; k < back.size(); ++k) {
    check(back[k].path == leaves[k].path);
    check(back[k].value.size() == leaves[k].value.size());
    check(back[k].value.empty() ||
          std::memcmp(back[k].value.data(), leaves[k].value.data(), back[k].value.size()) == 0);
  }
  return 0;
}
