#include "device/session.hpp"

namespace tl::device {

Session::Session(const DeviceOptions& o, const Security& security, const std::string& data_dir,
                 const LoadedModel& model)
    : security_(security),
      server_(o.server),
      endpoint_(o.endpoint),
      account_(make_account(o, security_, server_)),
      config_(make_config(o, account_, endpoint_)),
      platform(data_dir),
      objects(platform, model.bytes, model.pipeline, endpoint_, o.queue_mode ? "UQ" : "U") {
  // A server-written model with other classes changes the 33650 instances: tell the server.
  objects.tinyml().set_objects_changed_hook(on_objects_changed, this);
}

client::ServerAccount Session::make_account(const DeviceOptions& o, const Security& s, const std::string& uri) {
  client::ServerAccount a;
  a.uri = uri;
  a.bootstrap = o.bootstrap;
  a.mode = s.psk ? client::SecurityMode::psk : client::SecurityMode::nosec;
  a.identity = s.identity;
  a.key = s.key;
  a.lifetime_s = o.lifetime_s;
  return a;
}

client::ClientConfig Session::make_config(const DeviceOptions& o, const client::ServerAccount& a,
                                          const std::string& endpoint) {
  client::ClientConfig c;
  c.endpoint = endpoint;
  c.queue_mode = o.queue_mode;
  c.awake_ms = o.awake_ms;
  c.factory = {&a, 1};
  // A device on a desk: retry a failed registration soon rather than after 15 s.
  c.retry_first_s = 5;
  c.retry_max_s = 60;
  return c;
}

void Session::on_objects_changed(void* self) { static_cast<Session*>(self)->client.objects_changed(); }

}  // namespace tl::device
