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

// A float that may alias the blob bytes, for reading 4-aligned float arrays inside a blob
// (one VLDM/VLDR per entry instead of LDR + VMOV). Use only after checking the alignment.
using BlobFloat [[gnu::may_alias]] = float;

inline bool aligned4(const void* p) { return (reinterpret_cast<std::uintptr_t>(p) & 3u) == 0; }

// The entries of a float array inside a blob, for loops templated on the entry type: BlobFloat
// when the array is 4-aligned (one VLDR/VLDM), Bytes4 at any alignment (LDR + VMOV).
struct Bytes4 {
  std::uint8_t b[4];
};
inline float entry(const BlobFloat* p) { return *p; }
inline float entry(const Bytes4* p) { return load<float>(p); }

inline constexpr std::size_t align4(std::size_t n) { return (n + 3u) & ~static_cast<std::size_t>(3u); }

}  // namespace tl::ml::detail
