// A small blocking HTTP/1.1 client for the tests (Beast, in http_client.cpp only).
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace tl::server::http::test {

struct Reply {
  unsigned status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One connection, several requests (keep-alive).
class Connection {
 public:
  explicit Connection(std::uint16_t port);
  ~Connection();
  Reply request(const std::string& method, const std::string& target, const std::string& body = "",
                const Headers& headers = {});
  // Sends raw bytes and reads one response.
  Reply raw(const std::string& bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

Reply request(std::uint16_t port, const std::string& method, const std::string& target,
              const std::string& body = "", const Headers& headers = {});

// An event stream reader: sends the GET and reads with a receive timeout.
class EventReader {
 public:
  // receive_buffer > 0: SO_RCVBUF (a small one makes a slow reader).
  EventReader(std::uint16_t port, const std::string& target, const std::string& token,
              int receive_buffer = 0);
  ~EventReader();
  // Everything read until `needle` appears or `limit` passes; the text so far either way.
  std::string read_until(const std::string& needle,
                         std::chrono::milliseconds limit = std::chrono::seconds(10));
  const std::string& text() const { return text_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string text_;
};

}  // namespace tl::server::http::test
