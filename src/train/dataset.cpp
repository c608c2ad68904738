#include "train/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "train/windowing.hpp"

namespace tl::train {
namespace {

std::string extension(const std::string& path) {
  std::string e = std::filesystem::path(path).extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return e;
}

std::string label_for(const std::string& file, const DataOptions& o) {
  std::string l = o.labels.find(file);
  return l.empty() ? label_from_file_name(file) : l;
}

int class_index(FeatureTable& t, const std::string& label) {
  auto it = std::find(t.classes.begin(), t.classes.end(), label);
  if (it != t.classes.end()) return int(it - t.classes.begin());
  t.classes.push_back(label);
  return int(t.classes.size() - 1);
}

void add_rows(FeatureTable& t, const std::vector<std::vector<float>>& rows, int cls,
              const std::string& group) {
  for (const auto& r : rows) {
    t.x.insert(t.x.end(), r.begin(), r.end());
    t.y.push_back(cls);
    t.group.push_back(int(t.groups.size()));
  }
  t.groups.push_back(group);
}

void add_recording(FeatureTable& t, const std::string& file, const DataOptions& o,
                   Warnings& warnings) {
  Recording r = load_recording(file, o.input_rate_hz, warnings);
  if (r.axes != o.pipeline.axes) {
    throw InputError(file, "", "has " + std::to_string(r.axes) + " axes, the pipeline expects " +
                                   std::to_string(o.pipeline.axes),
                     "pass --axes " + std::to_string(r.axes) + " or use matching recordings");
  }
  auto rows = featurise(r, o.pipeline, r.rate_hz);
  if (rows.empty()) {
    warnings.push_back(file + ": " + std::to_string(r.rows()) +
                       " samples, too short for one window; skipped");
  }
  int cls = class_index(t, label_for(file, o));
  add_rows(t, rows, cls, file);
}

void add_feature_csv(FeatureTable& t, const std::string& file, const DataOptions& o) {
  auto rows = parse_feature_csv(file, read_file_bytes(file));
  size_t want = ml::feature_count(o.pipeline);
  if (rows.front().size() != want) {
    throw InputError(file, "line 1", "rows have " + std::to_string(rows.front().size()) +
                                         " features, the pipeline produces " +
                                         std::to_string(want),
                     "pass the --blocks and --axes that produced this file");
  }
  int cls = class_index(t, label_for(file, o));
  // The CSV does not say which windows came from which recording: each row is its own group.
  for (size_t i = 0; i < rows.size(); ++i) {
    add_rows(t, {rows[i]}, cls, file + ":" + std::to_string(i + 1));
  }
}

// class_files[c]: the first file labelled c, for the message.
void check_classes(const FeatureTable& t, const std::vector<std::string>& class_files) {
  std::vector<size_t> count(t.classes.size(), 0);
  for (int c : t.y) ++count[size_t(c)];
  for (size_t c = 0; c < count.size(); ++c) {
    if (count[c] >= 2) continue;
    throw InputError(class_files[c], "", "class '" + t.classes[c] + "' has " +
                                             std::to_string(count[c]) +
                                             " window(s); training needs at least 2 per class",
                     "add recordings of this class, lower --window/--hop, or drop the class");
  }
  if (t.classes.size() < 2) {
    throw InputError(class_files.front(), "", "all data has one class ('" + t.classes.front() +
                                                  "')",
                     "a classifier needs at least two classes");
  }
}

}  // namespace

Recording load_recording(const std::string& file, float input_rate_hz, Warnings& warnings) {
  std::string bytes = read_file_bytes(file);
  const std::string ext = extension(file);
  const bool npy = ext == ".npy", csv = ext == ".csv";
  Recording r = npy ? parse_npy(file, bytes, warnings)
                : csv ? parse_csv_recording(file, bytes)
                      : parse_edge_impulse_json(file, bytes);
  // A CSV's timestamps only estimate the rate: a --rate given wins.
  if (csv && input_rate_hz > 0) r.rate_hz = input_rate_hz;
  if (r.rate_hz <= 0 && input_rate_hz <= 0) {
    throw InputError(file, "", npy ? "NumPy files do not say their sample rate" : "the CSV has no timestamp column",
                     "pass --rate HZ (e.g. --rate 100 for the gestures-100hz recordings)");
  }
  if (!npy && !csv && input_rate_hz > 0 && std::fabs(r.rate_hz - input_rate_hz) > 1e-3f * r.rate_hz) {
    throw InputError(file, "", "is sampled at " + std::to_string(r.rate_hz) + " Hz, not the --rate " +
                                   std::to_string(input_rate_hz) + " Hz",
                     "drop --rate or pass recordings of one rate");
  }
  if (npy) r.rate_hz = input_rate_hz;
  return r;
}

std::vector<std::vector<float>> featurise(const Recording& r, const ml::Pipeline& p,
                                          float recording_rate_hz) {
  Recording src = r;
  src.rate_hz = recording_rate_hz;
  if (recording_rate_hz != p.sample_rate_hz) src = resample(src, p.sample_rate_hz);
  std::vector<std::vector<float>> rows;
  const size_t n = p.window, a = p.axes;
  std::vector<float> window(n * a);
  for (size_t start : window_starts(src.rows(), n, p.hop)) {
    for (size_t i = 0; i < n * a; ++i) window[i] = src.samples[start * a + i] * p.input_scale;
    std::vector<float> f(ml::feature_count(p));
    if (ml::compute_features(p, window.data(), f.data()) != ml::Error::ok) {
      throw InputError(r.file, "sample " + std::to_string(start),
                       "feature extraction failed (non-finite sample after scaling)",
                       "check --input-scale and the recording");
    }
    rows.push_back(std::move(f));
  }
  return rows;
}

FeatureTable load_dataset(const std::vector<std::string>& files, const DataOptions& o,
                          Warnings& warnings) {
  if (files.empty()) throw InputError("(command line)", "", "no input files", "pass DATA files");
  if (ml::validate_pipeline(o.pipeline) != ml::Error::ok) {
    throw InputError("(command line)", "", "the pipeline options are out of range",
                     "check --window (1..512), --hop, --axes (1..6), --blocks, --rate");
  }
  FeatureTable t;
  t.n_features = ml::feature_count(o.pipeline);
  for (const auto& f : files) {
    std::string ext = extension(f);
    if (ext == ".npy" || ext == ".json") {
      add_recording(t, f, o, warnings);
    } else if (ext == ".csv") {
      add_feature_csv(t, f, o);
    } else {
      throw InputError(f, "", "unknown file type '" + ext + "'",
                       "inputs are .npy or Edge Impulse .json recordings, or FogML .csv features");
    }
  }
  std::vector<std::string> class_files(t.classes.size());
  for (const auto& f : files) {
    auto& first = class_files[size_t(class_index(t, label_for(f, o)))];
    if (first.empty()) first = f;
  }
  check_classes(t, class_files);
  return t;
}

}  // namespace tl::train
