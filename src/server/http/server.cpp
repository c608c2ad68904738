// The only translation unit of tl_server_http that includes Beast (it compiles slowly).
#include "server/http/server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <mutex>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <thread>
#include <vector>

namespace tl::server::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

using Parser = bhttp::request_parser<bhttp::string_body>;

Request to_request(const bhttp::request<bhttp::string_body>& message) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  if (const auto it = message.find(bhttp::field::authorization); it != message.end()) {
    request.authorization = std::string(it->value());
  }
  if (const auto it = message.find(bhttp::field::content_type); it != message.end()) {
    request.content_type = std::string(it->value());
  }
  request.body = message.body();
  return request;
}

unsigned status_of_parse_error(const beast::error_code& ec) {
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::header_limit) return 431;
  return 400;
}

// Posts to the io_context while the server runs; drops the closure once it stopped.
struct Gate {
  std::mutex mutex;
  asio::io_context* ioc = nullptr;

  void post(std::function<void()> fn) {
    std::lock_guard lock(mutex);
    if (ioc != nullptr) asio::post(*ioc, std::move(fn));
  }
  void close() {
    std::lock_guard lock(mutex);
    ioc = nullptr;
  }
};

class EventSession;

// The subscribers of GET /api/event. Touched from the HTTP threads only.
class EventHub {
 public:
  void add(const std::shared_ptr<EventSession>& session) {
    std::lock_guard lock(mutex_);
    sessions_.push_back(session);
    count_.store(sessions_.size());
  }
  void remove(const EventSession* session) {
    std::lock_guard lock(mutex_);
    std::erase_if(sessions_, [&](const std::weak_ptr<EventSession>& w) {
      auto s = w.lock();
      return !s || s.get() == session;
    });
    count_.store(sessions_.size());
  }
  std::size_t count() const { return count_.load(); }
  void publish(core::ServerApi& api, const core::Event& event);
  std::vector<std::shared_ptr<EventSession>> all() {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<EventSession>> out;
    for (auto& w : sessions_) {
      if (auto s = w.lock()) out.push_back(std::move(s));
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<std::weak_ptr<EventSession>> sessions_;
  std::atomic<std::size_t> count_{0};
};

// A connection turned into a Server-Sent Events stream: a bounded queue of messages written in
// order, a heartbeat comment, closed when the client goes or the queue overflows.
class EventSession : public std::enable_shared_from_this<EventSession> {
 public:
  EventSession(beast::tcp_stream stream, std::shared_ptr<EventHub> hub, std::string endpoint,
               std::chrono::milliseconds heartbeat, std::size_t limit, int send_buffer)
      : send_buffer_(send_buffer),
        stream_(std::move(stream)),
        timer_(stream_.get_executor()),
        hub_(std::move(hub)),
        endpoint_(std::move(endpoint)),
        heartbeat_(heartbeat),
        limit_(limit) {}

  const std::string& endpoint() const { return endpoint_; }

  void start() {
    stream_.expires_never();
    if (send_buffer_ > 0) {
      beast::error_code ignored;
      stream_.socket().set_option(asio::socket_base::send_buffer_size(send_buffer_), ignored);
    }
    hub_->add(shared_from_this());
    watch_close();
    arm_heartbeat();
  }

  // Any thread.
  void deliver(std::shared_ptr<const std::string> message) {
    asio::post(stream_.get_executor(), [self = shared_from_this(), message = std::move(message)] {
      self->enqueue(message);
    });
  }

  void close() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->shutdown(); });
  }

 private:
  void enqueue(std::shared_ptr<const std::string> message) {
    if (closed_) return;
    if (queue_.size() >= limit_) {
      spdlog::warn("http: event subscriber too slow ({} events waiting): dropped", queue_.size());
      return shutdown();
    }
    queue_.push_back(std::move(message));
    if (!writing_) write_next();
  }

  void write_next() {
    if (closed_ || queue_.empty()) {
      writing_ = false;
      return;
    }
    writing_ = true;
    asio::async_write(stream_.socket(), asio::buffer(*queue_.front()),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->writing_ = false;
                        if (ec || self->closed_) {
                          self->shutdown();
                          self->queue_.clear();  // the written buffer is no longer in use
                          return;
                        }
                        self->queue_.pop_front();
                        self->sent_ = true;
                        self->write_next();
                      });
  }

  void arm_heartbeat() {
    timer_.expires_after(heartbeat_);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      if (!self->sent_ && self->queue_.empty()) {
        static const auto kHeartbeat = std::make_shared<const std::string>(": heartbeat\n\n");
        self->enqueue(kHeartbeat);
      }
      self->sent_ = false;
      self->arm_heartbeat();
    });
  }

  // The client sends nothing on an event stream: any read completing means it went away.
  void watch_close() {
    stream_.socket().async_read_some(asio::buffer(discard_),
                                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                       if (ec) return self->shutdown();
                                       self->watch_close();
                                     });
  }

  void shutdown() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    if (!writing_) queue_.clear();  // else the write in flight still reads its front
    hub_->remove(this);
  }

  int send_buffer_;
  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  std::shared_ptr<EventHub> hub_;
  std::string endpoint_;
  std::chrono::milliseconds heartbeat_;
  std::size_t limit_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::array<char, 256> discard_{};
  bool writing_ = false;
  bool closed_ = false;
  bool sent_ = false;  // something was written since the last heartbeat tick
};

