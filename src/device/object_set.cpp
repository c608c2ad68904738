#include "device/object_set.hpp"

namespace tl::device {
namespace {

// Room for Learn (33654/2002): a reservoir of this many windows' features.
constexpr size_t kLofCapacity = 256;

objects::RunnerConfig runner_config(wire::Bytes builtin, const ml::Pipeline& sensor) {
  objects::RunnerConfig c;
  c.device = sensor;
  c.builtin = builtin;
  return c;
}

objects::DeviceInfo device_info(std::string_view serial, std::string_view bindings) {
  objects::DeviceInfo d;
  d.manufacturer = "Tinyloop";
  d.model = "tinyloop device (POSIX)";
  d.serial = serial;
  d.firmware_version = "0.1.0";
  d.bindings = bindings;
  return d;
}

// The host's link as LwM2M sees it: wired Ethernet (41), no radio to measure.
objects::ConnectivityInfo host_link() {
  objects::ConnectivityInfo c;
  c.bearer = 41;
  c.available[0] = 41;
  c.available_count = 1;
  return c;
}

}  // namespace

ObjectSet::Storage::Storage(const ml::Pipeline& sensor)
    : raw(objects::kRawHeaderSize + 4 * size_t(sensor.window) * sensor.axes),
      vectors(kLofCapacity * ml::kMaxFeatures),
      kdist(kLofCapacity),
      lrd(kLofCapacity),
      neighbours(kLofCapacity * ml::kMaxLofK) {
  for (auto& s : slot) s.resize(ml::kMaxBlobSize);
}

objects::RunnerBuffers ObjectSet::Storage::buffers() {
  objects::RunnerBuffers b;
  b.slot[0] = slot[0];
  b.slot[1] = slot[1];
  b.raw_window = raw;
  b.lof = ml::LofBuffers{vectors.data(), kdist.data(), lrd.data(), neighbours.data(), kLofCapacity,
                         ml::kMaxFeatures};
  return b;
}

ObjectSet::ObjectSet(client::Platform& platform, wire::Bytes builtin, const ml::Pipeline& sensor,
                     std::string_view endpoint, std::string_view bindings)
    : storage_(sensor),
      device_(platform, device_info(endpoint, bindings)),
      connectivity_(host_link()),
      firmware_(platform),
      tinyml_(platform, runner_config(builtin, sensor), storage_.buffers()),
      all_{&device_, &connectivity_, &firmware_} {
  for (client::Object* o : tinyml_.objects()) all_.push_back(o);
}

}  // namespace tl::device
