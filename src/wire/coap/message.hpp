// CoAP messages over UDP (RFC 7252 3): a zero-copy decoder that checks the framing in one pass and
// hands out a small view into the datagram, option checks for a server (5.4), and a builder that
// writes a message into a caller's buffer.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wire/bytes.hpp"
#include "wire/coap/code.hpp"
#include "wire/coap/option.hpp"
#include "wire/error.hpp"

namespace tl::wire::coap {

inline constexpr size_t kHeaderSize = 4;
inline constexpr size_t kMaxTokenLength = 8;
inline constexpr uint8_t kPayloadMarker = 0xFF;
// Largest option delta or length the encoding can express: 269 + 0xFFFF (3.1).
inline constexpr uint32_t kMaxOptionLength = 65804;

// The fixed 4-byte header.
struct Header {
  Type type = Type::con;
  uint8_t token_length = 0;  // the raw nibble: 9..15 are a format error
  Code code = Code::empty;
  uint16_t message_id = 0;
};

// Reads the header only, so that a server can still answer a CON message with a format error by
// RST (4.2) or silently drop a NON one. Errors: truncated (< 4 bytes), malformed (version != 1;
// such a message must be ignored silently).
Result<Header> decode_header(Bytes datagram);

// Marks the end of an option iteration.
struct OptionEnd {};

// Walks the options of a decoded message in order, optionally only those with one number.
class OptionIterator {
 public:
  OptionIterator() = default;
  // `only`: the option number to stop at, or kEveryOption.
  static constexpr uint32_t kEveryOption = 0x10000;
  OptionIterator(const uint8_t* begin, const uint8_t* end, uint32_t only);

  const Option& operator*() const { return current_; }
  const Option* operator->() const { return &current_; }
  OptionIterator& operator++() {
    advance();
    return *this;
  }
  bool operator==(OptionEnd) const { return done_; }

 private:
  void advance();

  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  uint32_t number_ = 0;  // number of the last option read (deltas add up from here)
  uint32_t only_ = 0;
  Option current_{};
  bool done_ = true;
};

class OptionRange {
 public:
  OptionRange(const uint8_t* begin, const uint8_t* end, uint32_t only) : begin_(begin), end_(end), only_(only) {}
  OptionIterator begin() const { return {begin_, end_, only_}; }
  OptionEnd end() const { return {}; }
  bool empty() const { return begin() == end(); }

 private:
  const uint8_t* begin_;
  const uint8_t* end_;
  uint32_t only_;
};

// A decoded message: pointers into the datagram, which must outlive the view. Only decode()
// makes a non-default view; a default one reads as an empty CON message with message ID 0.
class MessageView {
 public:
  MessageView() = default;

  Type type() const { return static_cast<Type>((data_[0] >> 4) & 0x03); }
  Code code() const { return static_cast<Code>(data_[1]); }
  uint16_t message_id() const { return static_cast<uint16_t>((data_[2] << 8) | data_[3]); }
  Bytes token() const { return {data_ + kHeaderSize, token_length()}; }
  Bytes payload() const { return {data_ + payload_offset_, size_ - payload_offset_}; }
  bool is_empty() const { return code() == Code::empty; }

  // Every option, ascending by number, repeated ones in message order.
  OptionRange options() const;
  // Only the options numbered `n` (stops as soon as the numbers pass `n`).
  OptionRange options(OptionNumber n) const;
  // First occurrence of a uint option; absent when missing or when its length is outside the
  // registered range (such an option counts as unrecognized, 5.4.3).
  Maybe<uint32_t> uint_option(OptionNumber n) const;

  OptionRange uri_path() const { return options(OptionNumber::uri_path); }
  OptionRange uri_query() const { return options(OptionNumber::uri_query); }
  OptionRange location_path() const { return options(OptionNumber::location_path); }
  OptionRange etags() const { return options(OptionNumber::etag); }
  OptionRange if_match() const { return options(OptionNumber::if_match); }
  bool if_none_match() const { return !options(OptionNumber::if_none_match).empty(); }
  Maybe<ContentFormat> content_format() const { return format_option(OptionNumber::content_format); }
  Maybe<ContentFormat> accept() const { return format_option(OptionNumber::accept); }
  Maybe<uint32_t> observe() const { return uint_option(OptionNumber::observe); }
  Maybe<uint32_t> block1() const { return uint_option(OptionNumber::block1); }
  Maybe<uint32_t> block2() const { return uint_option(OptionNumber::block2); }
  Maybe<uint32_t> size1() const { return uint_option(OptionNumber::size1); }
  Maybe<uint32_t> size2() const { return uint_option(OptionNumber::size2); }
  // Seconds; 60 when the option is absent (5.10.5).
  uint32_t max_age() const { return uint_option(OptionNumber::max_age).value_or(60); }

 private:
  friend Result<MessageView> decode(Bytes datagram);
  MessageView(const uint8_t* data, uint32_t size, uint32_t payload_offset)
      : data_(data), size_(size), payload_offset_(payload_offset) {}

  size_t token_length() const { return data_[0] & 0x0Fu; }
  const uint8_t* options_end() const;
  Maybe<ContentFormat> format_option(OptionNumber n) const;

