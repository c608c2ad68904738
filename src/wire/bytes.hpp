// Byte views and a bounded writer over a buffer the caller owns.
// Every writer in the wire layer streams through ByteWriter: it never writes past the end,
// remembers that it ran out of room, and lets the caller check once at the end.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "wire/error.hpp"

namespace tl::wire {

using Bytes = std::span<const uint8_t>;
using MutableBytes = std::span<uint8_t>;

inline Bytes as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_text(Bytes b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Result of a fallible operation: a value or an Error. T must be default-constructible.
template <class T>
class Result {
 public:
  Result(T value) : value_(value), error_(Error::ok) {}  // NOLINT: implicit by design
  Result(Error error) : error_(error) {}                 // NOLINT: implicit by design
  bool ok() const { return error_ == Error::ok; }
  explicit operator bool() const { return ok(); }
  Error error() const { return error_; }
  const T& operator*() const { return value_; }
  T& operator*() { return value_; }
  const T* operator->() const { return &value_; }
  T* operator->() { return &value_; }

 private:
  T value_{};
  Error error_;
};

class ByteWriter {
 public:
  explicit ByteWriter(MutableBytes out) : buf_(out.data()), cap_(out.size()) {}
  ByteWriter(uint8_t* buf, size_t cap) : buf_(buf), cap_(cap) {}

  void put(uint8_t b) {
    if (len_ < cap_) {
      buf_[len_++] = b;
    } else {
      overflow_ = true;
    }
  }
  void put(Bytes b) { put(b.data(), b.size()); }
  void put(std::string_view s) { put(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }
  void put(const uint8_t* p, size_t n) {
    if (n > cap_ - len_) {
      overflow_ = true;
      return;
    }
    if (n != 0) std::memcpy(buf_ + len_, p, n);
    len_ += n;
  }
  // Big-endian unsigned integer of `n` bytes (n <= 8). Not inlined: a dozen encoders call it,
  // and each inlined copy of the loop costs more flash than the call.
  [[gnu::noinline]] void put_be(uint64_t v, unsigned n) {
    for (unsigned i = n; i-- > 0;) put(static_cast<uint8_t>(v >> (8 * i)));
  }
  // Reserves `n` bytes to be filled later (e.g. a length prefix); returns their offset.
  size_t reserve(size_t n) {
    size_t at = len_;
    if (n > cap_ - len_) {
      overflow_ = true;
      return at;
    }
    len_ += n;
    return at;
  }
  uint8_t* at(size_t offset) { return buf_ + offset; }

  size_t size() const { return len_; }
  size_t capacity() const { return cap_; }
  size_t remaining() const { return cap_ - len_; }
  bool overflowed() const { return overflow_; }
  Error status() const { return overflow_ ? Error::buffer_too_small : Error::ok; }
  Bytes written() const { return {buf_, len_}; }
  // Drops everything written after `size` (used to undo a partial item).
  void truncate(size_t size) {
    if (size < len_) len_ = size;
  }

 private:
  uint8_t* buf_;
  size_t cap_;
  size_t len_ = 0;
  bool overflow_ = false;
};

// Cursor over input bytes; reads are bounds-checked and fail with Error::truncated.
class ByteReader {
 public:
  explicit ByteReader(Bytes in) : p_(in.data()), end_(in.data() + in.size()) {}
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  bool empty() const { return p_ == end_; }
  const uint8_t* position() const { return p_; }
  Result<uint8_t> byte() {
    if (p_ == end_) return Error::truncated;
    return *p_++;
  }
  Result<uint8_t> peek() const {
    if (p_ == end_) return Error::truncated;
    return *p_;
  }
  Result<Bytes> take(size_t n) {
    if (n > remaining()) return Error::truncated;
    Bytes b{p_, n};
    p_ += n;
    return b;
  }
  Result<uint64_t> be(unsigned n) {
    if (n > remaining()) return Error::truncated;
    uint64_t v = 0;
    for (unsigned i = 0; i < n; ++i) v = (v << 8) | *p_++;
    return v;
  }
  Bytes rest() const { return {p_, remaining()}; }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

}  // namespace tl::wire
