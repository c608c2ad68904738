// The few cryptographic primitives the HTTP layer needs, all from mbedTLS: random bytes from
// CTR_DRBG seeded by the platform entropy source, SHA-256, and encodings of their results (hex
// from the store's helpers).
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/hex.hpp"

namespace tl::server::http {

// Cryptographically strong random bytes (one process-wide CTR_DRBG, thread-safe). Throws
// std::runtime_error when the generator cannot be seeded.
std::vector<std::uint8_t> random_bytes(std::size_t count);

std::array<std::uint8_t, 32> sha256(std::string_view data);

// RFC 4648 section 5, without padding.
std::string base64url(std::span<const std::uint8_t> bytes);
using store::from_hex;
using store::to_hex;

// Equal length and content, in time independent of where they differ.
bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace tl::server::http
