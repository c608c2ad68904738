// The bootstrap server (TS 1.1 6.1): a device's Bootstrap-Request is answered, then its stored
// configuration is written in the TS's sequence: Bootstrap-Delete of everything, a Security
// (0) and a Server (1) instance per LwM2M server, Bootstrap-Finish.
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "server/codec/codec.hpp"
#include "server/core/batch.hpp"
#include "server/core/core.hpp"
#include "server/core/incoming.hpp"
#include "server/store/hex.hpp"

namespace tl::server::core {

using wire::coap::Code;

// One device's bootstrap in progress: the steps left and where they go.
struct BootstrapRun {
  std::string endpoint;
  Peer peer;
  bool secure = false;
  std::vector<std::pair<DeviceRequest, std::string>> steps;  // request, uri override
};

namespace {

std::optional<std::string_view> query_value(const std::vector<std::string_view>& query, std::string_view key) {
  for (std::string_view item : query) {
    if (item.size() > key.size() && item.substr(0, key.size()) == key && item[key.size()] == '=') {
      return item.substr(key.size() + 1);
    }
  }
  return std::nullopt;
}

std::vector<uint8_t> key_of(const std::string& hex) {
  std::vector<uint8_t> key;
  if (!store::from_hex(hex, key)) throw std::invalid_argument("the psk is not hexadecimal");
  return key;
}

Sample at(const char* path, store::Value v) { return Sample{0, *Path::parse(path), 0, std::move(v)}; }

DeviceRequest write_instance(uint16_t object, uint16_t instance, std::vector<Sample> values) {
  DeviceRequest r;
  r.op = Operation::write_replace;
  r.path = Path::of(2, object, instance);
  r.format = Format::tlv;  // what every LwM2M 1.0 and 1.1 client takes in a Bootstrap-Write
  r.values = std::move(values);
  return r;
}

// The steps for a stored configuration ({"servers":[...]} as the REST API stores it); throws
// nlohmann::json::exception or std::invalid_argument on a malformed one.
std::vector<std::pair<DeviceRequest, std::string>> steps_of(const std::string& config_json) {
  const auto config = nlohmann::json::parse(config_json);
  std::vector<std::pair<DeviceRequest, std::string>> steps;
  DeviceRequest wipe;
  wipe.op = Operation::delete_instance;
  steps.emplace_back(wipe, "/");  // Bootstrap-Delete "/": all but the bootstrap account
  uint16_t instance = 1;         // 0 is the device's bootstrap account by custom
  for (const auto& s : config.at("servers")) {
    const bool psk = s.at("security_mode").get<std::string>() == "psk";
    const auto ssid = s.at("short_server_id").get<int64_t>();
    const std::string base = "/0/" + std::to_string(instance) + "/";
    std::vector<Sample> security = {
        at((base + "0").c_str(), s.at("uri").get<std::string>()),
        at((base + "1").c_str(), false),
        at((base + "2").c_str(), int64_t{psk ? 0 : 3}),  // security mode: 0 PSK, 3 NoSec
        at((base + "10").c_str(), ssid),
    };
    if (psk) {
      const std::string identity = s.at("psk_identity").get<std::string>();
      security.push_back(at((base + "3").c_str(), store::Opaque(identity.begin(), identity.end())));
      security.push_back(at((base + "5").c_str(), key_of(s.at("psk").get<std::string>())));
    }
    steps.emplace_back(write_instance(0, instance, std::move(security)), "");
    const std::string srv = "/1/" + std::to_string(instance - 1) + "/";
    steps.emplace_back(write_instance(1, static_cast<uint16_t>(instance - 1),
                                      {at((srv + "0").c_str(), ssid),
                                       at((srv + "1").c_str(), s.value("lifetime", int64_t{86'400})),
                                       at((srv + "7").c_str(), s.value("binding", std::string("U")))}),
                       "");
    ++instance;
  }
  DeviceRequest finish;
  finish.op = Operation::execute;  // POST without payload
  steps.emplace_back(finish, "bs");
  return steps;
}

}  // namespace

void Core::on_bootstrap_request(Incoming& in) {
  const auto ep = query_value(in.query, "ep");
  if (!ep || ep->empty()) return answer(in, Code::bad_request);
  if (in.secure && config_.endpoint_of_identity(in.identity) != *ep) return answer(in, Code::forbidden);
  if (!in.secure && !config_.allow_nosec) return answer(in, Code::forbidden);
  auto run = std::make_shared<BootstrapRun>();
  run->endpoint = std::string(*ep);
  run->peer = in.peer;
  run->secure = in.secure;
  try {
    const auto config = store_.bootstrap_config(run->endpoint);
    if (!config) return answer(in, Code::bad_request);  // nothing configured for this endpoint
    run->steps = steps_of(config->config_json);
  } catch (const std::exception&) {
    ++stats_.bootstrap_failures;
    return answer(in, Code::internal_server_error);  // a configuration the REST API would refuse
  }
  answer(in, Code::changed);
  run_bootstrap(std::move(run), 0);
}

void Core::run_bootstrap(std::shared_ptr<BootstrapRun> run, size_t step) {
  if (step == run->steps.size()) {
    ++stats_.bootstraps;
    batch().writes.audit(store::AuditEntry{link_.wall_ms(), "server", "bootstrap", run->endpoint + ": done"});
    return;
  }
  auto& [request, uri] = run->steps[step];
  start_to(0, run->peer, run->secure, false, request,
           [this, run, step](Outcome o) {
             const uint8_t cls = o.coap_code >> 5;
             if (o.status == OutcomeStatus::done && cls == 2) return run_bootstrap(run, step + 1);
             ++stats_.bootstrap_failures;
             batch().writes.audit(store::AuditEntry{link_.wall_ms(), "server", "bootstrap",
                                                    run->endpoint + ": step " + std::to_string(step) + " failed: " +
                                                        (o.detail.empty() ? "code " + std::to_string(cls) : o.detail)});
           },
           0, uri);
}

}  // namespace tl::server::core
