// In-process test rig for the client: a fake Platform (fake clock, in-memory datagram queues and
// key-value store), a plain Transport over it, three small objects and a scripted LwM2M server
// built on the wire layer that sends requests and decodes what the client answers.
#pragma once
#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/client.hpp"
#include "wire/coap/message.hpp"

namespace tl::client::test {

using wire::coap::MessageBuilder;
using wire::coap::Type;
using Datagram = std::vector<uint8_t>;

class FakePlatform final : public Platform {
 public:
  uint64_t now = 1'000;
  std::deque<Datagram> to_client;
  std::deque<Datagram> from_client;
  std::map<std::string, Datagram> kv;
  std::string host;
  uint16_t port = 0;
  uint32_t seed = 12345;

  uint64_t monotonic_ms() override { return now; }
  int64_t utc_seconds() override { return 0; }
  uint32_t random32() override { return seed = seed * 1664525u + 1013904223u; }
  Result<SocketId> open_udp(std::string_view h, uint16_t p) override {
    host = std::string(h);
    port = p;
    return SocketId{0};
  }
  void close(SocketId) override {}
  Error send(SocketId, Bytes d) override {
    from_client.emplace_back(d.begin(), d.end());
    return Error::ok;
  }
  Result<size_t> receive(SocketId, MutableBytes buffer) override {
    if (to_client.empty()) return Error::end;
    Datagram d = std::move(to_client.front());
    to_client.pop_front();
    if (d.size() > buffer.size()) return Error::buffer_too_small;
    std::memcpy(buffer.data(), d.data(), d.size());
    return d.size();
  }
  Result<size_t> load(std::string_view key, MutableBytes out) override {
    auto it = kv.find(std::string(key));
    if (it == kv.end()) return Error::end;
    if (it->second.size() > out.size()) return Error::buffer_too_small;
    std::memcpy(out.data(), it->second.data(), it->second.size());
    return it->second.size();
  }
  Error store(std::string_view key, Bytes value) override {
    kv[std::string(key)] = Datagram(value.begin(), value.end());
    return Error::ok;
  }
  Error erase(std::string_view key) override {
    kv.erase(std::string(key));
    return Error::ok;
  }
  void reboot() override {}
};

// NoSec: datagrams pass through the platform's socket unchanged.
class PlainTransport final : public Transport {
 public:
  explicit PlainTransport(Platform& p) : platform_(p) {}
  Error open(std::string_view host, uint16_t port, const Credentials& c) override {
    if (c.mode != SecurityMode::nosec) return Error::unsupported;
    const Result<SocketId> s = platform_.open_udp(host, port);
    if (!s) return s.error();
    socket_ = *s;
    ++opens;
    return Error::ok;
  }
  uint64_t poll(uint64_t) override { return UINT64_MAX; }
  State state() const override { return socket_ == kNoSocket ? State::closed : State::ready; }
  Error send(Bytes d) override { return platform_.send(socket_, d); }
  Result<size_t> receive(MutableBytes b) override {
    if (socket_ == kNoSocket) return Error::end;
    return platform_.receive(socket_, b);
  }
  void close() override { socket_ = kNoSocket; }
  int opens = 0;

 private:
  Platform& platform_;
  SocketId socket_ = kNoSocket;
};

// 3303 Temperature: multiple instances, a float value, units, a writable application type.
class Temperature final : public Object {
 public:
  Temperature() : Object(*model::find_object(3303)) { add(0, 21.5f); }
  struct Inst {
    bool used = false;
    float value = 0;
    std::string app;
  };
  Inst inst[4];

