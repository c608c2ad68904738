#include "server/metrics/registry.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace m = tl::server::metrics;

TEST(Metrics, RendersSmallRegistryExactly) {
  m::Registry r;
  auto& in = r.counter("tl_messages_total", "CoAP messages.", {{"direction", "in"}});
  auto& out = r.counter("tl_messages_total", "CoAP messages.", {{"direction", "out"}});
  auto& queued = r.gauge("tl_requests_queued", "Requests waiting for a sleeping device.");
  r.gauge_callback("tl_devices", "Registered devices.", {{"state", "registered"}},
                   [] { return 42.0; });
  auto& h = r.histogram("tl_request_duration_seconds", "Request latency.", {0.1, 1.0});
  in.inc();
  in.inc(4);
  out.inc();
  queued.set(3);
  h.observe(0.05);
  h.observe(0.5);
  h.observe(7.0);
  EXPECT_EQ(r.render(),
            "# HELP tl_messages_total CoAP messages.\n"
            "# TYPE tl_messages_total counter\n"
            "tl_messages_total{direction=\"in\"} 5\n"
            "tl_messages_total{direction=\"out\"} 1\n"
            "# HELP tl_requests_queued Requests waiting for a sleeping device.\n"
            "# TYPE tl_requests_queued gauge\n"
            "tl_requests_queued 3\n"
            "# HELP tl_devices Registered devices.\n"
            "# TYPE tl_devices gauge\n"
            "tl_devices{state=\"registered\"} 42\n"
            "# HELP tl_request_duration_seconds Request latency.\n"
            "# TYPE tl_request_duration_seconds histogram\n"
            "tl_request_duration_seconds_bucket{le=\"0.1\"} 1\n"
            "tl_request_duration_seconds_bucket{le=\"1\"} 2\n"
            "tl_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"
            "tl_request_duration_seconds_sum 7.55\n"
            "tl_request_duration_seconds_count 3\n");
}

TEST(Metrics, SameNameAndLabelsIsSameSeries) {
  m::Registry r;
  auto& a = r.counter("x_total", "X.", {{"k", "v"}});
  auto& b = r.counter("x_total", "X.", {{"k", "v"}});
  EXPECT_EQ(&a, &b);
}

TEST(Metrics, EscapesHelpAndLabelValues) {
  m::Registry r;
  r.counter("esc_total", "back\\slash\nnewline \"quotes\" stay", {{"v", "a\"b\\c\nd"}}).inc();
  EXPECT_EQ(r.render(),
            "# HELP esc_total back\\\\slash\\nnewline \"quotes\" stay\n"
            "# TYPE esc_total counter\n"
            "esc_total{v=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(Metrics, HistogramLabelsComeBeforeLe) {
  m::Registry r;
  r.histogram("lat_seconds", "L.", {0.5}, {{"route", "a"}}).observe(0.25);
  EXPECT_EQ(r.render(),
            "# HELP lat_seconds L.\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{route=\"a\",le=\"0.5\"} 1\n"
            "lat_seconds_bucket{route=\"a\",le=\"+Inf\"} 1\n"
            "lat_seconds_sum{route=\"a\"} 0.25\n"
            "lat_seconds_count{route=\"a\"} 1\n");
}

TEST(Metrics, SpecialValues) {
  EXPECT_EQ(m::format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(m::format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(m::format_value(std::nan("")), "NaN");
  EXPECT_EQ(m::format_value(-2.5), "-2.5");
  EXPECT_EQ(m::format_value(0), "0");
}

TEST(Metrics, RejectsBadNamesAndMismatches) {
  m::Registry r;
  EXPECT_THROW(r.counter("1bad", "x"), m::MetricsError);
  EXPECT_THROW(r.counter("bad-name", "x"), m::MetricsError);
  EXPECT_THROW(r.counter("ok_total", "x", {{"bad-label", "v"}}), m::MetricsError);
  EXPECT_THROW(r.counter("ok_total", "x", {{"__reserved", "v"}}), m::MetricsError);
  EXPECT_THROW(r.histogram("h", "x", {1.0}, {{"le", "v"}}), m::MetricsError);
  EXPECT_THROW(r.histogram("h2", "x", {1.0, 1.0}), m::MetricsError);
  r.counter("c_total", "help", {{"a", "1"}});
  EXPECT_THROW(r.gauge("c_total", "help", {{"a", "1"}}), m::MetricsError);
  EXPECT_THROW(r.counter("c_total", "other help", {{"a", "1"}}), m::MetricsError);
  EXPECT_THROW(r.counter("c_total", "help", {{"b", "1"}}), m::MetricsError);
  EXPECT_NO_THROW(r.counter("c_total", "help", {{"a", "2"}}));
}

TEST(Metrics, ConcurrentIncrementsAreNotLost) {
  m::Registry r;
  auto& c = r.counter("n_total", "N.");
  auto& g = r.gauge("g", "G.");
  auto& h = r.histogram("h_seconds", "H.", m::latency_buckets());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        g.inc();
        h.observe(0.002);
      }
    });
  }
  std::thread scraper([&] {
    for (int i = 0; i < 20; ++i) (void)r.render();
  });
  for (auto& t : threads) t.join();
  scraper.join();
  EXPECT_EQ(c.value(), 40000u);
  EXPECT_EQ(g.value(), 40000.0);
  EXPECT_EQ(h.snapshot().count, 40000u);
}
