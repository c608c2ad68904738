// The objects this device serves besides 0 and 1 (src/objects): Device 3, Connectivity 4,
// Firmware Update 5 and the TinyML objects 33650-33654 over the model blob given on the command
// line, with the host-allocated buffers their runner needs.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "client/object.hpp"
#include "ml/lof.hpp"
#include "objects/connectivity.hpp"
#include "objects/device.hpp"
#include "objects/firmware_update.hpp"
#include "objects/tinyml_objects.hpp"

namespace tl::device {

class ObjectSet {
 public:
  // `builtin`: the blob from --model, used while storage holds no model written by a server.
  // `sensor`: the pipeline of the windows this device delivers (the model's own). Both must
  // outlive the set, as must `endpoint` (the serial number) and `bindings` ("U" or "UQ").
  ObjectSet(client::Platform& platform, wire::Bytes builtin, const ml::Pipeline& sensor,
            std::string_view endpoint, std::string_view bindings);
  ObjectSet(const ObjectSet&) = delete;
  ObjectSet& operator=(const ObjectSet&) = delete;

  std::span<client::Object* const> objects() const { return all_; }
  // Runs one window (sensor.window * axes samples, physical units) and notifies observers.
  ml::Error on_window(const float* samples) { return tinyml_.on_window(samples); }
  objects::TinyMlObjects& tinyml() { return tinyml_; }
  // Carries out a Reboot or Factory Reset the server executed (after Client::step()).
  // A Reboot keeps the counters (33650/2001, 33651/2001) up to the last window.
  void run_pending() {
    if (device_.reboot_pending()) tinyml_.runner().persist_counters();
    device_.run_pending();
  }

 private:
  // Buffers the runner borrows: two blob slots, the raw window of 33653, the LOF store.
  struct Storage {
    explicit Storage(const ml::Pipeline& sensor);
    objects::RunnerBuffers buffers();
    std::vector<uint8_t> slot[2];
    std::vector<uint8_t> raw;
    std::vector<float> vectors, kdist, lrd;
    std::vector<uint16_t> neighbours;
  };

  Storage storage_;
  objects::Device device_;
  objects::ConnectivityMonitoring connectivity_;
  objects::FirmwareUpdate firmware_;
  objects::TinyMlObjects tinyml_;
  std::vector<client::Object*> all_;
};

}  // namespace tl::device
