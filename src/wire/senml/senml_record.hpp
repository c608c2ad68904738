// The SenML record model shared by the JSON (content format 110) and CBOR (112) codecs, as
// LwM2M 1.1 uses it (TS Core 7.4.4, 7.4.5; RFC 8428).
//
// Reading: a format reader fills a RawRecord field by field; PackContext then resolves it against
// the base values that persist from record to record (RFC 8428 4.5) into a Record: an LwM2M path,
// a time and a value still in its wire form, converted when the caller asks for a type.
// Writing: HeadPlanner works out which names and times a record must carry.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wire/bytes.hpp"
#include "wire/lwm2m/path.hpp"
#include "wire/lwm2m/value.hpp"

namespace tl::wire::senml {

inline constexpr uint16_t kContentFormatJson = 110;
inline constexpr uint16_t kContentFormatCbor = 112;

// Longest base name and name this stack resolves (bytes each); longer ones are Error::bad_path.
inline constexpr size_t kMaxName = 64;
// RFC 8428 4.5.3: resolved times below 2^28 s are relative to "now", not to the Unix epoch.
inline constexpr int64_t kRelativeTimeLimit = int64_t{1} << 28;

// Fields known to this stack: RFC 8428 labels plus LwM2M's "vlo" (object link).
enum class Field : uint8_t {
  bver, bn, bt, bu, bv, bs, n, u, v, vs, vb, s, t, ut, vd, vlo,
  unknown,          // ignored (RFC 8428 4.4: unknown labels are skipped)
  must_understand,  // unknown label ending in '_' (RFC 8428 4.4): Error::unsupported
};
// JSON labels and CBOR text keys.
Field field_from_label(std::string_view label);
// CBOR integer keys (RFC 8428 6).
Field field_from_cbor_key(int64_t key);

// A number as it was on the wire; converted when the caller asks for a type.
struct Number {
  enum class Form : uint8_t { text, unsigned_integer, negative_integer, float_bits };
  Form form = Form::unsigned_integer;
  uint64_t u = 0;         // unsigned: the value; negative: -1 - value; float_bits: binary64 bits
  std::string_view text;  // text: JSON number text, grammar already checked

  Result<uint64_t> f64_bits() const;
  Result<int64_t> to_int64() const;
  Result<uint64_t> to_uint64() const;
  // The number as seconds, in milliseconds (rounded to nearest).
  Result<int64_t> to_ms() const;
};

// Which value field a record carries.
enum class Kind : uint8_t { none, number, string, boolean, data, objlnk };

struct Record {
  lwm2m::Path path;
  bool has_time = false;       // a bt or t applies to this record
  int64_t time_ms = 0;         // bt + t, in milliseconds (0 when has_time is false)
  bool time_relative = true;   // time_ms is relative to "now" (RFC 8428 4.5.3)
  Kind kind = Kind::none;
  Number number;               // kind == number
  bool boolean = false;        // kind == boolean
  Bytes bytes;                 // kind == string (UTF-8) or data
  lwm2m::ObjLink link;         // kind == objlnk

  // Seconds, rounded towards negative infinity.
  int64_t time_seconds() const;
  // The value in the type the record says: v -> floating, vs -> string, vb -> boolean,
  // vd -> opaque, vlo -> objlnk; no value -> none.
  Result<lwm2m::Value> value() const;
  // The value as `type`: a v converts to integer, unsigned_integer or time when integral and in
  // range (else Error::wrong_type / Error::out_of_range); a vs reads as string or corelnk. Any other
  // mismatch is Error::wrong_type.
  Result<lwm2m::Value> value_as(lwm2m::ValueType type) const;
};

// One field's value as a format reader decoded it.
struct FieldValue {
  enum class Type : uint8_t { text, number, boolean, data };
  Type type = Type::text;
  std::string_view text;  // text: decoded, valid UTF-8
  Number number;
  bool boolean = false;
  Bytes data;
};

// The fields of one record as read, before base values are applied.
struct RawRecord {
  bool has_bn = false;
  bool has_n = false;
  bool has_bt = false;
  bool has_t = false;
  std::string_view bn;
  std::string_view n;
  Number bt;
  Number t;
  Kind kind = Kind::none;
  Number number;
  bool boolean = false;
  Bytes bytes;
  lwm2m::ObjLink link;

  // Errors: a repeated field or a second value field -> Error::malformed; a field of the wrong
  // type -> Error::malformed; bv, bs, s and must-understand labels -> Error::unsupported;
  // bver other than 10 -> Error::unsupported; a vlo that is not "o:i" -> Error::malformed.
  Error set(Field f, const FieldValue& v);

 private:
  Error set_value(Kind k);
  uint32_t seen_ = 0;
};

// Base values in force while a pack is read.
class PackContext {
 public:
  // Errors: no name at all -> Error::missing_name; a name that is no LwM2M path (or longer
  // than kMaxName) -> Error::bad_path; bad times -> Error::bad_number / Error::out_of_range.
  Error resolve(const RawRecord& raw, Record& out);

 private:
  Error resolve_name(const RawRecord& raw, lwm2m::Path& out) const;
  lwm2m::PathParser bn_;  // the base name, parsed once for all the records that use it
  bool has_bn_ = false;   // a non-empty base name is in force
  bool has_bt_ = false;
  int64_t bt_ms_ = 0;
};

// "o:i" with each id 0..65535 (65535:65535 is LwM2M's null link).
Result<lwm2m::ObjLink> parse_objlnk(std::string_view text);
Error format_objlnk(lwm2m::ObjLink link, ByteWriter& out);

// Names and times that a record carries in front of its value.
struct RecordHead {
  static constexpr size_t kMaxText = lwm2m::kMaxPathText + 1;  // a path and a trailing '/'
  bool has_bn = false;
  bool has_n = false;
  bool has_bt = false;
  bool has_t = false;
  int64_t bt = 0;
  int64_t t = 0;
  std::string_view bn() const { return {bn_text, bn_len}; }
  std::string_view n() const { return {n_text, n_len}; }

  char bn_text[kMaxText] = {};
  size_t bn_len = 0;
  char n_text[kMaxText] = {};
  size_t n_len = 0;
};

// Chooses bn/n/bt/t for each record a writer emits, remembering what the reader will hold.
// With a base name, records at or below it are named relative to it ("bn":"/3/0/","n":"1"; a
// record at the base itself carries "bn":"/3/0/1" alone); without one, every record carries its
// full path in n (Send, Read-Composite). With a base time, bt is written once (again after each
// change) and record times become t relative to it; a record without a time then has the base
// time, as SenML says.
class HeadPlanner {
 public:
  void set_base_name(const lwm2m::Path& base);
  void set_base_time(int64_t seconds);
  // Error::bad_path when a base name is set and `path` is not at or below it;
  // Error::out_of_range when time - base time overflows.
  Error plan(const lwm2m::Path& path, const int64_t* time, RecordHead& head) const;
  // Called once the record is written, so that the next one is planned against it.
  void commit(const RecordHead& head);

 private:
  Error plan_name(const lwm2m::Path& path, RecordHead& head) const;
  bool has_base_ = false;
  lwm2m::Path base_;
  bool has_bt_ = false;
  bool bt_sent_ = false;
  int64_t bt_ = 0;
  char bn_[RecordHead::kMaxText] = {};  // the bn the reader holds
  size_t bn_len_ = 0;
};

}  // namespace tl::wire::senml
