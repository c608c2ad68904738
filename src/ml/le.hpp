// Internal: little-endian, alignment-free loads and stores for blob bytes. Both the host and the
// Cortex-M4 are little-endian, so a memcpy is the whole conversion (it compiles to one LDR/STR,
// unaligned accesses being legal on ARMv7-M for words and halfwords).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace tl::ml::detail {

static_assert(std::endian::native == std::endian::little, "the blob format is little-endian");

template <typename T>
inline T load(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <typename T>
inline T load_at(const void* base, std::size_t index) {
  return load<T>(static_cast<const std::uint8_t*>(base) + index * sizeof(T));
}

template <typename T>
inline void store(std::uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

inline constexpr std::size_t align4(std::size_t n) { return (n + 3u) & ~static_cast<std::size_t>(3u); }

}  // namespace tl::ml::detail
