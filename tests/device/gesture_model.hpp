// The model and the recordings of the end-to-end tests: a forest trained once per test program
// on the gestures-100hz recordings (10 Hz, windows of 20, hop 10), and what the runtime itself
// predicts for each replayed window, which the device's counters must match.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace tl::device::test {

struct GestureModel {
  std::string blob_path;            // model.tlm in a temporary directory
  std::vector<std::string> labels;  // class index -> label
};

// Trained on first use (a few seconds); the file lives until the program exits.
const GestureModel& gesture_model();

// One recording of each class, replayed by the tests (at 100 Hz).
std::vector<std::string> replay_recordings();

// Windows per predicted class over `recordings` (back to back), computed with ml::run_window on
// the resampled, scaled windows, exactly as a device sees them.
std::map<int, unsigned> expected_counts(const std::string& blob_path, const std::vector<std::string>& recordings);

}  // namespace tl::device::test
