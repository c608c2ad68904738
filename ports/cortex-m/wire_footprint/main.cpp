// The wire layer as the device SDK links it (CoAP with block-wise, observe and reliability; TLV,
// SenML-CBOR, text, opaque, link-format), on a Cortex-M4F: prints the instructions per encode and
// decode of the `wire` benchmark's messages and checks each result, so the flash figure of
// `scripts/map-size` counts code that really runs.
#include <cstdint>

#include "bench/wire/wire_fixtures.hpp"
#include "measure.hpp"
#include "semihost.h"
#include "wire/coap/observe.hpp"
#include "wire/coap/reliability.hpp"
#include "wire/lwm2m/opaque.hpp"
#include "wire/lwm2m/text.hpp"

namespace {

using namespace tl::wire;

uint8_t g_message[1400];
uint8_t g_body[1024];
int g_failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    sh_puts("FAILED: ");
    sh_puts(what);
    sh_puts("\n");
    ++g_failures;
  }
}

template <class Encode>
Bytes encode_checked(Encode encode, const char* what) {
  ByteWriter out(g_message, sizeof g_message);
  size_t n = encode(out);
  check(n != 0, what);
  return {g_message, n};
}

// A device answers Reads in text/plain and opaque and takes Writes and Write-Attributes.
void device_side_formats() {
  uint8_t buf[64];
  ByteWriter out(buf, sizeof buf);
  check(lwm2m::text::write(lwm2m::Value::floating(0.3f), out) == Error::ok, "text write");
  auto read = lwm2m::text::read(out.written(), lwm2m::ValueType::floating);
  check(read && read->as_float() == 0.3f, "text read");
  ByteWriter raw(buf, sizeof buf);
  check(lwm2m::opaque::write(lwm2m::Value::opaque(Bytes(g_body, 16)), raw) == Error::ok, "opaque write");
  check(lwm2m::opaque::read(raw.written(), lwm2m::ValueType::opaque).ok(), "opaque read");
  auto attrs = lwm2m::link::parse_query("pmin=10&pmax=3600&gt=20.5");
  check(attrs && attrs->pmax == 3600, "write-attributes query");
}

void device_side_transfer() {
  coap::BlockAssembler assembler(MutableBytes(g_body, sizeof g_body));
  uint8_t chunk[64] = {};
  check(assembler.add({0, true, 2}, Bytes(chunk, 64)) == Error::ok, "block1 first");
  check(assembler.add({1, false, 2}, Bytes(chunk, 64)) == Error::ok, "block1 last");
  coap::Retransmission retransmission;
  retransmission.start(coap::TransmissionParams{}, 0, 12345);
  check(retransmission.active(), "retransmission");
  coap::ObserveCounter counter;
  check(counter.next() != counter.peek(), "observe counter");
}

void report(const char* name, uint64_t instructions) { sh_figure(name, instructions, "instr"); }

}  // namespace

int main() {
  for (size_t i = 0; i < sizeof g_body; ++i) g_body[i] = static_cast<uint8_t>(i * 7 + 3);
  constexpr uint32_t kReps = 200;

  Bytes reg = encode_checked([](ByteWriter& o) { return tl::bench::encode_register(o); }, "register");
  sh_figure("register bytes", reg.size(), "B");
  report("register encode", tl::cortexm::instructions_per_call(kReps, [] {
           ByteWriter o(g_message, sizeof g_message);
           tl::bench::encode_register(o);
         }));

  Bytes cbor = encode_checked([](ByteWriter& o) { return tl::bench::encode_notification_cbor(o, 17); }, "cbor");
  sh_figure("notification senml-cbor bytes", cbor.size(), "B");
  check(tl::bench::decode_notification_cbor(cbor) != 0, "cbor decode");
  report("notification senml-cbor decode", tl::cortexm::instructions_per_call(kReps, [cbor] {
           volatile uint32_t sum = tl::bench::decode_notification_cbor(cbor);
           (void)sum;
         }));
  report("notification senml-cbor encode", tl::cortexm::instructions_per_call(kReps, [] {
           ByteWriter o(g_message, sizeof g_message);
           tl::bench::encode_notification_cbor(o, 17);
         }));

  Bytes tlv = encode_checked([](ByteWriter& o) { return tl::bench::encode_notification_tlv(o, 17); }, "tlv");
  sh_figure("notification tlv bytes", tlv.size(), "B");
  check(tl::bench::decode_notification_tlv(tlv) != 0, "tlv decode");
  report("notification tlv decode", tl::cortexm::instructions_per_call(kReps, [tlv] {
           volatile uint32_t sum = tl::bench::decode_notification_tlv(tlv);
           (void)sum;
         }));
  report("notification tlv encode", tl::cortexm::instructions_per_call(kReps, [] {
           ByteWriter o(g_message, sizeof g_message);
           tl::bench::encode_notification_tlv(o, 17);
         }));

  Bytes block = encode_checked(
      [](ByteWriter& o) { return tl::bench::encode_block2_response(o, Bytes(g_body, sizeof g_body)); }, "block2");
  check(tl::bench::decode_block2_response(block) != 0, "block2 decode");
  report("block2 response decode", tl::cortexm::instructions_per_call(kReps, [block] {
           volatile uint32_t sum = tl::bench::decode_block2_response(block);
           (void)sum;
         }));

  device_side_formats();
  device_side_transfer();
  sh_puts(g_failures == 0 ? "wire_footprint: all checks passed\n" : "wire_footprint: checks FAILED\n");
  return g_failures == 0 ? 0 : 1;
}
