// Arbitrary datagrams into a registered client's request handler (with a small object set): it
// must never crash, and every datagram it sends back must decode as CoAP.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "client/client.hpp"

namespace {

using namespace tl::client;

class NullPlatform final : public Platform {
 public:
  uint64_t monotonic_ms() override { return 0; }
  int64_t utc_seconds() override { return 0; }
  uint32_t random32() override { return 4; }
  Result<SocketId> open_udp(std::string_view, uint16_t) override { return SocketId{0}; }
  void close(SocketId) override {}
  Error send(SocketId, Bytes) override { return Error::ok; }
  Result<size_t> receive(SocketId, MutableBytes) override { return Error::end; }
  Result<size_t> load(std::string_view, MutableBytes) override { return Error::end; }
  Error store(std::string_view, Bytes) override { return Error::ok; }
  Error erase(std::string_view) override { return Error::ok; }
  void reboot() override {}
};

// Checks every datagram the client sends.
class CheckingTransport final : public Transport {
 public:
  Error open(std::string_view, uint16_t, const Credentials&) override { return Error::ok; }
  uint64_t poll(uint64_t) override { return UINT64_MAX; }
  State state() const override { return State::ready; }
  Error send(Bytes d) override {
    if (!tl::wire::coap::decode(d)) std::abort();
    return Error::ok;
  }
  Result<size_t> receive(MutableBytes) override { return Error::end; }
  void close() override {}
};

// 3303 with one instance: a float, a string and an executable.
class Temperature final : public Object {
 public:
  Temperature() : Object(*tl::model::find_object(3303)) {}
  uint16_t instance(size_t index) const override { return index == 0 ? 0 : kNoId; }
  bool has_resource(uint16_t, uint16_t rid) const override { return rid == 5700 || rid == 5750 || rid == 5605; }
  Status read(const Path& p, Value& out, MutableBytes) override {
    if (p.resource_id() == 5700) out = Value::floating(21.5f);
    else out = Value::string("room");
    return Status::ok;
  }
  Status write(const Path&, const Value&) override { return Status::ok; }
  Status execute(const Path&, std::string_view) override { return Status::ok; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static NullPlatform platform;
  static CheckingTransport transport;
  static Temperature temperature;
  static Object* objects[] = {&temperature};
  static const ServerAccount account{.uri = "coap://127.0.0.1:5683"};
  static const ClientConfig config{.endpoint = "fuzz", .factory = {&account, 1}};
  static Client<1152, 2048, 4, 4> client(platform, transport, objects, config);
  client.handle_datagram({data, size}, 0);
  (void)client.step(0);
  return 0;
}