  void add(uint16_t iid, float v) { inst[iid].used = true, inst[iid].value = v; }
  void set(uint16_t iid, float v) {
    inst[iid].value = v;
    changed(Path::resource(3303, iid, 5700));
  }
  uint16_t instance(size_t index) const override {
    for (uint16_t i = 0; i < 4; ++i) {
      if (inst[i].used && index-- == 0) return i;
    }
    return kNoId;
  }
  bool has_resource(uint16_t, uint16_t rid) const override {
    return rid == 5700 || rid == 5701 || rid == 5750 || rid == 5605;
  }
  Status read(const Path& p, Value& out, MutableBytes) override {
    const Inst& i = inst[p.instance_id()];
    switch (p.resource_id()) {
      case 5700: out = Value::floating(i.value); return Status::ok;
      case 5701: out = Value::string("Cel"); return Status::ok;
      case 5750: out = Value::string(i.app); return Status::ok;
      default: return Status::not_found;
    }
  }
  Status write(const Path& p, const Value& v) override {
    if (p.resource_id() != 5750) return Status::not_found;
    inst[p.instance_id()].app = std::string(v.text());
    return Status::ok;
  }
  Status execute(const Path& p, std::string_view) override {
    ++executed;
    inst[p.instance_id()].value = 0;
    return Status::ok;
  }
  Status create(uint16_t iid) override {
    if (iid >= 4) return Status::too_large;
    inst[iid] = Inst{true, 0, ""};
    return Status::ok;
  }
  Status remove(uint16_t iid) override {
    if (iid >= 4 || !inst[iid].used) return Status::not_found;
    inst[iid].used = false;
    return Status::ok;
  }
  int executed = 0;
};

// 3 Device: strings, an executable, multiple integer resources, a writable time.
class Device final : public SingleInstanceObject {
 public:
  Device() : SingleInstanceObject(*model::find_object(3)) {}
  int64_t time = 0;
  int reboots = 0;
  std::vector<int64_t> sources{1, 5};

  bool has_resource(uint16_t, uint16_t rid) const override {
    return rid == 0 || rid == 4 || rid == 6 || rid == 11 || rid == 13 || rid == 16;
  }
  uint16_t resource_instance(uint16_t, uint16_t rid, size_t index) const override {
    if (rid == 6) return index < sources.size() ? static_cast<uint16_t>(index) : kNoId;
    if (rid == 11) return index == 0 ? 0 : kNoId;
    return kNoId;
  }
  Status read(const Path& p, Value& out, MutableBytes) override {
    switch (p.resource_id()) {
      case 0: out = Value::string("Tinyloop"); return Status::ok;
      case 6: out = Value::integer(sources.at(p.resource_instance_id())); return Status::ok;
      case 11: out = Value::integer(0); return Status::ok;
      case 13: out = Value::time(time); return Status::ok;
      case 16: out = Value::string("UQ"); return Status::ok;
      default: return Status::not_found;
    }
  }
  Status write(const Path& p, const Value& v) override {
    if (p.resource_id() != 13) return Status::not_found;
    time = v.i;
    return Status::ok;
  }
  Status execute(const Path&, std::string_view) override {
    ++reboots;
    return Status::ok;
  }
};

// 33654 ML Model: the opaque model blob, streamed in chunks.
class Model final : public SingleInstanceObject {
 public:
  Model() : SingleInstanceObject(*model::find_object(33654)) {}
  std::vector<uint8_t> blob;
  std::vector<size_t> chunk_offsets;
  bool complete = false;

  bool has_resource(uint16_t, uint16_t rid) const override { return rid == 2000 || rid == 2003; }
  Status read(const Path& p, Value& out, MutableBytes) override {
    if (p.resource_id() == 2000) out = Value::string("gesture");
    else out = Value::opaque(blob);
    return Status::ok;
  }
  Status write_begin(const Path&, WriteMode) override {
    blob.clear();
    complete = false;
    return Status::ok;
  }
  Status write(const Path&, const Value& v) override {
    blob.assign(v.bytes.begin(), v.bytes.end());
    complete = true;
    return Status::ok;
  }
  Status write_chunk(const Path&, size_t offset, Bytes data, bool last) override {
    if (offset != blob.size()) return Status::bad_request;
    chunk_offsets.push_back(offset);
    blob.insert(blob.end(), data.begin(), data.end());
    complete = last;
    return Status::ok;
  }
};

// A decoded datagram that keeps its bytes.
struct Received {
  Datagram bytes;
  wire::coap::MessageView m;
  std::string location;  // joined Location-Path
  std::string payload_text() const { return std::string(wire::as_text(m.payload())); }
  std::vector<std::string> queries() const {
    std::vector<std::string> q;
    for (const auto& o : m.uri_query()) q.emplace_back(o.text());
    return q;
  }
  std::string path() const {
    std::string p;
    for (const auto& o : m.uri_path()) p += "/" + std::string(o.text());
    return p;
  }
};

inline constexpr size_t kDatagram = 1152;
using TestClient = Client<kDatagram, 2048, 4, 8>;

// The scripted server and everything the client runs on.
class Rig {
 public:
  FakePlatform platform;
  PlainTransport transport{platform};
  Temperature temperature;
  Device device;
  Model model;
  Object* objects[3] = {&device, &temperature, &model};
  ServerAccount accounts[2];
  ClientConfig config;
  std::unique_ptr<TestClient> client;
  uint64_t deadline = 0;
  uint16_t mid = 0x100;

