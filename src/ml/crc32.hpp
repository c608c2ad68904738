// CRC-32 as in IEEE 802.3 / zlib (reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF).
// crc32("123456789") == 0xCBF43926. Nibble-table implementation: 64 bytes of table.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tl::ml {

// Continues a running CRC: pass 0 to start, feed the previous return value to continue.
std::uint32_t crc32_update(std::uint32_t crc, const std::uint8_t* data, std::size_t size);

inline std::uint32_t crc32(const std::uint8_t* data, std::size_t size) {
  return crc32_update(0, data, size);
}

}  // namespace tl::ml
