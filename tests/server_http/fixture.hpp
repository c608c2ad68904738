// A running HttpServer on 127.0.0.1 (ephemeral port) over a FakeServerApi and a SqliteStore in a
// temporary directory, with one token "tester".
#pragma once
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "fake_api.hpp"
#include "http_client.hpp"
#include "server/http/server.hpp"
#include "server/http/tokens.hpp"
#include "server/metrics/registry.hpp"
#include "server/store/sqlite_store.hpp"

namespace tl::server::http::test {

inline std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "tl-http-XXXXXX").string();
  const char* made = ::mkdtemp(pattern.data());
  if (made == nullptr) throw std::runtime_error("mkdtemp failed");
  return made;
}

inline core::DeviceInfo make_device(const std::string& endpoint, store::DeviceId id) {
  core::DeviceInfo d;
  d.device = id;
  d.endpoint = endpoint;
  d.registration_id = "r" + std::to_string(id);
  d.address = "127.0.0.1:5" + std::to_string(6000 + id);
  d.lifetime_s = 300;
  d.binding = "U";
  d.lwm2m_version = "1.1";
  d.object_links = "</>;rt=\"oma.lwm2m\";ct=110,</1/0>,</3/0>;ver=1.1,</3303/0>,</3303/1>,</33650>";
  d.registered_ms = 1'700'000'000'000;
  d.updated_ms = 1'700'000'060'500;
  return d;
}

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir();
    store::SqliteOptions options;
    options.data_dir = dir_;
    store_ = std::make_unique<store::SqliteStore>(options);
    api_ = std::make_unique<FakeServerApi>(*store_);
    tokens_ = std::make_unique<TokenStore>(dir_);
    token_ = tokens_->add("tester");
    api_->add_device(make_device("dev-1", 1));
    api_->add_device(make_device("dev-2", 2));
    api_->add_device(make_device("other-3", 3));
    start_server();
  }
  void TearDown() override {
    server_.reset();
    api_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  virtual HttpOptions options() {
    HttpOptions o;
    o.port = 0;
    o.body_limit = 4096;
    o.heartbeat = std::chrono::milliseconds(200);
    return o;
  }
  void start_server() {
    server_ = std::make_unique<HttpServer>(*api_, *tokens_, registry_, options());
    server_->start();
  }
  Headers auth() const { return {{"Authorization", "Bearer " + token_}}; }
  Reply get(const std::string& target) { return request(server_->port(), "GET", target, "", auth()); }
  Reply del(const std::string& target) {
    return request(server_->port(), "DELETE", target, "", auth());
  }
  Reply send(const std::string& method, const std::string& target, const std::string& body,
             const std::string& content_type = "application/json") {
    Headers h = auth();
    if (!content_type.empty()) h.emplace_back("Content-Type", content_type);
    return request(server_->port(), method, target, body, h);
  }
  Reply put(const std::string& target, const std::string& body) { return send("PUT", target, body); }
  // Waits (bounded) until `n` event subscribers are connected.
  bool wait_subscribers(std::size_t n, int seconds = 10) {
    for (int i = 0; i < seconds * 100; ++i) {
      if (server_->event_subscribers() == n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::filesystem::path dir_;
  metrics::Registry registry_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<FakeServerApi> api_;
  std::unique_ptr<TokenStore> tokens_;
  std::string token_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace tl::server::http::test
