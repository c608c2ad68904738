// The store writes of the last few milliseconds and what waits for them to be durable.
#pragma once
#include <functional>
#include <vector>

#include "server/core/core.hpp"
#include "server/store/write_batch.hpp"

namespace tl::server::core {

struct Core::Batch {
  store::WriteBatch writes;
  std::vector<std::function<void(bool durable)>> then;
  size_t count = 0;   // writes and callbacks: the store's work
  size_t values = 0;  // reported values among the writes
  size_t notifications = 0;
};

}  // namespace tl::server::core