  static constexpr uint8_t kEmptyCon[kHeaderSize] = {0x40, 0, 0, 0};
  const uint8_t* data_ = kEmptyCon;
  uint32_t size_ = kHeaderSize;
  uint32_t payload_offset_ = kHeaderSize;  // == size_ when there is no payload
};

// Checks the framing: header (version 1), token length, option deltas and lengths, payload marker.
// Errors: truncated (a length runs past the end), malformed (version, reserved nibble 15, option
// number above 65535, payload marker with no payload, an Empty message with any bytes after the
// message ID), token_too_long. Option meaning is not checked here: see check_options().
Result<MessageView> decode(Bytes datagram);

// RFC 7252 5.4 for a received message: unknown_critical_option when a critical option is not in
// `known` or a non-repeatable critical one repeats (5.4.5); option_too_long / bad_option when a
// critical registered option is longer / shorter than allowed (5.4.3). Elective options with
// these faults are ignored. A server answers a CON request failing here with 4.02 Bad Option.
Error check_options(const MessageView& message, OptionSet known = registered_options());

// Empty ping: a CON message with code 0.00, answered by RST (4.3).
inline bool is_ping(const MessageView& m) { return m.type() == Type::con && m.is_empty(); }
inline bool is_reset(const MessageView& m) { return m.type() == Type::rst; }

// Writes an Empty message (an ACK or RST for `message_id`).
Error write_empty(Type type, uint16_t message_id, ByteWriter& out);

// Builds one message. Options may be added in any order; write() emits them sorted by number,
// repeated ones in the order they were added. String and opaque values, and the payload, are not
// copied: they must stay valid until write(). The first error sticks and write() returns it.
class MessageBuilder {
 public:
  static constexpr size_t kMaxOptions = 24;

  MessageBuilder(Type type, Code code, uint16_t message_id);
  // A piggybacked response (5.2.1): ACK with the request's message ID and token.
  static MessageBuilder piggybacked_response(const MessageView& request, Code code);

  // Errors: token_too_long.
  MessageBuilder& token(Bytes token);
  // Errors: too_many_items, option_too_long / bad_option (length outside the registered range).
  MessageBuilder& opaque_option(OptionNumber n, Bytes value);
  MessageBuilder& string_option(OptionNumber n, std::string_view value) { return opaque_option(n, as_bytes(value)); }
  MessageBuilder& empty_option(OptionNumber n) { return opaque_option(n, {}); }
  // Minimal big-endian bytes; 0 is the empty value.
  MessageBuilder& uint_option(OptionNumber n, uint32_t value);

  // "/a/b" -> Uri-Path "a", "b"; "/" or "" -> none; segments are taken as they are (no
  // percent-decoding), a trailing '/' adds an empty segment.
  MessageBuilder& uri_path(std::string_view path) { return path_options(OptionNumber::uri_path, path); }
  MessageBuilder& location_path(std::string_view path) { return path_options(OptionNumber::location_path, path); }
  // One query item such as "ep=node1".
  MessageBuilder& uri_query(std::string_view item) { return string_option(OptionNumber::uri_query, item); }
  MessageBuilder& content_format(ContentFormat f) { return uint_option(OptionNumber::content_format, to_uint(f)); }
  MessageBuilder& accept(ContentFormat f) { return uint_option(OptionNumber::accept, to_uint(f)); }
  MessageBuilder& observe(uint32_t v) { return uint_option(OptionNumber::observe, v); }
  MessageBuilder& block1(uint32_t raw) { return uint_option(OptionNumber::block1, raw); }
  MessageBuilder& block2(uint32_t raw) { return uint_option(OptionNumber::block2, raw); }
  MessageBuilder& size1(uint32_t bytes) { return uint_option(OptionNumber::size1, bytes); }
  MessageBuilder& size2(uint32_t bytes) { return uint_option(OptionNumber::size2, bytes); }
  MessageBuilder& max_age(uint32_t seconds) { return uint_option(OptionNumber::max_age, seconds); }
  MessageBuilder& etag(Bytes tag) { return opaque_option(OptionNumber::etag, tag); }
  MessageBuilder& if_match(Bytes tag) { return opaque_option(OptionNumber::if_match, tag); }
  MessageBuilder& if_none_match() { return empty_option(OptionNumber::if_none_match); }
  // Written after the payload marker; an empty payload writes no marker.
  MessageBuilder& payload(Bytes body);

  Error error() const { return error_; }
  // Errors: the sticky error, malformed (an Empty message with a token, options or payload),
  // buffer_too_small. On error `out` may hold a partial message.
  Error write(ByteWriter& out) const;

 private:
  // An option waiting to be written; a uint keeps its bytes here, other values point outside.
  struct Pending {
    const uint8_t* data = nullptr;  // nullptr: the value is in `inline_value`
    uint32_t length = 0;
    uint16_t number = 0;
    std::array<uint8_t, 4> inline_value{};
  };

  MessageBuilder& path_options(OptionNumber n, std::string_view path);
  // Checks the length and the capacity, then inserts; nullptr (and a sticky error) on failure.
  Pending* add(OptionNumber n, size_t length);
  void fail(Error e);
  static void write_option(const Pending& p, uint16_t previous, ByteWriter& out);

  Type type_;
  Code code_;
  uint16_t message_id_;
  uint8_t token_length_ = 0;
  std::array<uint8_t, kMaxTokenLength> token_{};
  std::array<Pending, kMaxOptions> options_{};
  size_t option_count_ = 0;
  Bytes payload_{};
  Error error_ = Error::ok;
};

}  // namespace tl::wire::coap
