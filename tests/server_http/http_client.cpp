#include "http_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace tl::server::http::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

void set_receive_timeout(tcp::socket& socket, int ms) {
  timeval tv{};
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

Reply to_reply(const bhttp::response<bhttp::string_body>& response) {
  Reply reply;
  reply.status = response.result_int();
  reply.body = response.body();
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(field.value());
  }
  return reply;
}

}  // namespace

struct Connection::Impl {
  asio::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;
};

Connection::Connection(std::uint16_t port) : impl_(std::make_unique<Impl>()) {
  impl_->socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  set_receive_timeout(impl_->socket, 20000);
}

Connection::~Connection() {
  beast::error_code ignored;
  impl_->socket.shutdown(tcp::socket::shutdown_both, ignored);
  impl_->socket.close(ignored);
}

Reply Connection::request(const std::string& method, const std::string& target,
                          const std::string& body, const Headers& headers) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.keep_alive(true);
  req.prepare_payload();
  bhttp::write(impl_->socket, req);
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  bhttp::read(impl_->socket, impl_->buffer, parser);
  return to_reply(parser.get());
}

Reply Connection::raw(const std::string& bytes) {
  asio::write(impl_->socket, asio::buffer(bytes));
  bhttp::response_parser<bhttp::string_body> parser;
  bhttp::read(impl_->socket, impl_->buffer, parser);
  return to_reply(parser.get());
}

Reply request(std::uint16_t port, const std::string& method, const std::string& target,
              const std::string& body, const Headers& headers) {
  Connection connection(port);
  return connection.request(method, target, body, headers);
}

struct EventReader::Impl {
  asio::io_context ioc;
  tcp::socket socket{ioc};
};

EventReader::EventReader(std::uint16_t port, const std::string& target, const std::string& token,
                         int receive_buffer)
    : impl_(std::make_unique<Impl>()) {
  impl_->socket.open(tcp::v4());
  if (receive_buffer > 0) {
    impl_->socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
  }
  impl_->socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  set_receive_timeout(impl_->socket, 100);
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                              token + "\r\nAccept: text/event-stream\r\n\r\n";
  asio::write(impl_->socket, asio::buffer(request));
}

EventReader::~EventReader() {
  beast::error_code ignored;
  impl_->socket.shutdown(tcp::socket::shutdown_both, ignored);
  impl_->socket.close(ignored);
}

std::string EventReader::read_until(const std::string& needle, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char buf[4096];
  while (text_.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    const auto n = ::recv(impl_->socket.native_handle(), buf, sizeof buf, 0);
    if (n > 0) {
      text_.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0) {
      break;  // closed
    }
  }
  return text_;
}

}  // namespace tl::server::http::test