void EventHub::publish(core::ServerApi& api, const core::Event& event) {
  const auto sessions = all();
  if (sessions.empty()) return;
  std::optional<core::DeviceInfo> device;
  if (event.kind == core::EventKind::registered || event.kind == core::EventKind::updated) {
    device = api.device(event.endpoint);
  }
  auto message = std::make_shared<const std::string>(
      "event: " + std::string(event_name(event.kind)) + "\ndata: " +
      event_data(event, device ? &*device : nullptr) + "\n\n");
  for (const auto& s : sessions) {
    if (s->endpoint().empty() || s->endpoint() == event.endpoint) s->deliver(message);
  }
}

struct Shared {
  HttpOptions options;
  Router* router = nullptr;
  std::shared_ptr<EventHub> hub;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {}

  void run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(shared_->options.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(shared_->options.header_limit));
    stream_.expires_after(shared_->options.idle_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->on_read(ec);
                      });
  }

  void on_read(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
        ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset) {
      return close();
    }
    if (ec) {
      const unsigned status = status_of_parse_error(ec);
      shared_->router->count(status, 0.0);
      Response r = error_response(
          status,
          status == 413   ? "request body larger than " +
                              std::to_string(shared_->options.body_limit) + " bytes"
          : status == 431 ? std::string("request headers too large")
                          : "malformed HTTP request: " + ec.message(),
          status == 413 ? "send less, or split the request" : "");
      keep_alive_ = false;
      return write(std::move(r));
    }
    keep_alive_ = parser_->get().keep_alive();
    const Request request = to_request(parser_->get());
    shared_->router->handle(request, [self = shared_from_this()](Response response) {
      asio::post(self->stream_.get_executor(),
                 [self, response = std::move(response)]() mutable {
                   self->write(std::move(response));
                 });
    });
  }

  void write(Response response) {
    if (response.event_stream) return become_event_stream(std::move(response));
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(11);
    message->result(static_cast<bhttp::status>(response.status));
    message->set(bhttp::field::server, "tinyloop");
    message->set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) message->set(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive_);
    message->prepare_payload();
    stream_.expires_after(shared_->options.idle_timeout);
    bhttp::async_write(stream_, *message,
                       [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
                         if (ec || !self->keep_alive_) return self->close();
                         self->read();
                       });
  }

  void become_event_stream(Response response) {
    auto header = std::make_shared<std::string>(
        "HTTP/1.1 200 OK\r\nServer: tinyloop\r\nContent-Type: text/event-stream\r\n"
        "Cache-Control: no-cache\r\nConnection: close\r\nX-Accel-Buffering: no\r\n\r\n"
        ": connected\n\n");
    stream_.expires_after(shared_->options.idle_timeout);
    asio::async_write(
        stream_.socket(), asio::buffer(*header),
        [self = shared_from_this(), header, endpoint = std::move(response.event_endpoint)](
            beast::error_code ec, std::size_t) mutable {
          if (ec) return self->close();
          auto events = std::make_shared<EventSession>(
              std::move(self->stream_), self->shared_->hub, std::move(endpoint),
              self->shared_->options.heartbeat, self->shared_->options.event_queue_limit,
              self->shared_->options.event_send_buffer);
          events->start();
        });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::shared_ptr<Shared> shared_;
  bool keep_alive_ = false;
};

}  // namespace

