// The REST API of a running server with a real device behind it: the token guards it, the
// device is listed with Leshan's fields, a read goes through to the device, /metrics counts.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "../device/device_run.hpp"
#include "rig.hpp"
#include "server/http/tokens.hpp"

namespace tl::server::test {
namespace {

// One HTTP/1.1 exchange over a fresh connection: the status and the body.
std::pair<int, std::string> http(uint16_t port, const std::string& method, const std::string& target,
                                 const std::string& token = "") {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    ::close(fd);
    return {0, ""};
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
  req += "\r\n";
  (void)::send(fd, req.data(), req.size(), 0);
  std::string resp;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof(buf), 0)) > 0;) resp.append(buf, static_cast<size_t>(n));
  ::close(fd);
  if (resp.size() < 12) return {0, resp};
  const size_t body = resp.find("\r\n\r\n");
  return {std::stoi(resp.substr(9, 3)), body == std::string::npos ? "" : resp.substr(body + 4)};
}

std::string secret_of(const std::string& token_add_output) {
  const size_t start = token_add_output.find("\n\n  ") + 4;
  return token_add_output.substr(start, token_add_output.find('\n', start) - start);
}

TEST(HttpE2E, TokenGuardedApiReachesTheDevice) {
  std::string secret;
  ServerRig rig("", [&](ServerConfig& c) { secret = secret_of(http::token_add(c.data_dir, "e2e")); });
  rig.start();
  ASSERT_FALSE(secret.empty());
  device::DeviceOptions o = device::test::base_options(rig.coap_port(), false);
  o.speed = 5;
  device::test::DeviceThread device(o);
  ASSERT_TRUE(rig.wait_registered("e2e-node", 10s));

  EXPECT_EQ(http(rig.http_port(), "GET", "/health").first, 200);
  EXPECT_EQ(http(rig.http_port(), "GET", "/api/clients").first, 401);
  EXPECT_EQ(http(rig.http_port(), "GET", "/api/clients", "wrong").first, 401);
  const auto [status, body] = http(rig.http_port(), "GET", "/api/clients", secret);
  ASSERT_EQ(status, 200) << body;
  const auto list = nlohmann::json::parse(body);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["endpoint"], "e2e-node");

  const auto [read_status, read_body] = http(rig.http_port(), "GET", "/api/clients/e2e-node/3/0/0", secret);
  ASSERT_EQ(read_status, 200) << read_body;
  EXPECT_EQ(nlohmann::json::parse(read_body)["status"], "CONTENT");
  EXPECT_EQ(http(rig.http_port(), "GET", "/api/clients/nobody/3/0/0", secret).first, 404);

  // Counters are published once a second.
  std::this_thread::sleep_for(1200ms);
  const auto [metrics_status, metrics] = http(rig.http_port(), "GET", "/metrics", secret);
  ASSERT_EQ(metrics_status, 200);
  EXPECT_NE(metrics.find("tl_registrations_total 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("tl_devices{state=\"registered\"} 1"), std::string::npos) << metrics;
}

}  // namespace
}  // namespace tl::server::test