  explicit Rig(bool bootstrap_only = false, bool queue = false) {
    accounts[0] = ServerAccount{.uri = "coap://bs.example:5783", .bootstrap = true};
    accounts[1] = ServerAccount{.uri = "coap://dm.example:5683", .short_server_id = 7, .lifetime_s = 300};
    config.endpoint = "node-1";
    config.queue_mode = queue;
    config.awake_ms = 30'000;
    config.factory = bootstrap_only ? std::span<const ServerAccount>(accounts, 1) : std::span<const ServerAccount>(accounts, 2);
    client = std::make_unique<TestClient>(platform, transport, objects, config);
  }

  void step() { deadline = client->step(platform.now); }
  // Advances the fake clock to `t`, stepping at every deadline on the way.
  void run_until(uint64_t t) {
    step();
    while (deadline <= t) {
      platform.now = std::max(platform.now, deadline);
      step();
      if (deadline <= platform.now) break;
    }
    platform.now = t;
    step();
  }
  void advance(uint64_t ms) { run_until(platform.now + ms); }

  bool has_output() const { return !platform.from_client.empty(); }
  Received take() {
    Received r;
    if (platform.from_client.empty()) return r;
    r.bytes = std::move(platform.from_client.front());
    platform.from_client.pop_front();
    auto m = wire::coap::decode(r.bytes);
    if (m) r.m = *m;
    for (const auto& o : r.m.location_path()) r.location += "/" + std::string(o.text());
    return r;
  }
  void drain() { platform.from_client.clear(); }

  // Answers a request the client sent with a piggybacked response.
  void reply(const Received& req, wire::coap::Code code, std::string_view location = {}) {
    MessageBuilder b = MessageBuilder::piggybacked_response(req.m, code);
    if (!location.empty()) b.location_path(location);
    push(b);
  }
  void push(const MessageBuilder& b) {
    uint8_t buf[kDatagram];
    wire::ByteWriter w(buf, sizeof(buf));
    if (b.write(w) == Error::ok) platform.to_client.emplace_back(w.written().begin(), w.written().end());
  }
  // Sends a request and returns the client's answer (matched by message ID).
  Received request(MessageBuilder& b) {
    push(b);
    step();
    while (has_output()) {
      Received r = take();
      if (r.m.type() == Type::ack || r.m.type() == Type::non) return r;
    }
    return {};
  }
  MessageBuilder req(wire::coap::Code code, std::string_view path, Type type = Type::con) {
    MessageBuilder b(type, code, ++mid);
    static const uint8_t token[] = {0xA1, 0xB2};
    b.token(token).uri_path(path);
    return b;
  }

  // Factory bootstrap straight to registration, answered with Location /rd/ab12.
  void register_client() {
    step();
    Received reg = take();
    reply(reg, wire::coap::Code::created, "/rd/ab12");
    step();
  }
};

// A registered client, with the read and the write most device-management tests make.
class RegisteredRig : public ::testing::Test {
 protected:
  void SetUp() override { rig.register_client(); }
  Received get(std::string_view path, wire::coap::ContentFormat accept) {
    MessageBuilder b = rig.req(wire::coap::Code::get, path);
    b.accept(accept);
    return rig.request(b);
  }
  Received put(std::string_view path, wire::coap::ContentFormat cf, wire::Bytes payload,
               wire::coap::Code method = wire::coap::Code::put) {
    MessageBuilder b = rig.req(method, path);
    b.content_format(cf).payload(payload);
    return rig.request(b);
  }
  Rig rig;
};

}  // namespace tl::client::test
