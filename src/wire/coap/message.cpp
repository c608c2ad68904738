#include "wire/coap/message.hpp"

#include <algorithm>

#include "wire/coap/uint_value.hpp"

namespace tl::wire::coap {
namespace {

constexpr uint8_t kVersion = 1;
constexpr uint32_t kMaxOptionNumber = 0xFFFF;
// Larger than any UDP datagram (65,527 bytes) and than the longest option the format can express,
// so every offset fits the view's 32-bit fields.
constexpr size_t kMaxDatagramSize = 0x20000;

// An option delta or length (3.1): the nibble itself, or 13 plus one extension byte, or 269 plus
// two. Nibble 15 is reserved (the payload marker is handled before we get here).
Error read_extended(uint8_t nibble, const uint8_t*& p, const uint8_t* end, uint32_t& out) {
  if (nibble < 13) {
    out = nibble;
    return Error::ok;
  }
  if (nibble == 15) return Error::malformed;
  const size_t extension = nibble == 13 ? 1 : 2;
  if (static_cast<size_t>(end - p) < extension) return Error::truncated;
  out = nibble == 13 ? 13u + p[0] : 269u + ((uint32_t{p[0]} << 8) | p[1]);
  p += extension;
  return Error::ok;
}

// Reads the option at `p` (not a payload marker) that follows option number `previous`.
Error read_option(const uint8_t*& p, const uint8_t* end, uint32_t previous, uint32_t& number, Bytes& value) {
  const uint8_t head = *p++;
  uint32_t delta = 0;
  uint32_t length = 0;
  if (Error e = read_extended(static_cast<uint8_t>(head >> 4), p, end, delta); e != Error::ok) return e;
  if (Error e = read_extended(static_cast<uint8_t>(head & 0x0F), p, end, length); e != Error::ok) return e;
  number = previous + delta;
  if (number > kMaxOptionNumber) return Error::malformed;
  if (length > static_cast<size_t>(end - p)) return Error::truncated;
  value = {p, length};
  p += length;
  return Error::ok;
}

// The 4-bit field that starts an option delta or length, and the extension bytes after it.
uint8_t nibble_for(uint32_t v) { return static_cast<uint8_t>(v < 13 ? v : v < 269 ? 13 : 14); }
void put_extension(uint32_t v, ByteWriter& out) {
  if (v >= 269) {
    out.put_be(v - 269, 2);
  } else if (v >= 13) {
    out.put(static_cast<uint8_t>(v - 13));
  }
}

void write_header(Type type, uint8_t token_length, Code code, uint16_t message_id, ByteWriter& out) {
  out.put(static_cast<uint8_t>((kVersion << 6) | (static_cast<uint8_t>(type) << 4) | token_length));
  out.put(static_cast<uint8_t>(code));
  out.put_be(message_id, 2);
}

}  // namespace

Result<Header> decode_header(Bytes datagram) {
  if (datagram.size() < kHeaderSize) return Error::truncated;
  if ((datagram[0] >> 6) != kVersion) return Error::malformed;
  Header h;
  h.type = static_cast<Type>((datagram[0] >> 4) & 0x03);
  h.token_length = static_cast<uint8_t>(datagram[0] & 0x0F);
  h.code = static_cast<Code>(datagram[1]);
  h.message_id = static_cast<uint16_t>((datagram[2] << 8) | datagram[3]);
  return h;
}

Result<MessageView> decode(Bytes datagram) {
  Result<Header> header = decode_header(datagram);
  if (!header) return header.error();
  if (datagram.size() > kMaxDatagramSize) return Error::malformed;
  const size_t token_length = header->token_length;
  if (token_length > kMaxTokenLength) return Error::token_too_long;
  // 4.1: an Empty message is the header alone.
  if (header->code == Code::empty && datagram.size() != kHeaderSize) return Error::malformed;
  if (datagram.size() < kHeaderSize + token_length) return Error::truncated;

  const uint8_t* const begin = datagram.data();
  const uint8_t* const end = begin + datagram.size();
  const uint8_t* p = begin + kHeaderSize + token_length;
  uint32_t number = 0;
  while (p != end && *p != kPayloadMarker) {
    Bytes value;
    if (Error e = read_option(p, end, number, number, value); e != Error::ok) return e;
  }
  size_t payload_offset = datagram.size();
  if (p != end) {
    // 3: a marker followed by a zero-length payload is a format error.
    if (p + 1 == end) return Error::malformed;
    payload_offset = static_cast<size_t>(p + 1 - begin);
  }
  return MessageView(begin, static_cast<uint32_t>(datagram.size()), static_cast<uint32_t>(payload_offset));
}

OptionIterator::OptionIterator(const uint8_t* begin, const uint8_t* end, uint32_t only)
    : pos_(begin), end_(end), only_(only), done_(false) {
  advance();
}

void OptionIterator::advance() {
  while (pos_ != end_) {
    Bytes value;
    // decode() has checked every option, so this cannot fail on a view's bytes.
    if (read_option(pos_, end_, number_, number_, value) != Error::ok) break;
    if (only_ == kEveryOption || number_ == only_) {
      current_ = {static_cast<OptionNumber>(number_), value};
      return;
    }
    if (number_ > only_) break;  // options are sorted: no more of the wanted number
  }
  done_ = true;
}

const uint8_t* MessageView::options_end() const {
  // With a payload, the options end at the marker just before it.
  return payload_offset_ == size_ ? data_ + size_ : data_ + payload_offset_ - 1;
}

OptionRange MessageView::options() const {
  return {data_ + kHeaderSize + token_length(), options_end(), OptionIterator::kEveryOption};
}

OptionRange MessageView::options(OptionNumber n) const {
  return {data_ + kHeaderSize + token_length(), options_end(), to_uint(n)};
}

Maybe<uint32_t> MessageView::uint_option(OptionNumber n) const {
  OptionIterator first = options(n).begin();
  if (first == OptionEnd{} || check_length(n, first->value.size()) != Error::ok) return {};
  return first->as_uint();
}

Maybe<ContentFormat> MessageView::format_option(OptionNumber n) const {
  const Maybe<uint32_t> v = uint_option(n);
  if (!v) return {};
  return {static_cast<ContentFormat>(*v), true};  // at most 2 bytes long, so it fits
}

Error check_options(const MessageView& message, OptionSet known) {
  uint32_t previous_critical = OptionIterator::kEveryOption;
  for (const Option& o : message.options()) {
    if (!is_critical(o.number)) continue;  // elective: ignored when unknown or faulty
    if (!known.contains(o.number)) return Error::unknown_critical_option;
    if (Error e = check_length(o.number, o.value.size()); e != Error::ok) return e;
    const OptionInfo* info = find_option_info(o.number);
    const bool repeated = to_uint(o.number) == previous_critical;
    if (repeated && info != nullptr && !info->repeatable) return Error::unknown_critical_option;
    previous_critical = to_uint(o.number);
  }
  return Error::ok;
}

Error write_empty(Type type, uint16_t message_id, ByteWriter& out) {
  write_header(type, 0, Code::empty, message_id, out);
  return out.status();
}

MessageBuilder::MessageBuilder(Type type, Code code, uint16_t message_id)
    : type_(type), code_(code), message_id_(message_id) {}

MessageBuilder MessageBuilder::piggybacked_response(const MessageView& request, Code code) {
  MessageBuilder b(Type::ack, code, request.message_id());
  b.token(request.token());
  return b;
}

MessageBuilder& MessageBuilder::token(Bytes token) {
  if (token.size() > kMaxTokenLength) {
    fail(Error::token_too_long);
    return *this;
  }
  std::copy(token.begin(), token.end(), token_.begin());
  token_length_ = static_cast<uint8_t>(token.size());
  return *this;
}

MessageBuilder& MessageBuilder::opaque_option(OptionNumber n, Bytes value) {
  if (Pending* p = add(n, value.size())) p->data = value.data();
  return *this;
}

MessageBuilder& MessageBuilder::uint_option(OptionNumber n, uint32_t value) {
  std::array<uint8_t, 4> bytes{};
  const size_t length = *detail::write_uint_value(value, bytes);  // 4 bytes always suffice
  if (Pending* p = add(n, length)) p->inline_value = bytes;
  return *this;
}

MessageBuilder& MessageBuilder::path_options(OptionNumber n, std::string_view path) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return *this;
  for (;;) {
    const size_t slash = path.find('/');
    string_option(n, {path.data(), std::min(slash, path.size())});
    if (slash == std::string_view::npos) return *this;
    path.remove_prefix(slash + 1);
  }
}

