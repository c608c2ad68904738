// Shared by the SenML-JSON and SenML-CBOR fuzz targets: reads every record and asks for its value
// as every LwM2M type. Each record that reads cleanly is written again, with its full name, through
// both writers; when the whole pack reads cleanly the two rewritten packs must read back as the same
// records (JSON <-> CBOR equivalence). Any mismatch aborts.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "value_types.hpp"
#include "wire/senml/senml_cbor.hpp"
#include "wire/senml/senml_json.hpp"

namespace senml_fuzz {

using namespace tl::wire;
using namespace tl::wire::senml;
using lwm2m::Value;
using lwm2m::ValueType;

void require(bool condition) {
  if (!condition) std::abort();
}

void exercise(const Record& r) {
  for (ValueType t : fuzz_support::kAllValueTypes) {
    Result<Value> v = r.value_as(t);
    require(!v || v->type == t);
  }
  require(r.time_relative == (r.time_ms < kRelativeTimeLimit * 1000));
}

// Writes the record again; false when it cannot be (a number no binary64 holds, a full buffer).
bool rewrite(const Record& r, JsonWriter& json, CborWriter& cbor) {
  Result<Value> v = r.value();
  if (!v) return false;
  const int64_t t = r.time_seconds();
  const bool ok_json = (r.has_time ? json.add(r.path, *v, t) : json.add(r.path, *v)) == Error::ok;
  const bool ok_cbor = (r.has_time ? cbor.add(r.path, *v, t) : cbor.add(r.path, *v)) == Error::ok;
  require(ok_json == ok_cbor || !ok_json);  // JSON may lack room or a NaN form; CBOR never fails first
  return ok_json && ok_cbor;
}

void compare_rewritten(Bytes json, Bytes cbor) {
  std::vector<uint8_t> scratch(json.size());
  JsonReader a(json, scratch);
  CborReader b(cbor);
  for (;;) {
    Result<Record> x = a.next();
    Result<Record> y = b.next();
    require(x.error() == y.error());
    if (!x) {
      require(x.error() == Error::end);
      return;
    }
    require(x->path == y->path && x->has_time == y->has_time && x->time_ms == y->time_ms);
    require(*x->value() == *y->value());
  }
}


// Reads every record of `reader`, exercises it and, when the whole pack reads cleanly, checks the
// JSON and CBOR rewrites against each other.
template <class Reader>
void run(Reader& reader, size_t input_size) {
  std::vector<uint8_t> json_buf(input_size * 8 + 64);
  std::vector<uint8_t> cbor_buf(input_size * 8 + 64);
  ByteWriter json_out(json_buf.data(), json_buf.size());
  ByteWriter cbor_out(cbor_buf.data(), cbor_buf.size());
  JsonWriter json(json_out);
  CborWriter cbor(cbor_out);
  bool rewritten = true;
  for (;;) {
    Result<Record> r = reader.next();
    if (!r) {
      if (r.error() != Error::end) return;
      break;
    }
    exercise(*r);
    rewritten = rewritten && rewrite(*r, json, cbor);
  }
  if (!rewritten || json.finish() != Error::ok || cbor.finish() != Error::ok) return;
  compare_rewritten(json_out.written(), cbor_out.written());
}

}  // namespace senml_fuzz

