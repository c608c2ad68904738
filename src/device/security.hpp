// The security of the one server account, from the command line: coap:// needs the explicit
// --nosec, coaps:// needs a PSK identity and a hex key. Checked before anything is opened so a
// mistake is reported with the option that fixes it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "device/device.hpp"

namespace tl::device {

struct Security {
  bool psk = false;
  std::vector<uint8_t> identity;
  std::vector<uint8_t> key;
};

// An empty string when the options are consistent (`out` is then filled), else the message
// that tells the user what to pass.
std::string check_security(const DeviceOptions& o, Security& out);

}  // namespace tl::device
