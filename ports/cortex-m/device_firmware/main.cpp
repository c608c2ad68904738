// The whole device SDK on a Cortex-M4F: tl_client (objects 0 and 1 in the engine), objects 3, 4, 5
// and the TinyML objects 33650-33654 over a model trained on the gesture recordings (built-in
// blob, trained at build time by ml_footprint's gen_models --gestures), the wire layer, NoSec,
// on the semihosting shim of shim.hpp.
// It registers with the scripted server (server.hpp), runs recorded gesture windows, serves
// Reads and Observes, sends notifications and an Update, prints every datagram ("tx"/"rx" hex),
// the objects' values and "figure: value unit" lines (datagram sizes, RAM of the SDK objects) for
// bench/client, and exits non-zero when any check fails.
#include <cstddef>
#include <cstdint>

#include "client/client.hpp"
#include "objects/connectivity.hpp"
#include "objects/device.hpp"
#include "objects/firmware_update.hpp"
#include "objects/tinyml_objects.hpp"
#include "semihost.h"
#include "server.hpp"
#include "shim.hpp"
#include "wire/lwm2m/tlv.hpp"

namespace tl::firmware {
namespace {

#include "gesture_model.inc"
#include "windows.inc"

// Client capacities: datagrams of kDatagram (256-byte blocks); a rendered payload of 384 bytes (the
// largest Read here, /33650 with four classes in SenML-CBOR, is about 250; opaque reads need one
// block plus a byte); 4 observations and 4 attribute slots.
constexpr size_t kPayload = 384;
using DeviceClient = client::Client<kDatagram, kPayload, 4, 4>;

constexpr uint32_t kLifetimeS = 86'400;         // ServerAccount's default
constexpr uint64_t kMaxTransmitWaitMs = 93'000;  // the engine updates this long before expiry
constexpr uint64_t kWindowMs = 2'000;            // 20 samples at 10 Hz
constexpr size_t kWindowFloats = 20 * 3;
constexpr uint8_t kTokenCbor = 0x51, kTokenTlv = 0x52;

objects::DeviceInfo device_info() {
  objects::DeviceInfo d;
  d.manufacturer = "Tinyloop";
  d.model = "device_firmware (Cortex-M4F, QEMU)";
  d.serial = "node-m4";
  d.firmware_version = "0.1.0";
  d.bindings = "U";
  return d;
}

// No radio to measure in QEMU: report an Ethernet bearer (41).
objects::ConnectivityInfo link_info() {
  objects::ConnectivityInfo c;
  c.bearer = 41;
  c.available[0] = 41;
  c.available_count = 1;
  return c;
}

objects::RunnerConfig runner_config() {
  objects::RunnerConfig c;
  c.device = ml::paper_pipeline();
  c.builtin = {kGestureModel, sizeof kGestureModel};
  return c;
}

// Everything the application owns, in one static object (constructed on the first call of
// main(): the start-up code runs no global constructors). No blob slots (a model written by a
// server needs two RAM slots of the blob's size) and no LOF store (Learn answers 4.05): the
// device keeps to its built-in model, which is what the RAM figures measure.
struct Firmware {
  SemihostPlatform platform;
  PlainTransport transport{platform};
  ScriptedServer server{platform};
  objects::Device device{platform, device_info()};
  objects::ConnectivityMonitoring connectivity{link_info()};
  objects::FirmwareUpdate firmware{platform};
  uint8_t raw_window[objects::kRawHeaderSize + 4 * kWindowFloats] = {};
  objects::TinyMlObjects tinyml{platform, runner_config(),
                                objects::RunnerBuffers{{}, {raw_window, sizeof raw_window}, {}}};
  client::Object* const objects[8] = {&device,
                                      &connectivity,
                                      &firmware,
                                      tinyml.objects()[0],
                                      tinyml.objects()[1],
                                      tinyml.objects()[2],
                                      tinyml.objects()[3],
                                      tinyml.objects()[4]};
  const client::ServerAccount account[1] = {
      {.uri = "coap://192.0.2.1:5683", .short_server_id = 1, .lifetime_s = kLifetimeS}};
  const client::ClientConfig config{.endpoint = "node-m4", .factory = account};
  DeviceClient client{platform, transport, objects, config};

