#include "wire/lwm2m/tlv.hpp"

#include <bit>
#include <cstring>

#include "wire/ieee754.hpp"
#include "wire/numtext.hpp"

namespace tl::wire::lwm2m::tlv {

namespace {

constexpr uint8_t kId16 = 0x20;
constexpr size_t kMaxLength = 0xFFFFFF;  // three length bytes

// Length field size (0..3 bytes) that encodes `length` shortest; 0 means "in the type byte".
unsigned length_bytes(size_t length) {
  if (length <= 7) return 0;
  if (length <= 0xFF) return 1;
  if (length <= 0xFFFF) return 2;
  return 3;
}

uint8_t type_byte(Kind kind, uint16_t id, size_t length) {
  unsigned n = length_bytes(length);
  unsigned bits = static_cast<unsigned>(kind) << 6;
  if (id > 0xFF) bits |= kId16;
  bits |= n << 3;
  if (n == 0) bits |= static_cast<unsigned>(length);
  return static_cast<uint8_t>(bits);
}

// Shortest of 1/2/4/8 bytes holding `v` in two's complement.
unsigned signed_width(int64_t v) {
  if (v >= INT8_MIN && v <= INT8_MAX) return 1;
  if (v >= INT16_MIN && v <= INT16_MAX) return 2;
  if (v >= INT32_MIN && v <= INT32_MAX) return 4;
  return 8;
}

unsigned unsigned_width(uint64_t v) {
  if (v <= UINT8_MAX) return 1;
  if (v <= UINT16_MAX) return 2;
  if (v <= UINT32_MAX) return 4;
  return 8;
}

void store_be(uint64_t v, unsigned n, uint8_t* out) {
  for (unsigned k = 0; k < n; ++k) out[k] = static_cast<uint8_t>(v >> (8 * (n - 1 - k)));
}

uint64_t load_be(Bytes b) {
  uint64_t v = 0;
  for (uint8_t x : b) v = (v << 8) | x;
  return v;
}

// The value bytes of a leaf: numbers are encoded into `small`, text and opaque are viewed as is.
Result<Bytes> encode_value(const Value& v, uint8_t (&small)[8]) {
  unsigned n = 0;
  switch (v.type) {
    case ValueType::none: return Bytes{};
    case ValueType::string:
    case ValueType::corelnk:
      if (!is_valid_utf8(v.bytes)) return Error::invalid_utf8;
      return v.bytes;
    case ValueType::opaque: return v.bytes;
    case ValueType::integer:
    case ValueType::time:
      n = signed_width(v.i);
      store_be(static_cast<uint64_t>(v.i), n, small);
      break;
    case ValueType::unsigned_integer:
      n = unsigned_width(v.u);
      store_be(v.u, n, small);
      break;
    case ValueType::floating:
      // A binary32 value stays 4 bytes on the wire; anything else needs the full binary64.
      if (f64_bits_fit_f32(v.f64)) {
        n = 4;
        store_be(std::bit_cast<uint32_t>(f32_from_f64_bits(v.f64)), n, small);
      } else {
        n = 8;
        store_be(v.f64, n, small);
      }
      break;
    case ValueType::boolean:
      n = 1;
      small[0] = v.b ? 1 : 0;
      break;
    case ValueType::objlnk:
      n = 4;
      store_be((uint32_t{v.link.object_id} << 16) | v.link.instance_id, n, small);
      break;
  }
  return Bytes{small, n};
}

// Integers are 1, 2, 4 or 8 bytes.
bool is_integer_width(size_t n) { return n == 1 || n == 2 || n == 4 || n == 8; }

}  // namespace

// ---- Writer ----

Error Writer::check_context(Kind kind, uint16_t id) const {
  if (id == Path::kInvalidId) return Error::bad_path;
  if (depth_ == 0) return Error::ok;
  Kind parent = open_[depth_ - 1].kind;
  switch (kind) {
    case Kind::object_instance: return Error::nesting_too_deep;
    case Kind::multiple_resource:
      return parent == Kind::object_instance ? Error::ok : Error::nesting_too_deep;
    case Kind::resource:
      return parent == Kind::object_instance ? Error::ok : Error::malformed;
    case Kind::resource_instance:
      return parent == Kind::multiple_resource ? Error::ok : Error::malformed;
  }
  return Error::malformed;
}

void Writer::header(Kind kind, uint16_t id, size_t length) {
  out_.put(type_byte(kind, id, length));
  out_.put_be(id, id > 0xFF ? 2 : 1);
  out_.put_be(length, length_bytes(length));
}

void Writer::leaf(Kind kind, uint16_t id, const Value& v) {
  if (error_ != Error::ok) return;
  Error e = check_context(kind, id);
  if (e != Error::ok) return fail(e);
  uint8_t small[8];
  Result<Bytes> bytes = encode_value(v, small);
  if (!bytes) return fail(bytes.error());
  if (bytes->size() > kMaxLength) return fail(Error::out_of_range);
  header(kind, id, bytes->size());
  out_.put(*bytes);
}

void Writer::begin(Kind kind, uint16_t id) {
  if (error_ != Error::ok) return;
  Error e = check_context(kind, id);
  if (e != Error::ok) return fail(e);
  size_t at = out_.size();
  // Placeholder type byte with a 3-byte length field; end() rewrites both.
  out_.put(static_cast<uint8_t>((static_cast<unsigned>(kind) << 6) | (id > 0xFF ? kId16 : 0u)));
  out_.put_be(id, id > 0xFF ? 2 : 1);
  out_.reserve(3);
  open_[depth_++] = {at, out_.size(), kind};
}

void Writer::end() {
  if (error_ != Error::ok) return;
  if (depth_ == 0) return fail(Error::malformed);
  Open o = open_[--depth_];
  // After an overflow the buffer holds a partial payload that status() already rejects.
  if (out_.overflowed()) return;
  size_t length = out_.size() - o.content;
  if (length > kMaxLength) return fail(Error::out_of_range);
  unsigned n = length_bytes(length);
  // Keep the kind and identifier-size bits, set the final length bits.
  uint8_t* type = out_.at(o.header);
  *type = static_cast<uint8_t>((*type & 0xE0u) | (n << 3) | (n == 0 ? length : 0u));
  uint8_t* field = out_.at(o.content - 3);
  store_be(length, n, field);
  std::memmove(field + n, out_.at(o.content), length);
  out_.truncate(o.content - 3 + n + length);
}

Error Writer::finish() const {
  Error e = status();
  if (e != Error::ok) return e;
  return depth_ == 0 ? Error::ok : Error::malformed;
}


// ---- Reader ----

Reader::Reader(Bytes in, const Path& base)
    : pos_(in.data()), frames_{{in.data() + in.size(), base, Kind::resource}, {}, {}} {}

Result<Reader::Header> Reader::read_header() {
  const uint8_t* limit = frames_[depth_].end;
  // Running out of bytes at the top level means the payload is cut short; inside a container it
  // means the child claims more than its parent's length.
  Error short_input = depth_ == 0 ? Error::truncated : Error::inconsistent_length;
  size_t avail = static_cast<size_t>(limit - pos_);
  uint8_t type = pos_[0];
  unsigned id_size = (type & kId16) != 0 ? 2 : 1;
  unsigned length_size = (type >> 3) & 3u;
  size_t header_size = 1 + id_size + length_size;
  if (avail < header_size) return short_input;
  Header h;
  h.kind = static_cast<Kind>(type >> 6);
  h.id = static_cast<uint16_t>(load_be(Bytes(pos_ + 1, id_size)));
  // At most 3 length bytes, so the value fits size_t on a 32-bit device too.
  h.length = length_size == 0 ? (type & 7u) : static_cast<size_t>(load_be(Bytes(pos_ + 1 + id_size, length_size)));
  if (h.length > avail - header_size) return short_input;
  pos_ += header_size;
  return h;
}

Result<Path> Reader::resolve_top(Kind kind, uint16_t id) const {
  const Path& base = frames_[0].path;
  // Depth of the path a record of this kind names: object instance 2, resource 3, instance 4.
  uint8_t depth = kind == Kind::object_instance ? 2 : kind == Kind::resource_instance ? 4 : 3;
  if (base.depth + 1 == depth) return base.child(id);
  if (base.depth == depth && base.ids[depth - 1] == id) return base;
  return Error::malformed;
}

Result<Path> Reader::resolve(Kind kind, uint16_t id) const {
  if (id == Path::kInvalidId) return Error::bad_path;
  if (depth_ == 0) return resolve_top(kind, id);
  const Frame& parent = frames_[depth_];
  bool in_instance = parent.kind == Kind::object_instance;
  switch (kind) {
    case Kind::object_instance: return Error::nesting_too_deep;
    case Kind::multiple_resource:
      if (!in_instance) return Error::nesting_too_deep;
      break;
    case Kind::resource:
      if (!in_instance) return Error::malformed;
      break;
    case Kind::resource_instance:
      if (in_instance) return Error::malformed;
      break;
  }
  return parent.path.child(id);
}

Result<Record> Reader::next_record() {
  if (error_ != Error::ok) return error_;
  while (depth_ > 0 && pos_ == frames_[depth_].end) --depth_;
  if (pos_ == frames_[0].end) return fail(Error::end);
  Result<Header> h = read_header();
  if (!h) return fail(h.error());
  Result<Path> path = resolve(h->kind, h->id);
  if (!path) return fail(path.error());
  Record r{h->kind, *path, Bytes(pos_, h->length)};
  if (is_container(h->kind)) {
    // resolve() admits a container only at depth 0 or 1, so this stays within frames_.
    frames_[++depth_] = {pos_ + h->length, *path, h->kind};
  } else {
    pos_ += h->length;
  }
  return r;
}

Result<Record> Reader::next() {
  while (true) {
    Result<Record> r = next_record();
    if (!r || !is_container(r->kind)) return r;
  }
}

Result<Value> decode(Bytes raw, ValueType expected) {
  // One Value filled in place rather than a factory per type: each factory's zeroed temporary
  // costs code and a memset call at -Os.
  const size_t n = raw.size();
  Value v;
  v.type = expected;
  switch (expected) {
    case ValueType::none:
      if (n != 0) return Error::malformed;
      break;
    case ValueType::string:
    case ValueType::corelnk:
      if (!is_valid_utf8(raw)) return Error::invalid_utf8;
      v.bytes = raw;
      break;
    case ValueType::opaque: v.bytes = raw; break;
    case ValueType::integer:
    case ValueType::time: {
      if (!is_integer_width(n)) return Error::malformed;
      // Shift the sign bit to bit 63, then back arithmetically to sign-extend.
      const auto unused = static_cast<unsigned>(64 - 8 * n);
      v.i = static_cast<int64_t>(load_be(raw) << unused) >> unused;
      break;
    }
    case ValueType::unsigned_integer:
      if (!is_integer_width(n)) return Error::malformed;
      v.u = load_be(raw);
      break;
    case ValueType::floating:
      if (n == 4) {
        v.f64 = f64_bits_from_f32(std::bit_cast<float>(static_cast<uint32_t>(load_be(raw))));
      } else if (n == 8) {
        v.f64 = load_be(raw);
      } else {
        return Error::malformed;
      }
      break;
    case ValueType::boolean:
      if (n != 1 || raw[0] > 1) return Error::malformed;
      v.b = raw[0] == 1;
      break;
    case ValueType::objlnk: {
      if (n != 4) return Error::malformed;
      const uint64_t link = load_be(raw);
      v.link = {static_cast<uint16_t>(link >> 16), static_cast<uint16_t>(link)};
      break;
    }
    default: return Error::wrong_type;
  }
  return v;
}

}  // namespace tl::wire::lwm2m::tlv