struct HttpServer::Impl {
  core::ServerApi& api;
  const TokenStore& tokens;
  metrics::Registry& registry;
  HttpOptions options;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();
  std::shared_ptr<EventHub> hub = std::make_shared<EventHub>();
  std::unique_ptr<Router> router;
  std::shared_ptr<Shared> shared;
  std::unique_ptr<core::Subscription> subscription;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  bool started = false;
  bool stopped = false;

  Impl(core::ServerApi& a, const TokenStore& t, metrics::Registry& r, HttpOptions o)
      : api(a), tokens(t), registry(r), options(std::move(o)) {}

  void accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) {
        std::make_shared<Session>(std::move(socket), shared)->run();
      } else {
        spdlog::warn("http: accept failed: {}", ec.message());
      }
      accept();
    });
  }
};

HttpServer::HttpServer(core::ServerApi& api, const TokenStore& tokens, metrics::Registry& registry,
                       HttpOptions options)
    : impl_(std::make_unique<Impl>(api, tokens, registry, std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  Impl& s = *impl_;
  if (s.started) return;
  s.gate->ioc = &s.ioc;
  auto gate = s.gate;
  s.router = std::make_unique<Router>(
      s.api, s.tokens, s.registry, [gate](std::function<void()> fn) { gate->post(std::move(fn)); },
      s.options.router);
  s.shared = std::make_shared<Shared>(Shared{s.options, s.router.get(), s.hub});

  beast::error_code ec;
  const auto address = asio::ip::make_address(s.options.bind_address, ec);
  if (ec) {
    throw std::runtime_error("http: bad bind address '" + s.options.bind_address +
                             "': give an IP address such as 127.0.0.1 or ::");
  }
  const tcp::endpoint endpoint(address, s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("http: cannot listen on " + s.options.bind_address + ":" +
                             std::to_string(s.options.port) + ": " + ec.message() +
                             " (another process on that port? choose another with --http-port)");
  }
  s.port = s.acceptor.local_endpoint().port();

  auto hub = s.hub;
  core::ServerApi* api = &s.api;
  s.subscription = s.api.subscribe([gate, hub, api](const core::Event& event) {
    if (hub->count() == 0) return;  // nobody listens: nothing to copy
    gate->post([hub, api, event] { hub->publish(*api, event); });
  });

  s.accept();
  const unsigned n = s.options.threads == 0 ? 1 : s.options.threads;
  for (unsigned i = 0; i < n; ++i) s.threads.emplace_back([&s] { s.ioc.run(); });
  s.started = true;
  spdlog::info("http: listening on {}:{}", s.options.bind_address, s.port);
}

void HttpServer::stop() {
  Impl& s = *impl_;
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.subscription.reset();
  s.gate->close();
  asio::post(s.ioc, [&s] {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    for (auto& session : s.hub->all()) session->close();
  });
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
}

std::uint16_t HttpServer::port() const { return impl_->port; }

std::size_t HttpServer::event_subscribers() const { return impl_->hub->count(); }

std::optional<Request> parse_request(std::string_view bytes, std::size_t body_limit,
                                     std::size_t header_limit, unsigned& error_status) {
  error_status = 0;
  Parser parser;
  parser.eager(true);
  parser.body_limit(body_limit);
  parser.header_limit(static_cast<std::uint32_t>(header_limit));
  beast::error_code ec;
  std::size_t used = 0;
  while (!ec && !parser.is_done() && used < bytes.size()) {
    const auto n = parser.put(asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec == bhttp::error::need_more) {
      ec = {};
      if (n == 0) break;
    }
    used += n;
  }
  if (ec) {
    error_status = status_of_parse_error(ec);
    return std::nullopt;
  }
  if (!parser.is_done()) return std::nullopt;
  return to_request(parser.get());
}

}  // namespace tl::server::http
