// libFuzzer target for the server's payload decoder (src/server/codec): arbitrary payloads in
// every content format, for a requested path taken from the input. Whatever decodes must be
// well-formed (samples at resources, under the requested path) and read back the same after
// re-encoding in SenML-CBOR; anything else must be a Failure with a message, never a crash.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "server/codec/codec.hpp"

namespace {

using namespace tl::server;

constexpr std::uint16_t kFormats[] = {codec::cf::text,       codec::cf::link_format,
                                      codec::cf::opaque,     codec::cf::senml_json,
                                      codec::cf::senml_cbor, codec::cf::tlv,
                                      codec::cf::tlv_legacy, codec::cf::lwm2m_json};
// Known objects (every DDF type, single and multiple resources) and an unknown one.
constexpr std::uint16_t kObjects[] = {0, 1, 3, 5, 3303, 33650, 33652, 33653, 33654, 40000};

// Bytes 0-4 of the input: format, depth, object, instance and resource choice.
store::Path requested_path(const std::uint8_t* head) {
  const int depth = head[1] % 5;
  const std::uint16_t object = kObjects[head[2] % std::size(kObjects)];
  const std::uint16_t instance = head[3] % 4;
  // Resource ids of the DDF cluster near 0..25 and 2000..2003 (the TinyML objects), 5700 (3303).
  const std::uint16_t resource = head[4] < 128   ? head[4] % 26
                                 : head[4] < 240 ? 2000 + head[4] % 4
                                                 : 5700;
  return store::Path::of(depth, object, instance, resource, head[3] >> 4);
}

bool has_nan(const codec::Samples& samples) {
  for (const store::Sample& s : samples) {
    if (const auto* d = std::get_if<double>(&s.value); d != nullptr && std::isnan(*d)) return true;
  }
  return false;
}

void check(const codec::Samples& samples, store::Path requested) {
  for (const store::Sample& s : samples) {
    if (s.path.depth() < 3 || !requested.contains(s.path)) std::abort();
  }
  // The values carry their types: SenML-CBOR keeps them, and the DDF gives them back.
  const codec::Result<codec::Bytes> cbor = codec::encode(codec::cf::senml_cbor, store::Path{}, samples);
  if (!cbor) std::abort();
  const codec::Result<codec::Samples> back = codec::decode(codec::cf::senml_cbor, *cbor, store::Path{}, 1, 0);
  if (!back || back->size() != samples.size()) std::abort();
  if (has_nan(samples)) return;  // NaN != NaN
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if ((*back)[i].path != samples[i].path || (*back)[i].value != samples[i].value) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 5) return 0;
  const std::uint16_t format = kFormats[data[0] % std::size(kFormats)];
  const store::Path requested = requested_path(data);
  const std::span<const std::uint8_t> payload(data + 5, size - 5);
  const codec::Result<codec::Samples> r = codec::decode(format, payload, requested, 1, 1'700'000'000'000);
  if (r) {
    check(*r, requested);
  } else if (r.error().empty()) {
    std::abort();
  }
  return 0;
}
