// SenML-CBOR (application/senml+cbor, CoAP content format 112) as LwM2M 1.1 uses it
// (TS Core 7.4.5, RFC 8428 6): the JSON model with integer keys (bn -2, bt -3, n 0, v 2, vs 3,
// vb 4, t 6, vd 8, ...) and LwM2M's text key "vlo" for object links.
#pragma once
#include <cstddef>
#include <cstdint>

#include "wire/bytes.hpp"
#include "wire/senml/cbor.hpp"
#include "wire/senml/senml_record.hpp"

namespace tl::wire::senml {

// Pull reader: one Record per next(); strings and data point into the input, nothing is copied.
//
// Errors (final: every later next() repeats them): a top level other than one array, an array
// item other than a map, a key other than an integer or text, a known field of the wrong CBOR
// type (e.g. an array) or data after the pack -> Error::malformed; plus those of cbor::Reader
// (truncated, malformed, nesting_too_deep, invalid_utf8, unsupported), RawRecord::set and
// PackContext::resolve. Unknown keys are skipped whatever their value. next() returns Error::end
// after the last record.
class CborReader {
 public:
  explicit CborReader(Bytes in) : cbor_(in) {}
  Result<Record> next();

 private:
  Error next_record_head(cbor::Token& map);
  Error read_record(const cbor::Token& map, Record& out);
  Error read_member(cbor::Token& token, FieldValue& v, RawRecord& raw);

  cbor::Reader cbor_;
  bool opened_ = false;
  bool indefinite_ = false;
  uint64_t left_ = 0;  // records left in a definite array
  Error error_ = Error::ok;
  PackContext pack_;
};

// Streaming writer into a caller-owned buffer. With the record count known upfront the pack is a
// definite-length array (what most decoders expect); without, an indefinite one closed by
// finish(). Each record is a definite map. Values map to fields as in JsonWriter; floats take the
// shortest exact width. Errors: Error::invalid_utf8 for text that is not UTF-8 (the record is
// rolled back), Error::too_many_items past the declared count, Error::inconsistent_length from
// finish() when fewer records came, Error::buffer_too_small once the buffer is full, and those of
// HeadPlanner::plan.
class CborWriter {
 public:
  static constexpr size_t kUnknownCount = SIZE_MAX;

  explicit CborWriter(ByteWriter& out, size_t records = kUnknownCount);
  void set_base_name(const lwm2m::Path& base) { heads_.set_base_name(base); }
  void set_base_time(int64_t seconds) { heads_.set_base_time(seconds); }
  Error add(const lwm2m::Path& path, const lwm2m::Value& value) { return write(path, value, nullptr); }
  Error add(const lwm2m::Path& path, const lwm2m::Value& value, int64_t time) {
    return write(path, value, &time);
  }
  Error finish();

 private:
  Error write(const lwm2m::Path& path, const lwm2m::Value& value, const int64_t* time);
  void write_value(const lwm2m::Value& value);

  ByteWriter& out_;
  cbor::Writer cbor_;
  HeadPlanner heads_;
  size_t declared_;
  size_t written_ = 0;
};

}  // namespace tl::wire::senml
