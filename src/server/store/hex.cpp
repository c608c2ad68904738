#include "server/store/hex.hpp"

#include "wire/hex.hpp"

namespace tl::server::store {

std::string to_hex(std::span<const std::uint8_t> bytes) {
  std::string out(bytes.size() * 2, '\0');
  (void)wire::encode_hex(bytes, out);  // sized to fit
  return out;
}

bool from_hex(std::string_view text, std::vector<std::uint8_t>& out) {
  out.resize(text.size() / 2);
  return wire::decode_hex(text, out) == wire::Error::ok;
}

}  // namespace tl::server::store
