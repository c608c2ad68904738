#include "train/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace tl::train {

Progress::Progress(std::string what) : what_(std::move(what)), tty_(isatty(STDERR_FILENO) == 1) {}

void Progress::update(size_t done, size_t total) {
  if (total == 0) return;
  const int percent = int(done * 100 / total);
  if (tty_) {
    if (percent == last_) return;
    constexpr int kWidth = 30;
    char bar[kWidth + 1];
    for (int i = 0; i < kWidth; ++i) bar[i] = i < percent * kWidth / 100 ? '#' : '.';
    bar[kWidth] = '\0';
    std::fprintf(stderr, "\r%s [%s] %3d%% (%zu/%zu)", what_.c_str(), bar, percent, done, total);
  } else {
    if (percent / 10 == last_) return;
    std::fprintf(stderr, "%s: %zu/%zu (%d%%)\n", what_.c_str(), done, total, percent);
    last_ = percent / 10;
    return;
  }
  last_ = percent;
  std::fflush(stderr);
}

void Progress::finish() {
  if (tty_ && last_ >= 0) std::fprintf(stderr, "\n");
  last_ = -1;
}

}  // namespace tl::train
