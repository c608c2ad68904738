#include "server/core/events.hpp"

#include <algorithm>

namespace tl::server::core {

std::string_view to_string(EventKind kind) {
  switch (kind) {
    case EventKind::registered: return "REGISTRATION";
    case EventKind::updated: return "UPDATED";
    case EventKind::deregistered: return "DEREGISTRATION";
    case EventKind::expired: return "EXPIRED";
    case EventKind::notification: return "NOTIFICATION";
    case EventKind::send: return "SEND";
    case EventKind::sleeping: return "SLEEPING";
    case EventKind::awake: return "AWAKE";
    case EventKind::request_done: return "REQUEST";
  }
  return "UNKNOWN";
}

class EventBus::Handle final : public Subscription {
 public:
  Handle(EventBus& bus, const Handler* handler) : bus_(bus), handler_(handler) {}
  ~Handle() override { bus_.unsubscribe(handler_); }

 private:
  EventBus& bus_;
  const Handler* handler_;
};

std::unique_ptr<Subscription> EventBus::subscribe(Handler handler) {
  auto shared = std::make_shared<Handler>(std::move(handler));
  const Handler* key = shared.get();
  std::lock_guard lock(mutex_);
  handlers_.push_back(std::move(shared));
  count_.store(handlers_.size(), std::memory_order_relaxed);
  return std::make_unique<Handle>(*this, key);
}

void EventBus::unsubscribe(const Handler* handler) {
  std::lock_guard lock(mutex_);
  std::erase_if(handlers_, [handler](const auto& h) { return h.get() == handler; });
  count_.store(handlers_.size(), std::memory_order_relaxed);
}

void EventBus::publish(const Event& event) {
  if (!has_subscribers()) return;
  std::vector<std::shared_ptr<Handler>> snapshot;
  {
    std::lock_guard lock(mutex_);
    snapshot = handlers_;
  }
  for (const auto& h : snapshot) (*h)(event);
}

}  // namespace tl::server::core
