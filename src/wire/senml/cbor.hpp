// The small part of CBOR (RFC 8949) that SenML-CBOR needs: a writer on ByteWriter and a pull
// reader that hands out one token at a time without allocating.
//
// Floats cross this API as IEEE-754 binary64 bit patterns (see lwm2m/value.hpp); half and single
// precision are widened and narrowed with integer operations only.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wire/bytes.hpp"

namespace tl::wire::cbor {

// binary16 / binary32 <-> binary64 bit patterns. Widening is exact (NaN payloads kept).
uint64_t f64_from_f16(uint16_t half);
uint64_t f64_from_f32(uint32_t single);
// Narrowing succeeds only when the value (or NaN payload) survives unchanged.
bool f16_from_f64(uint64_t f64, uint16_t& half);
bool f32_from_f64(uint64_t f64, uint32_t& single);

class Writer {
 public:
  explicit Writer(ByteWriter& out) : out_(out) {}

  void unsigned_integer(uint64_t v) { head(0, v); }
  void integer(int64_t v);
  // Writes -1 - n: the whole negative range, down to -2^64, as the reader returns it.
  void negative_integer(uint64_t n) { head(1, n); }
  void bytes(Bytes b);
  void text(std::string_view s);
  void array(uint64_t count) { head(4, count); }
  void map(uint64_t pairs) { head(5, pairs); }
  // Indefinite-length containers, for a streaming writer that does not know the count upfront;
  // each is closed by end().
  void array_start() { out_.put(0x9F); }
  void map_start() { out_.put(0xBF); }
  void end() { out_.put(0xFF); }
  void boolean(bool b) { out_.put(b ? 0xF5 : 0xF4); }
  void null() { out_.put(0xF6); }
  // The shortest of half, single and double precision that holds the value exactly.
  void float_bits(uint64_t f64);

  Error status() const { return out_.status(); }

 private:
  // Major type and argument with the shortest head (RFC 8949 4.2.1 preferred serialization).
  void head(uint8_t major, uint64_t arg);
  ByteWriter& out_;
};

enum class Type : uint8_t {
  unsigned_integer,  // value in `u`
  negative_integer,  // value is -1 - u (covers the full range down to -2^64)
  bytes,             // `bytes` points into the input
  text,              // `bytes` points into the input; checked to be well-formed UTF-8
  array,             // `u` = item count unless `indefinite`
  map,               // `u` = pair count unless `indefinite`
  boolean,           // `b`
  null,
  undefined,
  simple,            // other simple value, number in `u`
  floating,          // binary64 bits in `u` (also for half and single on the wire)
  break_mark,        // the "break" that closes an indefinite container
};

struct Token {
  Type type = Type::null;
  bool indefinite = false;
  bool b = false;
  uint64_t u = 0;
  Bytes bytes;
};

// Pull reader. Each next() returns one data item head (a whole string, or the start of a
// container); the reader tracks containers so that a break outside an indefinite container, a
// break between a map key and its value, or input ending inside a container are reported.
// Tags are skipped (the tagged item is returned). Indefinite-length strings are rejected as
// Error::unsupported. A sequence of top-level items is allowed; next() returns Error::end once the
// input is exhausted between top-level items. Errors are final: every later call repeats them.
class Reader {
 public:
  static constexpr size_t kMaxDepth = 8;

  explicit Reader(Bytes in) : in_(in) {}

  Result<Token> next();
  // The same into `t`, for callers that read many tokens: a Token is too large to copy around
  // cheaply on a 32-bit device.
  Error next(Token& t);
  // Reads and discards one complete item (a container with everything inside it).
  Error skip();
  // Containers open around the next token.
  size_t depth() const { return depth_; }
  // True when every container is closed and no input is left.
  bool at_end() const { return depth_ == 0 && in_.empty(); }

 private:
  struct Frame {
    uint64_t remaining;  // items left in a definite container (a map counts keys and values)
    uint64_t seen;       // items read in an indefinite container
    bool indefinite;
    bool is_map;
  };
  Error read_token(Token& t);
  Error read_item(uint8_t initial, Token& t);
  Result<uint64_t> argument(uint8_t info);
  Error read_string(uint8_t info, Token& t);
  Error read_simple(uint8_t info, Token& t);
  Error open_container(uint8_t info, Token& t);
  void count_item();
  Error close_break();
  void close_finished();

  ByteReader in_;
  Frame stack_[kMaxDepth] = {};
  size_t depth_ = 0;
  Error error_ = Error::ok;
};

}  // namespace tl::wire::cbor