MessageBuilder& MessageBuilder::payload(Bytes body) {
  payload_ = body;
  return *this;
}

MessageBuilder::Pending* MessageBuilder::add(OptionNumber n, size_t length) {
  if (error_ != Error::ok) return nullptr;
  if (length > kMaxOptionLength) {
    fail(Error::option_too_long);
    return nullptr;
  }
  if (Error e = check_length(n, length); e != Error::ok) {
    fail(e);
    return nullptr;
  }
  if (option_count_ == kMaxOptions) {
    fail(Error::too_many_items);
    return nullptr;
  }
  // Insertion keeps the list sorted by number; equal numbers stay in the order they came.
  size_t at = option_count_++;
  for (; at > 0 && options_[at - 1].number > to_uint(n); --at) options_[at] = options_[at - 1];
  options_[at] = Pending{};
  options_[at].number = to_uint(n);
  options_[at].length = static_cast<uint32_t>(length);
  return &options_[at];
}

void MessageBuilder::fail(Error e) {
  if (error_ == Error::ok) error_ = e;
}

void MessageBuilder::write_option(const Pending& p, uint16_t previous, ByteWriter& out) {
  const uint32_t delta = p.number - previous;
  out.put(static_cast<uint8_t>((nibble_for(delta) << 4) | nibble_for(p.length)));
  put_extension(delta, out);
  put_extension(p.length, out);
  out.put(p.data != nullptr ? p.data : p.inline_value.data(), p.length);
}

Error MessageBuilder::write(ByteWriter& out) const {
  if (error_ != Error::ok) return error_;
  const bool has_content = token_length_ != 0 || option_count_ != 0 || !payload_.empty();
  if (code_ == Code::empty && has_content) return Error::malformed;
  write_header(type_, token_length_, code_, message_id_, out);
  out.put(token_.data(), token_length_);
  uint16_t previous = 0;
  for (size_t i = 0; i < option_count_; ++i) {
    write_option(options_[i], previous, out);
    previous = options_[i].number;
  }
  if (!payload_.empty()) {
    out.put(kPayloadMarker);
    out.put(payload_);
  }
  return out.status();
}

}  // namespace tl::wire::coap
