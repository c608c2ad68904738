// tl-loadgen's output: one JSON object (--json) or a few lines of text per scenario.
#pragma once
#include <nlohmann/json.hpp>

#include "sim/loadgen/histogram.hpp"
#include "sim/loadgen/net.hpp"
#include "sim/loadgen/scenarios.hpp"
#include "sim/loadgen/stats.hpp"

namespace tl::sim::loadgen::cli {

// Milliseconds: count, p50_ms, p90_ms, p99_ms, max_ms.
nlohmann::json latency_json(const Histogram& h);
nlohmann::json stats_json(const Stats& s);
// DTLS handshakes (latency and failures), or null for plain CoAP.
nlohmann::json handshake_json(Net& net);
nlohmann::json register_json(const RegisterResult& r, double target_rate, bool dtls, Net& net);
nlohmann::json notify_json(const NotifyResult& x, const RegisterResult& r, const NotifyOptions& o, bool dtls, Net& net);

void print_register(const RegisterResult& r, Net& net);
void print_notify(const NotifyResult& x, const NotifyOptions& o);

}  // namespace tl::sim::loadgen::cli
