// libFuzzer target for the CoAP message codec. Decodes the input, walks every option and getter,
// runs the RFC 7252 5.4 checks, and when decoding succeeds rebuilds the message from the view
// alone. The option encoding is unique (each delta/length has one shortest form and no other is
// legal), so the rebuilt bytes must equal the input; they must also decode to the same message.
// Any mismatch aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "wire/coap/message.hpp"

using namespace tl::wire;
using namespace tl::wire::coap;

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

size_t count(OptionRange range) {
  size_t n = 0;
  for (OptionIterator it = range.begin(); it != range.end(); ++it) ++n;
  return n;
}

// Every getter runs; the filtered ranges must agree with a filter over the full list.
void exercise_getters(const MessageView& m) {
  size_t uri_paths = 0;
  for (const Option& o : m.options()) uri_paths += o.number == OptionNumber::uri_path ? 1 : 0;
  require(count(m.uri_path()) == uri_paths);
  volatile uint32_t sink = 0;
  sink = sink + static_cast<uint32_t>(count(m.uri_query()) + count(m.location_path()) + count(m.etags()) +
                                      count(m.if_match()) + (m.if_none_match() ? 1 : 0));
  sink = sink + m.observe().value_or(0) + m.block1().value_or(0) + m.block2().value_or(0) +
         m.size1().value_or(0) + m.size2().value_or(0) + m.max_age();
  sink = sink + to_uint(m.content_format().value_or(ContentFormat::text_plain)) +
         to_uint(m.accept().value_or(ContentFormat::text_plain));
  sink = sink + static_cast<uint32_t>(check_options(m));
}

// The error the builder must report for this message's options, if any: the first option whose
// length its registry row forbids, or the first one past the builder's capacity.
Error expected_builder_error(const MessageView& m) {
  size_t index = 0;
  for (const Option& o : m.options()) {
    if (Error e = check_length(o.number, o.value.size()); e != Error::ok) return e;
    if (index++ == MessageBuilder::kMaxOptions) return Error::too_many_items;
  }
  return Error::ok;
}

bool same_bytes(Bytes a, Bytes b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

bool same_message(const MessageView& a, const MessageView& b) {
  if (a.type() != b.type() || a.code() != b.code() || a.message_id() != b.message_id()) return false;
  if (!same_bytes(a.token(), b.token()) || !same_bytes(a.payload(), b.payload())) return false;
  OptionIterator x = a.options().begin();
  OptionIterator y = b.options().begin();
  for (; x != OptionEnd{} && y != OptionEnd{}; ++x, ++y) {
    if (x->number != y->number || !same_bytes(x->value, y->value)) return false;
  }
  return x == OptionEnd{} && y == OptionEnd{};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Bytes input(data, size);
  Result<MessageView> message = decode(input);
  if (!message) return 0;
  exercise_getters(*message);

  MessageBuilder builder(message->type(), message->code(), message->message_id());
  if (!message->is_empty()) builder.token(message->token()).payload(message->payload());
  for (const Option& o : message->options()) builder.opaque_option(o.number, o.value);
  require(builder.error() == expected_builder_error(*message));
  if (builder.error() != Error::ok) return 0;

  static uint8_t out[0x20000];
  ByteWriter writer(out, sizeof out);
  require(builder.write(writer) == Error::ok);
  require(same_bytes(writer.written(), input));
  Result<MessageView> again = decode(writer.written());
  require(again.ok() && same_message(*message, *again));
  return 0;
}
