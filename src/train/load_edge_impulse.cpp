// Edge Impulse data acquisition format:
// {"protected":{...}, "signature":"...", "payload":{"device_type":..., "interval_ms":10,
//  "sensors":[{"name":"accX","units":"m/s2"},...], "values":[[x,y,z],...]}}
#include <cmath>
#include <nlohmann/json.hpp>

#include "train/loaders.hpp"

namespace tl::train {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
  throw InputError(name, "", problem,
                   "expected Edge Impulse data acquisition JSON with payload.interval_ms, "
                   "payload.sensors and payload.values");
}

const json& member(const std::string& name, const json& obj, const char* key, const char* path) {
  if (!obj.is_object() || !obj.contains(key)) fail(name, std::string("no ") + path);
  return obj.at(key);
}

}  // namespace

Recording parse_edge_impulse_json(const std::string& name, std::string_view text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(name, "byte " + std::to_string(e.byte), "not valid JSON",
                     "check the file's extension matches its content");
  }
  const json& payload = member(name, doc, "payload", "payload object");
  const json& interval = member(name, payload, "interval_ms", "payload.interval_ms");
  const json& sensors = member(name, payload, "sensors", "payload.sensors");
  const json& values = member(name, payload, "values", "payload.values");
  if (!interval.is_number() || interval.get<double>() <= 0) {
    fail(name, "payload.interval_ms is not a positive number");
  }
  if (!sensors.is_array() || sensors.empty()) fail(name, "payload.sensors is empty");
  if (!values.is_array() || values.empty()) fail(name, "payload.values is empty");
  Recording r;
  r.file = name;
  r.axes = sensors.size();
  r.rate_hz = float(1000.0 / interval.get<double>());
  for (size_t i = 0; i < values.size(); ++i) {
    const json& row = values[i];
    if (!row.is_array() || row.size() != r.axes) {
      fail(name, "payload.values[" + std::to_string(i) + "] does not hold " +
                     std::to_string(r.axes) + " numbers (one per sensor)");
    }
    for (const json& v : row) {
      float f = v.is_number() ? v.get<float>() : NAN;
      if (!std::isfinite(f)) {
        fail(name, "payload.values[" + std::to_string(i) + "] has a value that is not a finite "
                   "number");
      }
      r.samples.push_back(f);
    }
  }
  return r;
}

}  // namespace tl::train
