#include "coaptool/responder.hpp"

#include <algorithm>
#include <stdexcept>

#include "coaptool/clock.hpp"

namespace tl::coaptool {

using coap::BlockValue;
using coap::Code;
using coap::OptionNumber;
using coap::Type;
using tl::wire::Error;

namespace {

constexpr uint32_t kTextPlain = static_cast<uint32_t>(coap::ContentFormat::text_plain);
constexpr uint32_t kLinkFormat = static_cast<uint32_t>(coap::ContentFormat::link_format);
constexpr size_t kReplyCacheSize = 4096;
constexpr int kStopCheckMs = 50;
constexpr uint32_t kConEvery = 5;

Msg reply_with(Code code, std::string_view text = {}) {
  Msg r;
  r.code = code;
  r.payload.assign(text.begin(), text.end());
  return r;
}

// Response code for a Block1 reassembly failure (RFC 7959 2.9).
Code code_for_block_error(Error e) {
  switch (e) {
    case Error::block_missing:
    case Error::block_out_of_order:
      return Code::request_entity_incomplete;
    case Error::buffer_too_small:
      return Code::request_entity_too_large;
    case Error::bad_option:
      return Code::bad_option;
    default:
      return Code::bad_request;
  }
}

}  // namespace

struct Responder::Observer {
  Endpoint peer;
  std::vector<uint8_t> token;
  coap::ObserveCounter seq;
  uint16_t last_mid = 0;  // of the last notification, to match an ACK or RST
  uint32_t sent = 0;      // notifications sent so far
  bool awaiting_ack = false;
  coap::Retransmission rtx;
  std::vector<uint8_t> pending;  // the CON notification being retransmitted
};

struct Responder::Upload {
  explicit Upload(size_t capacity) : buffer(capacity), assembler(buffer) {}
  std::vector<uint8_t> buffer;
  coap::BlockAssembler assembler;
};

struct Responder::CachedReply {
  uint32_t peer = 0;
  uint16_t mid = 0;
  std::vector<uint8_t> bytes;
};

std::string large_body(size_t size) {
  std::string body;
  body.reserve(size + 64);
  for (size_t line = 0; body.size() < size; ++line) {
    std::string n = std::to_string(line);
    body += std::string(n.size() < 4 ? 4 - n.size() : 0, '0') + n + " tinyloop block-wise test line\n";
  }
  body.resize(size);
  return body;
}

Responder::Responder(ResponderConfig config)
    : config_(std::move(config)),
      socket_(config_.host, config_.port),
      large_(large_body(config_.large_size)),
      mid_(static_cast<uint16_t>(random32())),
      dedup_(config_.params),
      cache_(kReplyCacheSize) {
  if (config_.max_szx > coap::kMaxSzx) throw std::invalid_argument("block size exponent must be 0..6");
}

Responder::~Responder() = default;

void Responder::log(const std::string& line) const {
  if (config_.log) config_.log(line);
}

void Responder::run(const std::atomic<bool>& stop) {
  while (!stop.load()) {
    const uint64_t now = now_ms();
    notify_due(now);
    retransmit_due(now);
    if (auto d = socket_.receive(next_wakeup_ms(now_ms()))) handle(*d);
  }
}

int Responder::next_wakeup_ms(uint64_t now) const {
  uint64_t at = now + kStopCheckMs;
  if (!observers_.empty()) at = std::min(at, next_notify_ms_);
  for (const auto& o : observers_) {
    if (o->awaiting_ack) at = std::min(at, o->rtx.deadline_ms());
  }
  return at <= now ? 0 : static_cast<int>(at - now);
}

void Responder::handle(const Datagram& d) {
  Decoded in = decode(d.data);
  if (!in.msg) {
    // RFC 7252 4.2/5.4.1: a bad CON gets RST, or 4.02 for an unrecognised critical option.
    if (!in.header_only || in.header_only->type != Type::con) return;
    Msg reply = in.error == Error::unknown_critical_option ? reply_with(Code::bad_option) : Msg{};
    reply.type = reply.code == Code::empty ? Type::rst : Type::ack;
    reply.mid = in.header_only->mid;
    if (reply.type == Type::ack) reply.token = in.header_only->token;
    socket_.send(d.from, encode(reply));
    log("bad message from " + d.from.text() + ": " + tl::wire::error_name(in.error));
    return;
  }
  const Msg& m = *in.msg;
  if (m.type == Type::ack || m.type == Type::rst) return handle_ack_or_rst(m, d.from);
  if (!coap::is_request(m.code)) {
    // A CON ping (empty) or a response we never asked for: reset it.
    if (m.type == Type::con) socket_.send(d.from, encode(Msg{Type::rst, Code::empty, m.mid, {}, {}, {}}));
    return;
  }
  auto seen = dedup_.receive(d.from.peer_id(), m.mid, m.type == Type::con, now_ms());
  // A full window cannot tell duplicates apart; serving the request anyway is the lesser evil
  // for a test tool (the worst case repeats an idempotent GET or PUT).
  if (!seen) return handle_request(m, d.from);
  if (seen->status == coap::Dedup::duplicate_reply) {
    const CachedReply& c = cache_[seen->response];
    if (c.peer == d.from.peer_id() && c.mid == m.mid) socket_.send(d.from, c.bytes);
    return;
  }
  if (seen->status == coap::Dedup::fresh) handle_request(m, d.from);
}

void Responder::handle_request(const Msg& req, const Endpoint& from) {
  Msg reply;
  try {
    reply = respond_to(req, from);
  } catch (const std::runtime_error& e) {  // an invalid Block option value
    reply = reply_with(Code::bad_option, e.what());
  }
  log(from.text() + " " + code_text(req.code) + " " + req.path() + " -> " + code_text(reply.code));
  send_reply(req, std::move(reply), from);
}

Msg Responder::respond_to(const Msg& req, const Endpoint& from) {
  const std::string path = req.path();
  const bool get = req.code == Code::get;
  if (path == "/hello")
    return get ? get_blockwise(req, "Hello from tinyloop", kTextPlain) : reply_with(Code::method_not_allowed);
  if (path == "/large")
    return get ? get_blockwise(req, large_, kTextPlain) : reply_with(Code::method_not_allowed);
  if (path == "/obs") return get ? get_obs(req, from) : reply_with(Code::method_not_allowed);
  if (path == "/.well-known/core") return get ? well_known_core(req) : reply_with(Code::method_not_allowed);
  if (path == "/store") {
    if (get) return get_blockwise(req, stored_, kTextPlain);
    if (req.code == Code::put) return put_store(req, from);
    return reply_with(Code::method_not_allowed);
  }
  return reply_with(Code::not_found, "no such resource; GET /.well-known/core lists them");
}

Msg Responder::get_blockwise(const Msg& req, const std::string& body, uint32_t content_format) {
  const std::optional<BlockValue> asked = req.block(OptionNumber::block2);
  const BlockValue request = asked.value_or(BlockValue{0, false, config_.max_szx});
  const tl::wire::Bytes all = tl::wire::as_bytes(body);
  auto slice = coap::slice_block(all, request, config_.max_szx);
  if (!slice) return reply_with(Code::bad_option, "block number beyond the end of the resource");
  Msg r;
  r.code = Code::content;
  r.add_uint(OptionNumber::content_format, content_format);
  if (asked || slice->block.more) {
    r.add_block(OptionNumber::block2, slice->block);
    if (slice->block.num == 0) r.add_uint(OptionNumber::size2, static_cast<uint32_t>(body.size()));
  }
  r.payload.assign(slice->data.begin(), slice->data.end());
  return r;
}

Msg Responder::well_known_core(const Msg& req) {
  const std::string links =
      "</hello>;ct=0,</large>;ct=0;sz=" + std::to_string(large_.size()) + ",</store>;ct=0,</obs>;ct=0;obs";
  return get_blockwise(req, links, kLinkFormat);
}

Msg Responder::get_obs(const Msg& req, const Endpoint& from) {
  const std::optional<uint32_t> observe = req.uint_option(OptionNumber::observe);
  auto same = [&](const std::unique_ptr<Observer>& o) { return o->peer == from && o->token == req.token; };
  // Any GET with this token replaces or ends the observation (RFC 7641 3.6, 4.1).
  std::erase_if(observers_, same);
  Msg r = reply_with(Code::content, "count " + std::to_string(obs_value_));
  r.add_uint(OptionNumber::content_format, kTextPlain);
  if (observe != coap::kObserveRegister) return r;
  auto o = std::make_unique<Observer>(
      Observer{from, req.token, coap::ObserveCounter{random32()}, 0, 0, false, {}, {}});
  r.add_uint(OptionNumber::observe, o->seq.next());
  if (observers_.empty()) next_notify_ms_ = now_ms() + config_.observe_interval_ms;
  observers_.push_back(std::move(o));
  return r;
}

Msg Responder::put_store(const Msg& req, const Endpoint& from) {
  const std::optional<BlockValue> block = req.block(OptionNumber::block1);
  const std::optional<uint32_t> size1 = req.uint_option(OptionNumber::size1);
  auto too_large = [&] {
    Msg r = reply_with(Code::request_entity_too_large, "body larger than the responder's --max-body");
    r.add_uint(OptionNumber::size1, static_cast<uint32_t>(config_.max_body));
    return r;
  };
  if ((size1 && *size1 > config_.max_body) || (!block && req.payload.size() > config_.max_body))
    return too_large();
  if (!block) {
    stored_.assign(req.text());
    return reply_with(Code::changed);
  }
  const uint32_t peer = from.peer_id();
  if (block->num == 0) uploads_[peer] = std::make_unique<Upload>(config_.max_body);
  auto it = uploads_.find(peer);
  if (it == uploads_.end()) return reply_with(Code::request_entity_incomplete, "send block 0 first");
  const Error e = it->second->assembler.add(*block, {req.payload.data(), req.payload.size()});
  if (e != Error::ok) {
    uploads_.erase(it);
    return e == Error::buffer_too_small ? too_large()
                                        : reply_with(code_for_block_error(e), tl::wire::error_name(e));
  }
  // Echo the block; a smaller SZX asks the client to continue with smaller blocks (RFC 7959 2.3).
  const BlockValue ack{block->num, block->more, coap::negotiate_szx(block->szx, config_.max_szx)};
  Msg r = reply_with(block->more ? Code::continue_ : Code::changed);
  r.add_block(OptionNumber::block1, ack);
  if (!block->more) {
    stored_.assign(tl::wire::as_text(it->second->assembler.data()));
    uploads_.erase(it);
  }
  return r;
}

void Responder::send_reply(const Msg& req, Msg reply, const Endpoint& from) {
  // CON: piggybacked in the ACK. NON: a NON response with a fresh message ID (RFC 7252 5.2).
  reply.type = req.type == Type::con ? Type::ack : Type::non;
  reply.mid = req.type == Type::con ? req.mid : next_mid();
  reply.token = req.token;
  std::vector<uint8_t> bytes = encode(reply);
  socket_.send(from, bytes);
  // Only a repeated CON is answered again; a repeated NON is ignored (RFC 7252 4.5).
  if (req.type != Type::con) return;
  const uint16_t handle = cache_next_;
  cache_next_ = static_cast<uint16_t>((cache_next_ + 1) % kReplyCacheSize);
  cache_[handle] = CachedReply{from.peer_id(), req.mid, std::move(bytes)};
  dedup_.respond(from.peer_id(), req.mid, handle, now_ms());
}

void Responder::notify_due(uint64_t now) {
  if (observers_.empty() || now < next_notify_ms_) return;
  next_notify_ms_ = now + config_.observe_interval_ms;
  ++obs_value_;
  for (auto& o : observers_) {
    if (o->awaiting_ack) continue;  // the peer has not confirmed the last one yet: skip this one
    Msg n = reply_with(Code::content, "count " + std::to_string(obs_value_));
    // Every fifth notification is CON even in NON mode, so a vanished client is noticed
    // (RFC 7641 4.5) and its observation removed when the retransmissions give up.
    const bool con = config_.confirmable_notifications || ++o->sent % kConEvery == 0;
    n.type = con ? Type::con : Type::non;
    n.mid = o->last_mid = next_mid();
    n.token = o->token;
    n.add_uint(OptionNumber::observe, o->seq.next());
    n.add_uint(OptionNumber::content_format, kTextPlain);
    std::vector<uint8_t> bytes = encode(n);
    socket_.send(o->peer, bytes);
    if (n.type == Type::con) {
      o->awaiting_ack = true;
      o->pending = std::move(bytes);
      o->rtx.start(config_.params, now, random32());
    }
  }
}

void Responder::retransmit_due(uint64_t now) {
  std::erase_if(observers_, [&](const std::unique_ptr<Observer>& o) {
    if (!o->awaiting_ack) return false;
    switch (o->rtx.poll(now)) {
      case coap::Retransmission::Step::retransmit:
        socket_.send(o->peer, o->pending);
        return false;
      case coap::Retransmission::Step::give_up:
        log("observer " + o->peer.text() + " gone quiet, removed");
        return true;
      default:
        return false;
    }
  });
}

void Responder::handle_ack_or_rst(const Msg& m, const Endpoint& from) {
  std::erase_if(observers_, [&](const std::unique_ptr<Observer>& o) {
    if (!(o->peer == from) || o->last_mid != m.mid) return false;
    if (m.type == Type::rst) {
      log("observer " + from.text() + " cancelled with RST");
      return true;
    }
    o->awaiting_ack = false;
    o->rtx.stop();
    return false;
  });
}

}  // namespace tl::coaptool
