#include "fake_link.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace tl::server::core::test {

using wire::coap::Code;
using wire::coap::MessageBuilder;
using wire::coap::Type;

Peer peer(uint8_t last, uint16_t port) { return Peer::v4({127, 0, 0, last}, port); }

CoreRig::CoreRig(CoreConfig config) {
  static int n = 0;
  dir = std::filesystem::temp_directory_path() / ("tl-core-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
  std::filesystem::remove_all(dir);
  store = std::make_unique<store::SqliteStore>(store::SqliteOptions{.data_dir = dir});
  core = std::make_unique<Core>(std::move(config), link, *store);
}

CoreRig::~CoreRig() {
  core.reset();
  store.reset();
  std::filesystem::remove_all(dir);
}

void CoreRig::deliver(const Peer& p, const MessageBuilder& b, bool secure, std::string_view identity) {
  std::vector<uint8_t> bytes(8192);
  wire::ByteWriter w(wire::MutableBytes(bytes.data(), bytes.size()));
  ASSERT_EQ(b.write(w), wire::Error::ok);
  bytes.resize(w.size());
  core->on_datagram(p, {bytes.data(), bytes.size()}, secure, identity);
  settle();
}

void CoreRig::deliver_raw(const Peer& p, std::vector<uint8_t> bytes) {
  core->on_datagram(p, {bytes.data(), bytes.size()}, false, {});
  settle();
}

void CoreRig::settle() {
  core->flush();
  store->flush();
  link.pump();
  core->flush();  // what the completions wrote
  store->flush();
  link.pump();
}

Sent CoreRig::last() {
  EXPECT_FALSE(link.sent.empty());
  if (link.sent.empty()) return {};
  Sent s = link.sent.back();
  link.sent.clear();
  return s;
}

void CoreRig::update(const Peer& p, const std::string& location) {
  MessageBuilder b(Type::con, Code::post, ++mid);
  const uint8_t token[] = {5, 6};
  b.token({token, 2}).uri_path(location);
  deliver(p, b);
}

std::string CoreRig::register_device(const Peer& p, const std::string& endpoint, uint32_t lifetime, std::string binding) {
  MessageBuilder b(Type::con, Code::post, ++mid);
  const uint8_t token[] = {1, 2, 3, 4};
  // The builder keeps views of its options: the texts live until it is written.
  const std::string ep = "ep=" + endpoint, lt = "lt=" + std::to_string(lifetime), bq = "b=" + binding;
  b.token({token, 4})
      .uri_path("/rd")
      .uri_query(ep)
      .uri_query(lt)
      .uri_query("lwm2m=1.1")
      .uri_query(bq)
      .content_format(wire::coap::ContentFormat::link_format)
      .payload(wire::as_bytes(std::string_view("</1/0>,</3/0>,</33650/0>")));
  deliver(p, b);
  const Sent s = last();
  const auto v = s.view();
  EXPECT_EQ(v.code(), Code::created);
  std::string location;
  for (const auto& o : v.location_path()) {
    location += location.empty() ? "" : "/";
    location.append(reinterpret_cast<const char*>(o.value.data()), o.value.size());
  }
  return location;
}

}  // namespace tl::server::core::test
