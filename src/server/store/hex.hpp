// Hex text, the form in which the server keeps key material in text records: PSKs in bootstrap
// configurations and PSK files, token hashes.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tl::server::store {

std::string to_hex(std::span<const std::uint8_t> bytes);
// Lower or upper case, even length; false (and `out` unspecified) otherwise.
bool from_hex(std::string_view text, std::vector<std::uint8_t>& out);

}  // namespace tl::server::store
