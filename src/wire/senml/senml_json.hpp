// SenML-JSON (application/senml+json, CoAP content format 110) as LwM2M 1.1 uses it
// (TS Core 7.4.4, RFC 8428): a pack is a JSON array of flat objects, one per record.
#pragma once
#include <cstddef>
#include <cstdint>

#include "wire/bytes.hpp"
#include "wire/senml/senml_record.hpp"

namespace tl::wire::senml {

// Pull reader: one Record per next(), nothing allocated.
//
// Strings without escapes point into the input. Strings with escapes ("vs") and decoded "vd"
// data are written to `scratch`, which the caller owns; anything a Record points into stays valid
// until the next call of next(). A scratch too small for one record's value gives
// Error::buffer_too_small (none is needed when values hold no escapes and no "vd").
//
// Errors (final: every later next() repeats them): JSON syntax, a top level other than an array
// or an array item other than an object -> Error::malformed; an array or object as a field value
// -> Error::nesting_too_deep; bad number text -> Error::bad_number; a key with escapes that decodes
// to more than kMaxName bytes -> Error::unsupported; an escaped bn or n longer than kMaxName ->
// Error::bad_path; plus those of RawRecord::set and PackContext::resolve. next() returns
// Error::end after the last record.
class JsonReader {
 public:
  explicit JsonReader(Bytes in, MutableBytes scratch = {});
  Result<Record> next();

 private:
  // Where the reader stands in the top-level array.
  enum class State : uint8_t { start, after_item, done };
  struct Scalar;

  Error read_record(Record& out);
  Error read_member(RawRecord& raw);
  Error read_scalar(Scalar& out);
  Error decode_into(const Scalar& s, Field f, FieldValue& out);
  Error decode_data(const Scalar& s, FieldValue& out);
  Error advance_top();
  Error close_top();
  char peek() const { return pos_ < in_.size() ? in_[pos_] : '\0'; }
  bool eat(char c);
  bool eat_word(std::string_view word);

  std::string_view in_;
  size_t pos_ = 0;
  MutableBytes scratch_;
  State state_ = State::start;
  Error error_ = Error::ok;
  PackContext pack_;
  char key_[kMaxName] = {};
  char bn_[kMaxName] = {};
  char n_[kMaxName] = {};
  char link_[16] = {};
};

// Streaming writer into a caller-owned buffer: '[' on construction, one object per add(),
// ']' on finish(). Values: integer, unsigned, float and time -> "v"; string and corelnk -> "vs";
// boolean -> "vb"; opaque -> "vd" (base64url); objlnk -> "vlo"; none -> no value (the names-only
// records of a Read-Composite request). Naming and times: see HeadPlanner.
//
// A record that fails (Error::invalid_utf8 for text that is not UTF-8, Error::out_of_range for a
// NaN or infinite float, which JSON cannot carry, or an error of HeadPlanner::plan) is rolled
// back; the pack stays valid. Error::buffer_too_small once the buffer is full.
class JsonWriter {
 public:
  explicit JsonWriter(ByteWriter& out);
  void set_base_name(const lwm2m::Path& base) { heads_.set_base_name(base); }
  void set_base_time(int64_t seconds) { heads_.set_base_time(seconds); }
  Error add(const lwm2m::Path& path, const lwm2m::Value& value) { return write(path, value, nullptr); }
  Error add(const lwm2m::Path& path, const lwm2m::Value& value, int64_t time) {
    return write(path, value, &time);
  }
  // Closes the pack; the buffer then holds the whole payload.
  Error finish();

 private:
  Error write(const lwm2m::Path& path, const lwm2m::Value& value, const int64_t* time);
  Error write_value(const lwm2m::Value& value);
  void key(const char* name);

  ByteWriter& out_;
  HeadPlanner heads_;
  bool first_record_ = true;
  bool first_key_ = true;
};

}  // namespace tl::wire::senml
