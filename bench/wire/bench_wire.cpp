// Host figures of `scripts/bench wire`: ns per encode and per decode of the fixture messages.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdlib>

#include "bench/wire/wire_fixtures.hpp"

namespace {

using tl::wire::ByteWriter;
using tl::wire::Bytes;

std::array<uint8_t, 1024> block_body() {
  std::array<uint8_t, 1024> body{};
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<uint8_t>(i * 7 + 3);
  return body;
}

// Encodes once (checked), for the decode benchmarks.
template <class Encode>
Bytes encoded(std::array<uint8_t, 1400>& buf, Encode encode) {
  ByteWriter out(buf.data(), buf.size());
  size_t n = encode(out);
  if (n == 0) std::abort();
  return {buf.data(), n};
}

template <class Encode>
void run_encode(benchmark::State& state, Encode encode) {
  std::array<uint8_t, 1400> buf{};
  for (auto _ : state) {
    ByteWriter out(buf.data(), buf.size());
    size_t n = encode(out);
    if (n == 0) state.SkipWithError("encode failed");
    benchmark::DoNotOptimize(buf.data());
    benchmark::DoNotOptimize(n);
  }
}

template <class Decode>
void run_decode(benchmark::State& state, Bytes message, Decode decode) {
  for (auto _ : state) {
    uint32_t sum = decode(message);
    if (sum == 0) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(message.size()));
}

void register_encode(benchmark::State& s) { run_encode(s, [](ByteWriter& o) { return tl::bench::encode_register(o); }); }
void register_decode(benchmark::State& s) {
  std::array<uint8_t, 1400> buf{};
  run_decode(s, encoded(buf, [](ByteWriter& o) { return tl::bench::encode_register(o); }), tl::bench::decode_register);
}
void notify_cbor_encode(benchmark::State& s) {
  run_encode(s, [](ByteWriter& o) { return tl::bench::encode_notification_cbor(o, 17); });
}
void notify_cbor_decode(benchmark::State& s) {
  std::array<uint8_t, 1400> buf{};
  run_decode(s, encoded(buf, [](ByteWriter& o) { return tl::bench::encode_notification_cbor(o, 17); }),
             tl::bench::decode_notification_cbor);
}
void notify_tlv_encode(benchmark::State& s) {
  run_encode(s, [](ByteWriter& o) { return tl::bench::encode_notification_tlv(o, 17); });
}
void notify_tlv_decode(benchmark::State& s) {
  std::array<uint8_t, 1400> buf{};
  run_decode(s, encoded(buf, [](ByteWriter& o) { return tl::bench::encode_notification_tlv(o, 17); }),
             tl::bench::decode_notification_tlv);
}
void block2_encode(benchmark::State& s) {
  static const auto body = block_body();
  run_encode(s, [](ByteWriter& o) { return tl::bench::encode_block2_response(o, Bytes(body.data(), body.size())); });
}
void block2_decode(benchmark::State& s) {
  static const auto body = block_body();
  std::array<uint8_t, 1400> buf{};
  run_decode(s,
             encoded(buf, [](ByteWriter& o) { return tl::bench::encode_block2_response(o, Bytes(body.data(), body.size())); }),
             tl::bench::decode_block2_response);
}

}  // namespace

BENCHMARK(register_encode);
BENCHMARK(register_decode);
BENCHMARK(notify_cbor_encode);
BENCHMARK(notify_cbor_decode);
BENCHMARK(notify_tlv_encode);
BENCHMARK(notify_tlv_decode);
BENCHMARK(block2_encode);
BENCHMARK(block2_decode);
BENCHMARK_MAIN();
