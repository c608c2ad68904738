#include "sim/loadgen/cli_report.hpp"

#include <cstdio>

#include "sim/loadgen/dtls_net.hpp"

namespace tl::sim::loadgen::cli {

using nlohmann::json;

json latency_json(const Histogram& h) {
  const auto ms = [](uint64_t us) { return static_cast<double>(us) / 1000.0; };
  return {{"count", h.count()},         {"p50_ms", ms(h.quantile(0.50))}, {"p90_ms", ms(h.quantile(0.90))},
          {"p99_ms", ms(h.quantile(0.99))}, {"max_ms", ms(h.max())}};
}

json stats_json(const Stats& s) {
  return {{"sent", s.sent},         {"answered", s.answered},   {"rejected", s.rejected},
          {"timeouts", s.timeouts}, {"retransmissions", s.retransmissions}, {"latency", latency_json(s.latency)}};
}

// DTLS handshakes (latency and failures), or null for plain CoAP.
json handshake_json(Net& net) {
  const auto* dtls = dynamic_cast<const DtlsNet*>(&net);
  if (dtls == nullptr) return nullptr;
  return {{"failures", dtls->handshake_failures()}, {"latency", latency_json(dtls->handshake_latency())}};
}

static void print_handshakes(Net& net) {
  const auto* dtls = dynamic_cast<const DtlsNet*>(&net);
  if (dtls == nullptr) return;
  const Histogram& h = dtls->handshake_latency();
  std::printf("dtls handshakes: %llu done, %llu failed, p50 %.2f ms, p99 %.2f ms\n",
              static_cast<unsigned long long>(h.count()), static_cast<unsigned long long>(dtls->handshake_failures()),
              static_cast<double>(h.quantile(0.5)) / 1000.0, static_cast<double>(h.quantile(0.99)) / 1000.0);
}

json register_json(const RegisterResult& r, double target_rate, bool dtls, Net& net) {
  return {{"devices", r.devices},
          {"registered", r.registered},
          {"target_rate", target_rate},
          {"achieved_rate", r.achieved_rate()},
          {"completed_rate", r.completed_rate()},
          {"send_seconds", r.send_seconds},
          {"total_seconds", r.total_seconds},
          {"failures", r.stats.rejected + r.stats.timeouts},
          {"dtls", dtls},
          {"handshakes", handshake_json(net)},
          {"register", stats_json(r.stats)}};
}

void print_register(const RegisterResult& r, Net& net) {
  const Histogram& h = r.stats.latency;
  const auto ms = [](uint64_t us) { return static_cast<double>(us) / 1000.0; };
  std::printf("register: %u devices, %u registered, %.0f registrations/s sent, %.0f/s answered\n", r.devices,
              r.registered, r.achieved_rate(), r.completed_rate());
  std::printf("register latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (%llu answers)\n",
              ms(h.quantile(0.5)), ms(h.quantile(0.9)), ms(h.quantile(0.99)), ms(h.max()),
              static_cast<unsigned long long>(h.count()));
  std::printf("register failures: %llu rejected, %llu timed out, %llu retransmissions\n",
              static_cast<unsigned long long>(r.stats.rejected), static_cast<unsigned long long>(r.stats.timeouts),
              static_cast<unsigned long long>(r.stats.retransmissions));
  print_handshakes(net);
}

json notify_json(const NotifyResult& x, const RegisterResult& r, const NotifyOptions& o, bool dtls, Net& net) {
  const char* what = o.use_send ? "send" : "notify";
  return {{"registered", r.registered}, {"targets", x.targets},  {"target_rate", o.rate},
          {"achieved_rate", x.rate()},  {"seconds", x.seconds},  {"confirmable", o.confirmable},
          {"operation", what},          {"dtls", dtls},          {what, stats_json(x.stats)},
          {"register", stats_json(r.stats)}, {"handshakes", handshake_json(net)}};
}

void print_notify(const NotifyResult& x, const NotifyOptions& o) {
  std::printf("%s: %u targets, %llu sent in %.2f s = %.0f/s, %llu acked, %llu timed out\n",
              o.use_send ? "send" : "notify", x.targets, static_cast<unsigned long long>(x.stats.sent), x.seconds,
              x.rate(), static_cast<unsigned long long>(x.stats.answered),
              static_cast<unsigned long long>(x.stats.timeouts));
}

}  // namespace tl::sim::loadgen::cli
