// libFuzzer target: open_blob on arbitrary bytes, then on a copy whose total size and CRC are
// rewritten to fit the input (so the fuzzer explores the parser past the CRC check). Every blob
// that opens is evaluated on a fixed window: run_window must never crash or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "ml/blob.hpp"
#include "ml/crc32.hpp"

namespace {

using namespace tl::ml;

const float* fixed_window() {
  static float w[kMaxWindow * kMaxAxes];
  static bool ready = false;
  if (!ready) {
    for (std::size_t i = 0; i < kMaxWindow * kMaxAxes; ++i) {
      w[i] = static_cast<float>(static_cast<int>(i * 7919u % 2001u) - 1000) * 0.01f;
    }
    ready = true;
  }
  return w;
}

void open_and_run(const std::uint8_t* data, std::size_t size) {
  ModelView view;
  if (open_blob(data, size, &view) != Error::ok) return;
  Result result;
  (void)run_window(view, fixed_window(), &result);
  for (std::size_t c = 0; c < view.class_count; ++c) (void)label(view, c);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  open_and_run(data, size);
  if (size < 16) return 0;
  std::vector<std::uint8_t> fixed(data, data + size);
  const auto total = static_cast<std::uint32_t>(size);
  std::memcpy(fixed.data() + 8, &total, sizeof total);
  const std::uint32_t crc = crc32(fixed.data(), size - 4);
  std::memcpy(fixed.data() + size - 4, &crc, sizeof crc);
  open_and_run(fixed.data(), fixed.size());
  return 0;
}
