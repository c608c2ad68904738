#include "coaptool/client.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <stdexcept>

#include "coaptool/clock.hpp"
#include "wire/coap/block.hpp"
#include "wire/coap/observe.hpp"

namespace tl::coaptool {

using coap::BlockValue;
using coap::Code;
using coap::OptionNumber;
using coap::Type;
using tl::wire::Error;

namespace {

constexpr uint8_t kDefaultSzx = coap::kMaxSzx;

int wait_ms(uint64_t deadline, uint64_t now) {
  return deadline <= now ? 0 : static_cast<int>(std::min<uint64_t>(deadline - now, 1'000));
}

std::optional<std::vector<uint8_t>> etag_of(const Msg& m) {
  if (const Msg::Opt* o = m.find(OptionNumber::etag)) return o->value;
  return std::nullopt;
}

std::string local_host_for(const Endpoint& server, const std::string& wanted) {
  if (!wanted.empty()) return wanted;
  const bool loopback = (ntohl(server.addr.sin_addr.s_addr) >> 24) == 127;
  return loopback ? "127.0.0.1" : "0.0.0.0";
}

// Ends an NSTART interaction when the exchange returns or throws.
class Interaction {
 public:
  Interaction(coap::NstartLimiter<1>& limiter, uint32_t peer) : limiter_(limiter), peer_(peer) {
    if (!limiter_.try_begin(peer_))
      throw std::logic_error("a CoAP client object serves one caller at a time");
  }
  ~Interaction() { limiter_.end(peer_); }
  Interaction(const Interaction&) = delete;
  Interaction& operator=(const Interaction&) = delete;

 private:
  coap::NstartLimiter<1>& limiter_;
  uint32_t peer_;
};

}  // namespace

Client::Client(ClientConfig config)
    : config_(std::move(config)),
      server_(Endpoint::resolve(config_.host, config_.port)),
      socket_(local_host_for(server_, config_.bind_host), 0),
      mid_(static_cast<uint16_t>(random32())),
      nstart_(config_.params.nstart) {
  if (config_.szx && *config_.szx > coap::kMaxSzx)
    throw std::invalid_argument("block size must be 16..1024 bytes");
  socket_.connect(server_);
}

Msg Client::base_request(Code code, const std::string& path) {
  Msg req;
  req.type = config_.confirmable ? Type::con : Type::non;
  req.code = code;
  req.token = new_token();
  req.set_path(path);
  return req;
}

void Client::acknowledge(const Msg& m) {
  socket_.send(server_, encode(Msg{Type::ack, Code::empty, m.mid, {}, {}, {}}));
}
void Client::reset(const Msg& m) {
  socket_.send(server_, encode(Msg{Type::rst, Code::empty, m.mid, {}, {}, {}}));
}

Response Client::to_response(const Msg& m) const {
  return Response{m.code, m.payload, m.uint_option(OptionNumber::content_format)};
}

Msg Client::exchange(Msg req) {
  const Interaction guard(nstart_, server_.peer_id());
  req.mid = mid_++;
  const std::vector<uint8_t> bytes = encode(req);
  socket_.send(server_, bytes);
  const bool con = req.type == Type::con;
  coap::Retransmission rtx;
  if (con) rtx.start(config_.params, now_ms(), random32());
  // NON requests, and CON ones after an empty ACK, wait as long as a CON could take at most.
  uint64_t deadline = now_ms() + config_.params.max_transmit_wait_ms();
  const std::string where = " from " + server_.text() + " for " + req.path();
  for (;;) {
    const uint64_t now = now_ms();
    if (rtx.active()) {
      const auto step = rtx.poll(now);
      if (step == coap::Retransmission::Step::retransmit) socket_.send(server_, bytes);
      if (step == coap::Retransmission::Step::give_up) {
        throw std::runtime_error("no answer" + where + " after " + std::to_string(rtx.retransmissions()) +
                                 " retransmissions: is a CoAP server listening there?");
      }
    } else if (now >= deadline) {
      throw std::runtime_error("no response" + where + ": check the host and port, or try a CON request");
    }
    const auto d = socket_.receive(wait_ms(rtx.active() ? rtx.deadline_ms() : deadline, now));
    if (socket_.take_refused()) {
      throw std::runtime_error("nothing listens at " + server_.text() +
                               " (port unreachable): start a server there "
                               "(e.g. tinyloop coap serve) or fix the host/port");
    }
    if (!d || !from_server(*d)) continue;
    Decoded in = decode(d->data);
    if (!in.msg) {
      if (in.header_only && in.header_only->type == Type::con) reset(*in.header_only);
      continue;
    }
    const Msg& m = *in.msg;
    const bool ours = m.token == req.token;
    if (m.type == Type::rst && m.mid == req.mid)
      throw std::runtime_error("the server reset (RST) the request" + where);
    if (m.type == Type::ack && m.mid == req.mid) {
      rtx.stop();
      if (m.code != Code::empty && ours) return m;                  // piggybacked response
      deadline = now_ms() + config_.params.max_transmit_wait_ms();  // a separate response follows
      continue;
    }
    if ((m.type == Type::con || m.type == Type::non) && coap::is_response(m.code) && ours) {
      if (m.type == Type::con) acknowledge(m);
      return m;
    }
    if (m.type == Type::con) reset(m);  // a stray message, e.g. a notification we no longer want
  }
}

Response Client::get(const std::string& path) {
  Msg req = base_request(Code::get, path);
  if (config_.szx) req.add_block(OptionNumber::block2, BlockValue{0, false, *config_.szx});
  Msg m = exchange(req);
  std::optional<BlockValue> block = m.block(OptionNumber::block2);
  if (!block || !coap::is_response(m.code) || coap::code_class(m.code) != 2) return to_response(m);

  std::vector<uint8_t> buffer(config_.max_body);
  coap::BlockAssembler assembler(buffer);
  if (auto size2 = m.uint_option(OptionNumber::size2); size2 && assembler.expect_total(*size2) != Error::ok) {
    throw std::runtime_error("the body of " + path + " (" + std::to_string(*size2) +
                             " bytes) is larger than the client's limit");
  }
  const auto etag = etag_of(m);
  for (;;) {
    const Error e = assembler.add(*block, {m.payload.data(), m.payload.size()});
    if (e != Error::ok)
      throw std::runtime_error(std::string("broken Block2 sequence from the server: ") +
                               tl::wire::error_name(e));
    if (!block->more) break;
    // Keep our preferred size unless the server chose a smaller one (RFC 7959 2.4).
    const auto next =
        coap::next_block(*block, coap::negotiate_szx(config_.szx.value_or(block->szx), block->szx));
    if (!next) throw std::runtime_error("cannot continue the Block2 transfer: block number out of range");
    Msg follow = base_request(Code::get, path);
    follow.add_block(OptionNumber::block2, *next);
    m = exchange(follow);
    if (coap::code_class(m.code) != 2) return to_response(m);
    if (etag_of(m) != etag)
      throw std::runtime_error(path + " changed during the block-wise transfer; run the GET again");
    block = m.block(OptionNumber::block2);
    if (!block) throw std::runtime_error("the server dropped the Block2 option in the middle of a transfer");
  }
  Response r = to_response(m);
  r.payload.assign(assembler.data().begin(), assembler.data().end());
  return r;
}

Response Client::put(const std::string& path, const std::vector<uint8_t>& body, uint32_t content_format) {
  const tl::wire::Bytes all{body.data(), body.size()};
  if (!config_.szx && body.size() <= coap::block_size(kDefaultSzx)) {
    Msg req = base_request(Code::put, path);
    req.add_uint(OptionNumber::content_format, content_format);
    req.payload = body;
    return to_response(exchange(req));
  }
  BlockValue want{0, false, config_.szx.value_or(kDefaultSzx)};
  for (;;) {
    const auto slice = coap::slice_block(all, want, want.szx);
    if (!slice) throw std::runtime_error("cannot slice the body into blocks");
    Msg req = base_request(Code::put, path);
    req.add_uint(OptionNumber::content_format, content_format);
    req.add_block(OptionNumber::block1, slice->block);
    if (slice->block.num == 0) req.add_uint(OptionNumber::size1, static_cast<uint32_t>(body.size()));
    req.payload.assign(slice->data.begin(), slice->data.end());
    const Msg m = exchange(req);
    if (m.code != Code::continue_ || !slice->block.more) return to_response(m);
    // The server may ask for smaller blocks in its 2.31 (RFC 7959 2.5, Figure 7).
    const std::optional<BlockValue> acked = m.block(OptionNumber::block1);
    const uint8_t szx = coap::negotiate_szx(acked ? acked->szx : want.szx, want.szx);
    const auto next = coap::next_block(slice->block, szx);
    if (!next) throw std::runtime_error("cannot continue the Block1 transfer: block number out of range");
    want = *next;
  }
}

void Client::observe(const std::string& path, size_t count,
                     const std::function<void(const Notification&)>& on_notification, int timeout_ms) {
  Msg reg = base_request(Code::get, path);
  reg.add_uint(OptionNumber::observe, coap::kObserveRegister);
  const Msg first = exchange(reg);
  const std::optional<uint32_t> seq = first.uint_option(OptionNumber::observe);
  if (coap::code_class(first.code) != 2)
    throw std::runtime_error("observe " + path + " failed with " + code_text(first.code));
  if (!seq) throw std::runtime_error(path + " is not observable (the response has no Observe option)");
  coap::ObserveFreshness freshness;
  freshness.accept(*seq, now_ms());
  on_notification(Notification{*seq, to_response(first)});
  size_t delivered = 1;
  uint64_t deadline = now_ms() + static_cast<uint64_t>(timeout_ms);
  while (delivered < count) {
    const uint64_t now = now_ms();
    if (now >= deadline)
      throw std::runtime_error("no notification from " + server_.text() + " for " +
                               std::to_string(timeout_ms) + " ms");
    const auto d = socket_.receive(wait_ms(deadline, now));
    if (!d || !from_server(*d)) continue;
    Decoded in = decode(d->data);
    if (!in.msg) continue;
    const Msg& m = *in.msg;
    if (m.token != reg.token || !coap::is_response(m.code)) {
      if (m.type == Type::con) reset(m);
      continue;
    }
    if (m.type == Type::con) acknowledge(m);
    const std::optional<uint32_t> n = m.uint_option(OptionNumber::observe);
    if (!n)
      throw std::runtime_error("the server ended the observation of " + path + " with " + code_text(m.code));
    if (!freshness.accept(*n, now_ms())) continue;  // reordered: older than one already seen
    on_notification(Notification{*n, to_response(m)});
    ++delivered;
    deadline = now_ms() + static_cast<uint64_t>(timeout_ms);
  }
  // Deregister with a GET carrying Observe 1 and the same token (RFC 7641 3.6).
  Msg dereg = base_request(Code::get, path);
  dereg.token = reg.token;
  dereg.add_uint(OptionNumber::observe, coap::kObserveDeregister);
  exchange(dereg);
}

}  // namespace tl::coaptool
