// Write/Create payloads in SenML: one record per sample, named relative to the target.
#include <cmath>

#include "server/codec/detail.hpp"
#include "wire/senml/senml_cbor.hpp"
#include "wire/senml/senml_json.hpp"

namespace tl::server::codec::detail {
namespace {

// `make(ByteWriter&)` builds the format's writer; both writers have the same add/finish.
template <class Make>
Result<Bytes> write_pack(const char* format, store::Path target,
                         std::span<const store::Sample> samples, Make make) {
  return write_growing(size_guess(samples), format, [&](wire::ByteWriter& out) {
    auto writer = make(out);
    // Write-Composite on the root: every record carries its full name instead.
    if (target.depth() > 0) writer.set_base_name(to_wire(target));
    for (const store::Sample& s : samples) {
      const wire::Error e = writer.add(to_wire(s.path), to_wire(s.value));
      if (e != wire::Error::ok) return e;
    }
    return writer.finish();
  });
}

}  // namespace

Result<Bytes> encode_senml_json(store::Path target, std::span<const store::Sample> samples) {
  for (const store::Sample& s : samples) {
    const auto* d = std::get_if<double>(&s.value);
    if (d != nullptr && !std::isfinite(*d)) {
      return Failure{"SenML-JSON has no form for NaN or infinities (" + s.path.to_string() +
                     "); SenML-CBOR has"};
    }
  }
  return write_pack("SenML-JSON", target, samples,
                    [](wire::ByteWriter& out) { return wire::senml::JsonWriter(out); });
}

Result<Bytes> encode_senml_cbor(store::Path target, std::span<const store::Sample> samples) {
  // The record count up front: a definite array, what most CBOR decoders expect.
  return write_pack("SenML-CBOR", target, samples, [&](wire::ByteWriter& out) {
    return wire::senml::CborWriter(out, samples.size());
  });
}

}  // namespace tl::server::codec::detail