  void step() { (void)client.step(platform.now_ms); }
};

int g_failures = 0;

bool check(bool ok, const char* what) {
  if (!ok) {
    sh_puts("FAILED: ");
    sh_puts(what);
    sh_puts("\n");
    ++g_failures;
  }
  return ok;
}

void put_text(const char* a, const char* b = "", const char* c = "") {
  sh_puts(a);
  sh_puts(b);
  sh_puts(c);
}

// "name label: value milli": thousandths, as there is no float printing without printf.
void put_milli(const char* name, const char* label, float v) {
  put_text(name, label, ": ");
  sh_put_i64(static_cast<int32_t>(v * 1000.0f));
  sh_puts(" milli\n");
}

// The client's answer to the request just queued (after one step), a 2.05 piggybacked on the ACK.
// A Sent is filled in place: its view points into its own packet.
bool answer(Firmware& fw, Sent& s, const char* what) {
  fw.step();
  return check(fw.server.take(s) && s.m.type() == wire::coap::Type::ack && s.m.code() == Code::content, what);
}

void run_window(Firmware& fw, size_t w) {
  fw.platform.now_ms += kWindowMs;
  check(fw.tinyml.on_window(kWindows[w]) == ml::Error::ok, "on_window");
  fw.step();
  const objects::ModelRunner& r = fw.tinyml.runner();
  const int c = r.predicted();
  put_text("window ", kWindowLabels[w], ": predicted ");
  sh_puts(c >= 0 ? r.label(static_cast<size_t>(c)) : "-");
  sh_puts(r.anomaly() ? ", anomaly\n" : "\n");
  // The built-in model was trained on these recordings: each window is its own gesture.
  const char* got = c >= 0 ? r.label(static_cast<size_t>(c)) : "";
  const char* want = kWindowLabels[w];
  while (*got != '\0' && *got == *want) ++got, ++want;
  check(*got == *want, "window classified as its gesture");
}

void do_register(Firmware& fw) {
  fw.step();
  Sent reg;
  if (!check(fw.server.take(reg) && reg.m.code() == Code::post, "Register sent")) return;
  sh_figure("register datagram", reg.packet.size, "B");
  sh_figure("register ack datagram", fw.server.reply(reg.m, Code::created, "/rd/5a3f"), "B");
  fw.step();
  check(fw.client.state() == client::Engine::State::registered, "registered");
}

// Reads served on the device: the 33650 instances, the Device object, the 33653 window.
void do_reads(Firmware& fw) {
  Sent s;
  fw.server.get("/33650", 0x31, ScriptedServer::kNoAccept);
  if (answer(fw, s, "Read /33650")) sh_figure("read /33650 response datagram", s.packet.size, "B");
  fw.server.get("/3/0", 0x32, ScriptedServer::kNoAccept);
  if (answer(fw, s, "Read /3/0")) sh_figure("read /3/0 response datagram", s.packet.size, "B");
  // The window goes in 256-byte blocks (a datagram holds one), fetched until the M bit is clear;
  // at most 4 (1 KB), so a client that never clears it cannot keep the run going.
  size_t bytes = 0, datagrams = 0, payload = 0;
  for (uint32_t block = 0; block < 4; ++block) {
    fw.server.get("/33653/0/2001", 0x33, wire::coap::to_uint(ContentFormat::octet_stream), false, block);
    if (!answer(fw, s, "Read /33653/0/2001")) break;
    bytes += s.packet.size;
    payload += s.m.payload().size();
    ++datagrams;
    const auto b2 = s.m.block2();
    if (!b2 || (*b2 & 8u) == 0) break;
  }
  check(payload == fw.tinyml.runner().raw_window().size(), "the whole 33653 window read");
  sh_figure("33653 window read datagrams", datagrams, "count");
  sh_figure("33653 window read bytes", bytes, "B");
}

// The counters (/33650/c/2001) a TLV notification carries agree with the runner's.
bool counters_match(const objects::ModelRunner& runner, Bytes tlv) {
  namespace lw = wire::lwm2m;
  lw::tlv::Reader reader(tlv, lw::Path::object(33650));
  size_t seen = 0;
  for (auto r = reader.next(); r; r = reader.next()) {
    if (r->path.resource_id() != 2001) continue;
    const auto v = lw::tlv::decode(r->value, lw::ValueType::integer);
    if (!v || v->i != runner.class_counter(r->path.instance_id())) return false;
    ++seen;
  }
  return seen == runner.class_count();
}

// Observes /33650 in SenML-CBOR and in TLV, then one window changes the counters: one
// notification per observation.
void do_notifications(Firmware& fw) {
  Sent s;
  fw.server.get("/33650", kTokenCbor, wire::coap::to_uint(ContentFormat::senml_cbor), true);
  if (answer(fw, s, "Observe /33650 senml-cbor")) check(bool(s.m.observe()), "observing (senml-cbor)");
  fw.server.get("/33650", kTokenTlv, wire::coap::to_uint(ContentFormat::lwm2m_tlv), true);
  if (answer(fw, s, "Observe /33650 tlv")) check(bool(s.m.observe()), "observing (tlv)");
  run_window(fw, kWindowCount - 1);
  bool cbor = false, tlv = false;
  for (Sent n; fw.server.take(n);) {
    if (!check(n.m.type() == wire::coap::Type::non && n.m.token().size() == 1, "notification")) continue;
    if (n.m.token()[0] == kTokenCbor) {
      sh_figure("notification 33650 senml-cbor datagram", n.packet.size, "B");
      cbor = true;
    } else if (n.m.token()[0] == kTokenTlv) {
      sh_figure("notification 33650 tlv datagram", n.packet.size, "B");
      tlv = check(counters_match(fw.tinyml.runner(), n.m.payload()), "TLV notification carries the counters");
    }
  }
  check(cbor && tlv, "both notifications sent");
}

// The registration Update, due MAX_TRANSMIT_WAIT before the lifetime ends.
void do_update(Firmware& fw) {
  fw.platform.now_ms = kLifetimeS * 1000ull - kMaxTransmitWaitMs;
  fw.step();
  Sent u;
  if (!check(fw.server.take(u) && u.m.code() == Code::post, "Update sent")) return;
  sh_figure("update datagram", u.packet.size, "B");
  sh_figure("update ack datagram", fw.server.reply(u.m, Code::changed), "B");
  fw.step();
  check(fw.client.state() == client::Engine::State::registered && !fw.server.take(u), "still registered");
}

void print_values(Firmware& fw, uint32_t windows) {
  const objects::ModelRunner& r = fw.tinyml.runner();
  uint32_t counted = 0;
  for (size_t c = 0; c < r.class_count(); ++c) {
    put_text("33650/", r.label(c), " counter: ");
    sh_put_u64(r.class_counter(c));
    sh_puts(" windows\n");
    counted += r.class_counter(c);
    put_milli("33652 output ", r.label(c), r.class_output(c));
  }
  check(counted == windows, "33650 counters add up to the windows run");
  sh_figure("33651 state", r.anomaly() ? 1 : 0, "bool");
  sh_figure("33651 counter", r.anomaly_counter(), "windows");
  put_milli("33651 threshold", "", r.threshold());
  put_milli("33653 max score", "", r.max_score());
}

// Static RAM of the SDK as this application instantiates it (lives in the application's storage,
// not in the libraries' .data/.bss), and the flash of the embedded data.
void print_memory(const Firmware& fw) {
  sh_figure("sizeof Client", sizeof fw.client, "B");
  sh_figure("sizeof Client without buffers (Engine)", sizeof(client::Engine), "B");
  sh_figure("sizeof TinyMlObjects", sizeof fw.tinyml, "B");
  sh_figure("tinyml buffers (33653 raw window)", sizeof fw.raw_window, "B");
  sh_figure("sizeof objects 3 4 5", sizeof fw.device + sizeof fw.connectivity + sizeof fw.firmware, "B");
  sh_figure("client config and object list", sizeof fw.objects + sizeof fw.account + sizeof fw.config, "B");
  sh_figure("port shim (queues, key-value area)", sizeof fw.platform + sizeof fw.transport + sizeof fw.server, "B");
  sh_figure("key-value area used", fw.platform.storage.used(), "B");
  sh_figure("model blob GESTURES (flash)", sizeof kGestureModel, "B");
  sh_figure("recorded windows (flash)", sizeof kWindows, "B");
}

}  // namespace
}  // namespace tl::firmware

int main() {
  using namespace tl::firmware;
  static Firmware fw;
  check(fw.tinyml.runner().loaded(), "built-in model loaded");
  do_register(fw);
  for (size_t w = 0; w < kWindowCount; ++w) run_window(fw, w);
  do_reads(fw);
  do_notifications(fw);
  do_update(fw);
  print_values(fw, kWindowCount + 1);
  print_memory(fw);
  sh_puts(g_failures == 0 ? "device_firmware: all checks passed\n" : "device_firmware: checks failed\n");
  return g_failures == 0 ? 0 : 1;
}
