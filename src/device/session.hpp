// Everything one device run is made of, built from checked options: the POSIX platform, the
// transport, the objects over the model blob, the one factory account and the client engine.
// A reboot (3/0/4) is a new Session on the same data directory.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "client/client.hpp"
#include "device/device.hpp"
#include "device/object_set.hpp"
#include "device/security.hpp"
#include "device/switch_transport.hpp"
#include "posix/posix_platform.hpp"

namespace tl::device {

// The model blob and the sensor pipeline it runs on (the blob's own).
struct LoadedModel {
  std::vector<uint8_t> bytes;
  ml::Pipeline pipeline{};
};

class Session {
 public:
  Session(const DeviceOptions& o, const Security& security, const std::string& data_dir,
          const LoadedModel& model);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

 private:
  static client::ServerAccount make_account(const DeviceOptions& o, const Security& s, const std::string& uri);
  static client::ClientConfig make_config(const DeviceOptions& o, const client::ServerAccount& a,
                                          const std::string& endpoint);
  static void on_objects_changed(void* self);

  // First, because the account, the configuration and object 3 point into them.
  Security security_;
  std::string server_;
  std::string endpoint_;
  client::ServerAccount account_;
  client::ClientConfig config_;

 public:
  posix::PosixPlatform platform;
  SwitchTransport transport{platform};
  ObjectSet objects;
  client::Client<> client{platform, transport, objects.objects(), config_};
};

}  // namespace tl::device
