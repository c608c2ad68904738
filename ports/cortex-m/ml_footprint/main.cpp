// TinyML footprint on the Cortex-M4F: the paper's configuration (Tab. 2) run from blobs in flash.
// Prints "figure: value unit" lines: instructions per window for each stage, per LOF step, the
// model data sizes; flash per object comes from the link map (bench/ml-footprint/run).
#include <cstddef>
#include <cstdint>

#include "measure.hpp"
#include "ml/blob.hpp"
#include "ml/lof.hpp"
#include "semihost.h"

namespace {

#include "models.inc"

using namespace tl::ml;

constexpr std::uint32_t kReps = 200;
volatile float g_sink;  // keeps the k-means score alive

// A 2 s window at 10 Hz: gravity on z plus a slow circle on x/y, in m/s^2.
void make_window(float* w, int phase) {
  float x = 0.0f, v = 1.0f;  // a rotation by recurrence: no libm sin/cos in the firmware
  for (int i = 0; i < phase; ++i) {
    const float nx = x + v * 0.3f;
    v = v - nx * 0.3f;
    x = nx;
  }
  for (std::size_t n = 0; n < 20; ++n) {
    const float nx = x + v * 0.3f;
    v = v - nx * 0.3f;
    x = nx;
    w[3 * n] = 4.0f * x;
    w[3 * n + 1] = 4.0f * v;
    w[3 * n + 2] = -9.6f + 0.1f * x;
  }
}

int fail(const char* what, Error e) {
  sh_puts(what);
  sh_puts(": ");
  sh_puts(error_name(e));
  sh_puts("\n");
  return 1;
}

int measure_model(const char* tag, const std::uint8_t* blob, std::size_t size,
                  std::uint32_t packed_bytes, std::uint32_t general_bytes) {
  ModelView m;
  if (const Error e = open_blob(blob, size, &m); e != Error::ok) return fail("open_blob", e);
  static float window[60];
  make_window(window, 3);
  static Result r;
  if (const Error e = run_window(m, window, &r); e != Error::ok) return fail("run_window", e);
  static float feat[kMaxFeatures];
  static std::uint16_t votes[kMaxClasses];
  const std::uint64_t features = tl::cortexm::instructions_per_call(
      kReps, [&] { (void)compute_features(m.pipeline, window, feat); });
  const std::uint64_t scaler = tl::cortexm::instructions_per_call(kReps, [&] {
    for (std::size_t i = 0; i < 12; ++i) feat[i] = r.raw[i];
    apply_scaler(m.scaler, feat);
  });
  const std::uint64_t copy = tl::cortexm::instructions_per_call(kReps, [&] {
    for (std::size_t i = 0; i < 12; ++i) feat[i] = r.raw[i];
  });
  const std::uint64_t forest = tl::cortexm::instructions_per_call(
      kReps, [&] { packed_forest_votes(m.packed, r.scaled, votes); });
  const std::uint64_t kmeans = tl::cortexm::instructions_per_call(
      kReps, [&] { g_sink = kmeans_score(m.kmeans, r.scaled); });
  const std::uint64_t whole =
      tl::cortexm::instructions_per_call(kReps, [&] { (void)run_window(m, window, &r); });
  const std::uint64_t open = tl::cortexm::instructions_per_call(
      10, [&] { (void)open_blob(blob, size, &m); });
  char name[64];
  auto figure = [&](const char* what, std::uint64_t v, const char* unit) {
    std::size_t n = 0;
    for (const char* s = tag; *s != '\0';) name[n++] = *s++;
    name[n++] = ' ';
    for (const char* s = what; *s != '\0' && n + 1 < sizeof name;) name[n++] = *s++;
    name[n] = '\0';
    sh_figure(name, v, unit);
  };
  figure("features instructions per window", features, "instr");
  figure("scaler instructions per window", scaler - copy, "instr");
  figure("forest instructions per inference", forest, "instr");
  figure("kmeans instructions per window", kmeans, "instr");
  figure("pipeline instructions per window", whole, "instr");
  figure("open_blob instructions", open, "instr");
  figure("blob size", size, "B");
  figure("packed forest data", packed_bytes, "B");
  figure("general forest data", general_bytes, "B");
  figure("thresholds", m.packed.threshold_count, "count");
  figure("predicted class", static_cast<std::uint64_t>(r.predicted), "index");
  return 0;
}

// LOF with on-device learning: 100 vectors of 12 features, k = 3.
StaticLof<100, 12> lof;

int measure_lof() {
  if (const Error e = lof.init(12, 3, 1234); e != Error::ok) return fail("lof init", e);
  Xorshift32 rng;
  rng.seed(99);
  static float x[12];
  auto next_vector = [&] {
    for (float& v : x) v = static_cast<float>(rng.next() >> 8) * (1.0f / 16777216.0f);
  };
  for (int i = 0; i < 100; ++i) {
    next_vector();
    lof.learn(x);
  }
  const std::uint64_t learn = tl::cortexm::instructions_per_call(kReps, [&] { lof.learn(x); });
  std::uint64_t refit_total = 0;
  for (int i = 0; i < 4; ++i) {  // refit only works after a change: learn (counted apart) first
    next_vector();
    while (!lof.learn(x)) next_vector();
    cm_counter_start();
    const std::uint32_t t0 = cm_ticks();
    lof.refit();
    refit_total += cm_instructions(t0, cm_ticks());
  }
  float score = 0.0f;
  next_vector();
  const std::uint64_t scoring =
      tl::cortexm::instructions_per_call(kReps, [&] { (void)lof.score(x, &score); });
  sh_figure("lof learn (reservoir insert) instructions", learn, "instr");
  sh_figure("lof refit instructions (100 vectors, k=3)", refit_total / 4, "instr");
  sh_figure("lof score instructions", scoring, "instr");
  sh_figure("lof learning step instructions (insert + refit + score)",
            learn + refit_total / 4 + scoring, "instr");
  sh_figure("lof store ram", sizeof lof, "B");
  return 0;
}

}  // namespace

int main() {
  int rc = measure_model("forest-3class", kModel1, sizeof kModel1, kModel1PackedForestBytes,
                         kModel1GeneralForestBytes);
  rc |= measure_model("forest-4class", kModel2, sizeof kModel2, kModel2PackedForestBytes,
                      kModel2GeneralForestBytes);
  rc |= measure_lof();
  sh_exit(rc);
}
