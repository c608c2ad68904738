// Fan-out of the core's events to subscribers (the SSE stream, tests). Publishing happens on the
// network thread; subscribing and unsubscribing may happen on any thread.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "server/core/api.hpp"

namespace tl::server::core {

class EventBus {
 public:
  using Handler = std::function<void(const Event&)>;

  std::unique_ptr<Subscription> subscribe(Handler handler);
  // Cheap when nobody listens: callers skip building events then.
  bool has_subscribers() const { return count_.load(std::memory_order_relaxed) != 0; }
  void publish(const Event& event);

 private:
  class Handle;
  void unsubscribe(const Handler* handler);

  std::mutex mutex_;
  std::vector<std::shared_ptr<Handler>> handlers_;
  std::atomic<size_t> count_{0};
};

}  // namespace tl::server::core
