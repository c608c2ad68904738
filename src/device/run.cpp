// run_device: checks the options, loads the model and the recordings, then runs one Session in
// the Loop. Every user mistake becomes exit code 2 with the option or file that fixes it.
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "device/device.hpp"
#include "device/loop.hpp"
#include "device/replay.hpp"
#include "device/security.hpp"
#include "device/session.hpp"
#include "ml/blob.hpp"
#include "train/loaders.hpp"

namespace tl::device {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUserError = 2;

// A user mistake, carried to run_device's single catch.
struct UserError {
  std::string message;
};

LoadedModel load_model(const std::string& path) {
  LoadedModel m;
  const std::string text = train::read_file_bytes(path);
  m.bytes.assign(text.begin(), text.end());
  ml::ModelView view;
  const ml::Error err = ml::open_blob(m.bytes.data(), m.bytes.size(), &view);
  if (err != ml::Error::ok) {
    throw UserError{path + ": not a valid model blob (" + ml::error_name(err) +
                    "); pass the model.tlm written by 'tinyloop train'"};
  }
  m.pipeline = view.pipeline;
  return m;
}

void check_options(const DeviceOptions& o, Security& security) {
  std::string problem = check_security(o, security);
  if (!problem.empty()) throw UserError{problem};
  if (o.endpoint.empty() || o.endpoint.size() > 63) throw UserError{"--endpoint needs a name of 1..63 characters"};
  if (o.recordings.empty()) throw UserError{"pass at least one recording with --replay FILE"};
}

// The data directory: --data-dir, or a fresh temporary one removed when the run ends, so that
// a run without --data-dir always starts from the command line's account and zero counters.
class DataDir {
 public:
  explicit DataDir(const std::string& given) : path_(given) {
    if (!path_.empty()) return;
    std::string pattern = (std::filesystem::temp_directory_path() / "tinyloop-device-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw UserError{"cannot create a temporary directory: pass --data-dir DIR"};
    path_ = pattern;
    temporary_ = true;
  }
  ~DataDir() {
    std::error_code ignored;
    if (temporary_) std::filesystem::remove_all(path_, ignored);
  }
  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool temporary_ = false;
};

Outcome run_checked(const DeviceOptions& o, const std::atomic<bool>& stop) {
  Security security;
  check_options(o, security);
  const LoadedModel model = load_model(o.model);
  train::Warnings warnings;
  const std::vector<ReplayWindow> windows = load_replay(o.recordings, o.rate_hz, model.pipeline, warnings);
  for (const auto& w : warnings) {
    if (o.log != nullptr) std::fprintf(o.log, "warning: %s\n", w.c_str());
  }
  if (windows.empty()) throw UserError{"the recordings are too short for one window of the model; replay longer ones"};
  DataDir dir(o.data_dir);
  Loop loop(windows, o, stop);
  Outcome out;
  do {
    // On the heap: the client with its buffers is several KB, the blob slots 256 KB.
    auto session = std::make_unique<Session>(o, security, dir.path(), model);
    out.windows = loop.run(*session);
  } while (loop.rebooted());
  return out;
}

}  // namespace

Outcome run_device(const DeviceOptions& o, const std::atomic<bool>& stop) {
  try {
    return run_checked(o, stop);
  } catch (const UserError& e) {
    return Outcome{kExitUserError, e.message, 0};
  } catch (const train::InputError& e) {
    return Outcome{kExitUserError, e.what(), 0};
  } catch (const std::exception& e) {
    return Outcome{kExitFailure, std::string(e.what()) + "; this is a bug if it persists", 0};
  }
}

}  // namespace tl::device
