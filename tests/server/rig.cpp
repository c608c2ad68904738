#include "rig.hpp"

#include <fstream>
#include <future>
#include <thread>
#include <unistd.h>

namespace tl::server::test {

double number_of(const store::Value& v) {
  return std::visit(
      [](const auto& x) -> double {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t> || std::is_same_v<T, double>) {
          return static_cast<double>(x);
        } else if constexpr (std::is_same_v<T, bool>) {
          return x ? 1 : 0;
        } else {
          return -1;
        }
      },
      v);
}

void EventLog::on_event(const core::Event& e) {
  std::lock_guard lock(mutex_);
  for (const store::Sample& s : e.values) values_[s.path.to_string()] = number_of(s.value);
  ++kinds_[e.kind];
  changed_.notify_all();
}

bool EventLog::wait_values(const std::function<bool(const std::map<std::string, double>&)>& ready,
                           Clock::duration timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return ready(values_); });
}

bool EventLog::wait_kind(core::EventKind kind, Clock::duration timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return kinds_[kind] > 0; });
}

std::map<std::string, double> EventLog::values() {
  std::lock_guard lock(mutex_);
  return values_;
}

int EventLog::count(core::EventKind kind) {
  std::lock_guard lock(mutex_);
  return kinds_[kind];
}

ServerRig::ServerRig(std::string psk_lines, std::function<void(ServerConfig&)> tweak) {
  static int counter = 0;
  dir_ = std::filesystem::temp_directory_path() /
         ("tl-server-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  config_.data_dir = dir_ / "data";
  config_.bind = "127.0.0.1";
  config_.coap_port = 0;
  config_.coaps_port = 0;
  config_.http_port = 0;
  if (!psk_lines.empty()) {
    config_.psk_file = dir_ / "psk.csv";
    std::ofstream(config_.psk_file) << psk_lines;
  }
  if (tweak) tweak(config_);
  open();
}

ServerRig::~ServerRig() {
  subscription_.reset();
  server_.reset();
  std::filesystem::remove_all(dir_);
}

void ServerRig::open() {
  server_ = std::make_unique<Server>(config_);
  coap_port_ = server_->coap_port();
  coaps_port_ = server_->coaps_port();
  config_.http_port = 0;
  subscription_ = server_->api().subscribe([this](const core::Event& e) { events_.on_event(e); });
}

void ServerRig::start() { server_->start(); }

void ServerRig::restart() {
  subscription_.reset();
  server_->stop();
  server_.reset();
  config_.coap_port = coap_port_;  // the devices know these
  config_.coaps_port = coaps_port_;
  open();
  start();
}

core::Outcome ServerRig::call(const std::string& endpoint, core::DeviceRequest request, Clock::duration timeout) {
  auto promise = std::make_shared<std::promise<core::Outcome>>();
  auto future = promise->get_future();
  api().request(endpoint, std::move(request), [promise](core::Outcome o) { promise->set_value(std::move(o)); });
  if (future.wait_for(timeout) != std::future_status::ready) {
    core::Outcome o;
    o.status = core::OutcomeStatus::failed;
    o.detail = "test: no outcome in time";
    return o;
  }
  return future.get();
}

bool ServerRig::wait_registered(const std::string& endpoint, Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (api().device(endpoint)) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

}  // namespace tl::server::test
