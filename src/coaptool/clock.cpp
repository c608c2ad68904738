#include "coaptool/clock.hpp"

#include <chrono>
#include <mutex>
#include <random>

namespace tl::coaptool {

uint64_t now_ms() {
  using namespace std::chrono;
  return static_cast<uint64_t>(duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
}

uint32_t random32() {
  // Shared by a responder and a client running in threads of one test process.
  static std::mutex lock;
  static std::mt19937 gen{std::random_device{}()};
  const std::lock_guard<std::mutex> hold(lock);
  return static_cast<uint32_t>(gen());
}

std::vector<uint8_t> new_token(size_t size) {
  std::vector<uint8_t> t(size);
  for (auto& b : t) b = static_cast<uint8_t>(random32());
  return t;
}

}  // namespace tl::coaptool
