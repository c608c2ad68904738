#include "train/kmeans.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "train/rng.hpp"

namespace tl::train {
namespace {

struct Points {
  const std::vector<float>& x;
  size_t dim;
  size_t n() const { return x.size() / dim; }
  const float* at(size_t i) const { return &x[i * dim]; }
};

double dist2(const float* a, const double* c, size_t dim) {
  double s = 0;
  for (size_t i = 0; i < dim; ++i) s += (a[i] - c[i]) * (a[i] - c[i]);
  return s;
}

// Distance to the nearest of the first `k` centres.
double nearest2(const Points& p, size_t i, const std::vector<double>& c, size_t k) {
  double best = std::numeric_limits<double>::infinity();
  for (size_t j = 0; j < k; ++j) best = std::min(best, dist2(p.at(i), &c[j * p.dim], p.dim));
  return best;
}

// k-means++: each next centre is drawn with probability proportional to D(x)^2. Stops early
// when every point coincides with a centre.
std::vector<double> seed_centres(const Points& p, size_t k, Rng& rng) {
  std::vector<double> c;
  size_t first = rng.below(p.n());
  c.insert(c.end(), p.at(first), p.at(first) + p.dim);
  std::vector<double> d2(p.n());
  for (size_t m = 1; m < k; ++m) {
    double total = 0;
    for (size_t i = 0; i < p.n(); ++i) total += d2[i] = nearest2(p, i, c, m);
    if (total <= 0) break;
    double r = rng.unit() * total;
    size_t pick = 0;
    for (double acc = 0; pick + 1 < p.n(); ++pick) {
      acc += d2[pick];
      if (acc > r) break;
    }
    c.insert(c.end(), p.at(pick), p.at(pick) + p.dim);
  }
  return c;
}

struct Run {
  std::vector<double> centres;
  double inertia = 0;
};

Run lloyd(const Points& p, std::vector<double> c, size_t max_iter) {
  const size_t k = c.size() / p.dim;
  std::vector<size_t> assign(p.n(), k);
  for (size_t it = 0; it < max_iter; ++it) {
    bool changed = false;
    for (size_t i = 0; i < p.n(); ++i) {
      size_t best = 0;
      double bd = std::numeric_limits<double>::infinity();
      for (size_t j = 0; j < k; ++j) {
        double d = dist2(p.at(i), &c[j * p.dim], p.dim);
        if (d < bd) bd = d, best = j;
      }
      changed |= assign[i] != best;
      assign[i] = best;
    }
    if (!changed) break;
    std::vector<double> sum(c.size(), 0.0);
    std::vector<size_t> count(k, 0);
    for (size_t i = 0; i < p.n(); ++i) {
      ++count[assign[i]];
      for (size_t f = 0; f < p.dim; ++f) sum[assign[i] * p.dim + f] += p.at(i)[f];
    }
    for (size_t j = 0; j < k; ++j) {
      // An emptied cluster keeps its centre; it may win points back in the next pass.
      if (count[j] == 0) continue;
      for (size_t f = 0; f < p.dim; ++f) c[j * p.dim + f] = sum[j * p.dim + f] / double(count[j]);
    }
  }
  Run run{std::move(c), 0};
  for (size_t i = 0; i < p.n(); ++i) run.inertia += nearest2(p, i, run.centres, k);
  return run;
}

// Radii from the float centroids, with distances computed the way the evaluators do.
std::vector<float> radii(const Points& p, const KMeansDetector& det) {
  const size_t k = det.k();
  std::vector<double> sum(k, 0.0);
  std::vector<size_t> count(k, 0);
  for (size_t i = 0; i < p.n(); ++i) {
    size_t best = 0;
    float bd = INFINITY;
    for (size_t j = 0; j < k; ++j) {
      float d = det.distance(p.at(i), j);
      if (d < bd) bd = d, best = j;
    }
    sum[best] += bd;
    ++count[best];
  }
  std::vector<double> populated;
  for (size_t j = 0; j < k; ++j) {
    if (count[j] >= 2) populated.push_back(sum[j] / double(count[j]));
  }
  // A floor keeps singleton clusters (radius 0) from making every nearby point an anomaly; a
  // floor of 0 (duplicates only) would divide by zero, so it falls back to 1 as well.
  double floor = populated.empty() ? 1.0 : quantile(populated, 0.5);
  if (!(floor > 0)) floor = 1.0;
  std::vector<float> r(k);
  for (size_t j = 0; j < k; ++j) {
    double mean = count[j] ? sum[j] / double(count[j]) : 0.0;
    r[j] = float(std::max(mean, floor));
  }
  return r;
}

}  // namespace

double quantile(std::vector<double> v, double q) {
  if (v.empty()) throw std::invalid_argument("quantile of no values");
  std::sort(v.begin(), v.end());
  double pos = q * double(v.size() - 1);
  size_t i = size_t(pos);
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (v[i + 1] - v[i]) * (pos - double(i));
}

KMeansDetector fit_kmeans(const std::vector<float>& x, size_t dim, const KMeansParams& params,
                          Warnings& warnings) {
  Points p{x, dim};
  if (p.n() == 0) throw std::invalid_argument("k-means needs at least one row");
  Run best;
  best.inertia = std::numeric_limits<double>::infinity();
  for (size_t r = 0; r < std::max<size_t>(1, params.restarts); ++r) {
    Rng rng = Rng::stream(params.seed ^ 0x6B6D65616E73ull, r);
    Run run = lloyd(p, seed_centres(p, std::min(params.clusters, p.n()), rng),
                    params.max_iterations);
    if (run.inertia < best.inertia) best = std::move(run);
  }
  KMeansDetector det;
  det.dim = dim;
  det.centroids.assign(best.centres.begin(), best.centres.end());
  if (det.centroids.size() / dim < params.clusters) {
    warnings.push_back("k-means: only " + std::to_string(det.centroids.size() / dim) +
                       " distinct feature vectors, so " + std::to_string(det.centroids.size() / dim) +
                       " clusters instead of " + std::to_string(params.clusters));
  }
  det.radius.resize(det.centroids.size() / dim);  // k() must be right before radii() reads it
  det.radius = radii(p, det);
  std::vector<double> scores(p.n());
  for (size_t i = 0; i < p.n(); ++i) scores[i] = det.score(p.at(i));
  det.threshold = float(quantile(scores, params.quantile));
  return det;
}

}  // namespace tl::train
