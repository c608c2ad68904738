// Option mistakes end the run at once with exit code 2 and the option that fixes them.
#include <gtest/gtest.h>

#include "device_run.hpp"

namespace tl::device::test {
namespace {

// Checked before any file is read, so no model is needed.
DeviceOptions options(const std::string& server) {
  DeviceOptions o;
  o.server = server;
  o.endpoint = "e2e-node";
  o.model = "unused.tlm";
  o.recordings = {"unused.npy"};
  return o;
}

TEST(DeviceOptions, PlainCoapNeedsNosec) {
  const DeviceOptions o = options("coap://127.0.0.1:5683");
  const std::atomic<bool> stop{false};
  const Outcome out = run_device(o, stop);
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.message.find("--nosec"), std::string::npos) << out.message;
}

TEST(DeviceOptions, BadPskKeyTellsTheFormat) {
  DeviceOptions o = options("coaps://127.0.0.1:5684");
  o.psk_identity = kIdentity;
  o.psk_key_hex = "xyz";
  const std::atomic<bool> stop{false};
  const Outcome out = run_device(o, stop);
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.message.find("hex digits"), std::string::npos) << out.message;
}

TEST(DeviceOptions, CoapsNeedsAKey) {
  const std::atomic<bool> stop{false};
  const Outcome out = run_device(options("coaps://127.0.0.1:5684"), stop);
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.message.find("--psk-identity ID --psk-key HEX"), std::string::npos) << out.message;
}

TEST(DeviceOptions, ModelThatIsNotABlob) {
  DeviceOptions o = options("coap://127.0.0.1:5683");
  o.nosec = true;
  o.model = std::string(TL_SHARED_DIR) + "/datasets/gestures-100hz/2025-06-15T192906_wave.npy";
  const std::atomic<bool> stop{false};
  const Outcome out = run_device(o, stop);
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.message.find("not a valid model blob"), std::string::npos) << out.message;
}

}  // namespace
}  // namespace tl::device::test
