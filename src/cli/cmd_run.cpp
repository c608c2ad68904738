// `tinyloop run MODEL.tlm RECORDING...`: runs a model blob over recordings exactly as a device
// does (the runtime's blob evaluator on windows of the blob's pipeline) and reports per recording
// the classes it saw and how many windows the anomaly detector flagged.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "ml/blob.hpp"
#include "ml/error.hpp"
#include "train/dataset.hpp"
#include "train/input_error.hpp"
#include "train/loaders.hpp"
#include "train/windowing.hpp"

namespace {

using namespace tl;

struct Options {
  std::string model;
  std::vector<std::string> recordings;
  float rate_hz = 0;
  bool every_window = false;
  size_t top = 0;
};

// One evaluated window, kept for --top.
struct ScoredWindow {
  float score = 0;
  std::string file;
  size_t start = 0;
  int predicted = -1;
};

[[noreturn]] void user_error(const std::string& message) {
  std::fprintf(stderr, "tinyloop run: %s\n", message.c_str());
  throw CLI::RuntimeError(cli::kExitUserError);
}

ml::ModelView open_model(const std::string& path, const std::string& bytes) {
  ml::ModelView view;
  auto err = ml::open_blob(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), &view);
  if (err != ml::Error::ok) {
    user_error(path + ": not a valid model blob (" + ml::error_name(err) +
               "); pass the model.tlm written by 'tinyloop train'");
  }
  return view;
}

struct Summary {
  size_t windows = 0;
  size_t anomalies = 0;
  float max_score = 0;
  std::map<int, size_t> classes;
};

const char* class_name(const ml::ModelView& m, int predicted) {
  return predicted >= 0 ? ml::label(m, size_t(predicted)) : "-";
}

void print_window(const ml::ModelView& m, const ScoredWindow& w, bool anomaly) {
  std::printf("  %s, window at sample %zu: %s, anomaly score %.3f%s\n",
              std::filesystem::path(w.file).filename().c_str(), w.start, class_name(m, w.predicted),
              double(w.score), anomaly ? " ANOMALY" : "");
}

Summary run_recording(const ml::ModelView& m, const train::Recording& rec, bool every_window,
                      std::vector<ScoredWindow>& scored) {
  const ml::Pipeline& p = m.pipeline;
  train::Recording r = rec.rate_hz == p.sample_rate_hz ? rec : train::resample(rec, p.sample_rate_hz);
  const size_t n = p.window * p.axes;
  std::vector<float> window(n);
  Summary s;
  for (size_t start : train::window_starts(r.rows(), p.window, p.hop)) {
    for (size_t i = 0; i < n; ++i) window[i] = r.samples[start * p.axes + i] * p.input_scale;
    ml::Result out;
    if (ml::run_window(m, window.data(), &out) != ml::Error::ok) {
      user_error(rec.file + ": sample " + std::to_string(start) +
                 ": the window holds a non-finite value; check the recording");
    }
    ++s.windows;
    ++s.classes[out.predicted];
    if (out.anomaly) ++s.anomalies;
    if (out.anomaly_score > s.max_score) s.max_score = out.anomaly_score;
    scored.push_back({out.anomaly_score, rec.file, start, out.predicted});
    if (every_window) print_window(m, scored.back(), out.anomaly);
  }
  return s;
}

void print_summary(const ml::ModelView& m, const std::string& file, const Summary& s) {
  if (s.windows == 0) {
    std::printf("%s: too short for one window of the model\n", file.c_str());
    return;
  }
  std::printf("%s: %zu windows;", file.c_str(), s.windows);
  for (const auto& [cls, count] : s.classes) {
    std::printf(" %s %zu", class_name(m, cls), count);
  }
  std::printf("; anomalies %zu of %zu (max score %.2f)\n", s.anomalies, s.windows, double(s.max_score));
}

void run(const Options& o) {
  std::string bytes = train::read_file_bytes(o.model);
  ml::ModelView m = open_model(o.model, bytes);
  std::printf("model %s v%u: %zu classes, window %u x %u at %g Hz, anomaly threshold %.3f\n", m.name,
              unsigned(m.version), size_t(m.class_count), unsigned(m.pipeline.window),
              unsigned(m.pipeline.axes), double(m.pipeline.sample_rate_hz),
              double(m.kmeans.threshold));
  size_t total = 0, flagged = 0;
  std::vector<ScoredWindow> scored;
  for (const auto& file : o.recordings) {
    train::Warnings warnings;
    train::Recording rec = train::load_recording(file, o.rate_hz, warnings);
    for (const auto& w : warnings) std::fprintf(stderr, "tinyloop run: warning: %s\n", w.c_str());
    if (rec.axes != m.pipeline.axes) {
      user_error(file + ": has " + std::to_string(rec.axes) + " axes, the model expects " +
                 std::to_string(m.pipeline.axes));
    }
    Summary s = run_recording(m, rec, o.every_window, scored);
    print_summary(m, file, s);
    total += s.windows;
    flagged += s.anomalies;
  }
  std::printf("total: %zu windows, %zu flagged as anomalies (%.0f%%)\n", total, flagged,
              total ? 100.0 * double(flagged) / double(total) : 0.0);
  if (o.top == 0) return;
  size_t n = std::min(o.top, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + long(n), scored.end(),
                    [](const ScoredWindow& a, const ScoredWindow& b) { return a.score > b.score; });
  std::printf("highest anomaly scores:\n");
  for (size_t i = 0; i < n; ++i) print_window(m, scored[i], scored[i].score > m.kmeans.threshold);
}

void add_run(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("run", "Run a model blob over recordings as a device would");
  cmd->add_option("model", o->model, "Model blob (model.tlm from 'tinyloop train')")->required()->check(CLI::ExistingFile);
  cmd->add_option("recordings", o->recordings, "Recordings: .npy or Edge Impulse .json")->required()->check(CLI::ExistingFile);
  cmd->add_option("--rate", o->rate_hz, "Sample rate of .npy recordings in Hz (they do not say it)");
  cmd->add_flag("--windows", o->every_window, "Print every window's class and anomaly score");
  cmd->add_option("--top", o->top, "Also list the N windows with the highest anomaly scores");
  cmd->footer("Recordings are resampled to the model's rate and cut into its windows and hop.");
  cmd->callback([o] {
    try {
      run(*o);
    } catch (const train::InputError& e) {
      user_error(e.what());
    }
  });
}

const bool registered = cli::add_command(add_run);

}  // namespace
