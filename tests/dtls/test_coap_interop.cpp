// DtlsTransport against a DTLS peer nobody here wrote: libcoap's coap-server-openssl (Debian's
// libcoap3-bin, OpenSSL's DTLS 1.2), answering a CoAP GET built with the wire layer.
#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>

#include "dtls/dtls_transport.hpp"
#include "helpers.hpp"
#include "wire/coap/message.hpp"

namespace tl::dtls::test {
namespace {

namespace coap = wire::coap;
using State = client::Transport::State;
using wire::Error;

constexpr const char* kServer = "coap-server-openssl";
constexpr const char* kKey = "interop-secret-16";

class LibcoapDtls : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_program(kServer)) GTEST_SKIP() << kServer << " not installed (Debian package libcoap3-bin)";
  }

  // Starts the server (CoAP on `port`, CoAPS on port + 1; -k: any identity with this key) and
  // shakes hands; the retransmissions cover the server's start-up. Retries on other ports
  // when port + 1 turned out to be taken.
  bool connect() {
    client::Credentials c;
    c.identity = wire::as_bytes("tinyloop-interop");
    c.key = wire::as_bytes(kKey);
    for (int attempt = 0; attempt < 3; ++attempt) {
      const uint16_t port = UdpPeer().port();
      server_ = std::make_unique<Child>(
          std::vector<std::string>{kServer, "-A", "127.0.0.1", "-p", std::to_string(port), "-k", kKey});
      if (transport_.open("127.0.0.1", static_cast<uint16_t>(port + 1), c) != Error::ok) return false;
      drive(platform_, transport_, [&] { return transport_.state() != State::connecting; }, 8000);
      if (transport_.state() == State::ready) return true;
      server_.reset();
    }
    return false;
  }

  TempDir dir_;
  posix::PosixPlatform platform_{dir_.path()};
  DtlsTransport transport_{platform_, DtlsConfig{200, 1600}};
  std::unique_ptr<Child> server_;  // declared last: stopped before the transport goes
};

TEST_F(LibcoapDtls, GetOverDtls) {
  ASSERT_TRUE(connect()) << "mbedTLS error " << transport_.last_error();
  EXPECT_STREQ(transport_.ciphersuite(), "TLS-PSK-WITH-AES-128-CCM-8");  // our first choice, which OpenSSL has

  const std::array<uint8_t, 4> token = {0x7a, 0x01, 0x02, 0x03};
  std::array<uint8_t, 64> request{};
  wire::ByteWriter out(request);
  ASSERT_EQ(coap::MessageBuilder(coap::Type::con, coap::Code::get, 0x1234).token(token).write(out), Error::ok);
  ASSERT_EQ(transport_.send(out.written()), Error::ok);

  std::array<uint8_t, 1024> buf{};
  wire::Result<size_t> got = Error::end;
  drive(platform_, transport_, [&] { return (got = transport_.receive(buf)).ok(); }, 5000);
  ASSERT_TRUE(got.ok());
  const auto response = coap::decode(wire::Bytes(buf.data(), *got));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->type(), coap::Type::ack);
  EXPECT_EQ(response->message_id(), 0x1234);
  EXPECT_EQ(response->code(), coap::Code::content);
  EXPECT_TRUE(std::equal(token.begin(), token.end(), response->token().begin(), response->token().end()));
  EXPECT_NE(wire::as_text(response->payload()).find("libcoap"), std::string_view::npos)
      << wire::as_text(response->payload());
}

}  // namespace
}  // namespace tl::dtls::test
