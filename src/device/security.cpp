#include "device/security.hpp"

#include <string_view>

#include "wire/hex.hpp"

namespace tl::device {
namespace {

bool decode_hex(const std::string& text, std::vector<uint8_t>& out) {
  if (text.empty()) return false;
  out.resize(text.size() / 2);
  return wire::decode_hex(text, out) == wire::Error::ok;
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

std::string check_plain(const DeviceOptions& o) {
  if (!o.psk_identity.empty() || !o.psk_key_hex.empty()) {
    return "--psk-identity and --psk-key need a coaps:// server; use coaps://HOST:5684 or drop them";
  }
  if (!o.nosec) {
    return "coap:// sends everything unencrypted: pass --nosec to confirm, or use coaps:// with "
           "--psk-identity ID --psk-key HEX";
  }
  return {};
}

std::string check_psk(const DeviceOptions& o, Security& out) {
  if (o.nosec) return "--nosec contradicts coaps://: use coap:// for NoSec, or drop --nosec";
  if (o.psk_identity.empty() || o.psk_key_hex.empty()) {
    return "coaps:// needs a pre-shared key: pass --psk-identity ID --psk-key HEX";
  }
  if (!decode_hex(o.psk_key_hex, out.key)) {
    return "--psk-key must be an even number of hex digits (e.g. 000102030405060708090a0b0c0d0e0f)";
  }
  if (out.key.size() > 32) return "--psk-key is longer than 32 bytes, the most DTLS here supports";
  out.identity.assign(o.psk_identity.begin(), o.psk_identity.end());
  out.psk = true;
  return {};
}

}  // namespace

std::string check_security(const DeviceOptions& o, Security& out) {
  out = Security{};
  if (starts_with(o.server, "coap://")) return check_plain(o);
  if (starts_with(o.server, "coaps://")) return check_psk(o, out);
  return "--server must be coap://HOST:PORT or coaps://HOST:PORT (got '" + o.server + "')";
}

}  // namespace tl::device
