// A ServerApi for the HTTP tests: in-memory devices, scripted outcomes answered from a separate
// "network" thread, and an event trigger.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "server/core/api.hpp"

namespace tl::server::http::test {

class FakeServerApi : public core::ServerApi {
 public:
  using Script = std::function<core::Outcome(const std::string& endpoint, const core::DeviceRequest&)>;

  explicit FakeServerApi(store::Store& store) : store_(store) {
    network_ = std::thread([this] { loop(); });
  }
  ~FakeServerApi() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    network_.join();
  }

  void add_device(core::DeviceInfo info) {
    std::lock_guard lock(mutex_);
    devices_[info.endpoint] = std::move(info);
  }
  void set_script(Script script) {
    std::lock_guard lock(mutex_);
    script_ = std::move(script);
  }
  std::vector<std::pair<std::string, core::DeviceRequest>> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  void add_pending(store::PendingRequest request) {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(request));
  }
  // Calls every subscriber, on the fake network thread.
  void emit(core::Event event) {
    run_on_network([this, event] {
      std::lock_guard lock(subscribers_mutex_);
      for (auto& [id, fn] : subscribers_) fn(event);
    });
  }
  // Returns once everything queued on the fake network thread before the call has run.
  void drain() {
    std::promise<void> done;
    auto future = done.get_future();
    run_on_network([&done] { done.set_value(); });
    future.wait();
  }
  std::size_t subscriber_count() {
    std::lock_guard lock(subscribers_mutex_);
    return subscribers_.size();
  }

  std::vector<core::DeviceInfo> devices(const core::DeviceQuery& query) override {
    std::lock_guard lock(mutex_);
    std::vector<core::DeviceInfo> out;
    for (const auto& [endpoint, info] : devices_) {
      if (!endpoint.starts_with(query.endpoint_prefix)) continue;
      if (!query.after_endpoint.empty() && endpoint <= query.after_endpoint) continue;
      if (out.size() >= query.limit) break;
      out.push_back(info);
    }
    return out;
  }
  std::optional<core::DeviceInfo> device(std::string_view endpoint) override {
    std::lock_guard lock(mutex_);
    const auto it = devices_.find(std::string(endpoint));
    if (it == devices_.end()) return std::nullopt;
    return it->second;
  }
  std::size_t device_count() override {
    std::lock_guard lock(mutex_);
    return devices_.size();
  }
  void request(std::string_view endpoint, core::DeviceRequest request,
               core::OutcomeCallback done) override {
    core::Outcome outcome;
    {
      std::lock_guard lock(mutex_);
      received_.emplace_back(std::string(endpoint), request);
      if (!devices_.contains(std::string(endpoint))) {
        outcome.status = core::OutcomeStatus::not_registered;
      } else if (script_) {
        outcome = script_(std::string(endpoint), request);
      } else {
        outcome.status = core::OutcomeStatus::done;
        outcome.coap_code = request.op == core::Operation::read ? 0x45 : 0x44;
      }
    }
    run_on_network([done = std::move(done), outcome = std::move(outcome)] { done(outcome); });
  }
  std::vector<store::PendingRequest> pending_requests(std::string_view) override {
    std::lock_guard lock(mutex_);
    return pending_;
  }
  std::unique_ptr<core::Subscription> subscribe(
      std::function<void(const core::Event&)> on_event) override {
    std::lock_guard lock(subscribers_mutex_);
    const int id = next_subscriber_++;
    subscribers_[id] = std::move(on_event);
    return std::make_unique<Sub>(*this, id);
  }
  store::Store& storage() override { return store_; }

 private:
  struct Sub : core::Subscription {
    Sub(FakeServerApi& api, int id) : api_(api), id_(id) {}
    ~Sub() override {
      std::lock_guard lock(api_.subscribers_mutex_);
      api_.subscribers_.erase(id_);
    }
    FakeServerApi& api_;
    int id_;
  };

  void run_on_network(std::function<void()> fn) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(fn));
    }
    cv_.notify_all();
  }
  void loop() {
    std::unique_lock lock(mutex_);
    while (true) {
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      auto fn = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      fn();
      lock.lock();
    }
  }

  store::Store& store_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::map<std::string, core::DeviceInfo> devices_;
  Script script_;
  std::vector<std::pair<std::string, core::DeviceRequest>> received_;
  std::vector<store::PendingRequest> pending_;
  std::mutex subscribers_mutex_;
  std::map<int, std::function<void(const core::Event&)>> subscribers_;
  int next_subscriber_ = 0;
  std::thread network_;
};

}  // namespace tl::server::http::test
