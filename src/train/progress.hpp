// Progress on stderr: a redrawn bar when stderr is a terminal, otherwise a line per 10% so logs
// stay readable.
#pragma once
#include <cstddef>
#include <string>

namespace tl::train {

class Progress {
 public:
  explicit Progress(std::string what);
  void update(size_t done, size_t total);
  void finish();

 private:
  std::string what_;
  bool tty_;
  int last_ = -1;  // last percentage shown (tty) or last tenth (lines)
};

}  // namespace tl::train
