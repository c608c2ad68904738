// Randomized round trip: thousands of random messages (seeded, so failures reproduce) are built,
// decoded and compared field by field, then re-encoded from the view and compared byte by byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "test_message_support.hpp"
#include "wire/coap/message.hpp"

namespace tl::wire::coap {
namespace {

using testing::ByteVector;

struct ExpectedOption {
  uint16_t number;
  ByteVector value;
};

struct RandomMessage {
  Type type{};
  Code code{};
  uint16_t message_id = 0;
  ByteVector token;
  std::vector<ExpectedOption> options;  // in the order they were added
  ByteVector payload;
};

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  RandomMessage message() {
    RandomMessage m;
    m.type = static_cast<Type>(uniform(0, 3));
    m.message_id = static_cast<uint16_t>(uniform(0, 0xFFFF));
    if (uniform(0, 20) == 0) {  // now and then an Empty message, which carries nothing else
      m.code = Code::empty;
      return m;
    }
    m.code = static_cast<Code>(uniform(1, 255));
    m.token = random_bytes(uniform(0, 8));
    const uint32_t count = uniform(0, MessageBuilder::kMaxOptions);
    for (uint32_t i = 0; i < count; ++i) m.options.push_back(option());
    m.payload = random_bytes(uniform(0, 3) == 0 ? 0 : uniform(1, 100));
    return m;
  }

 private:
  uint32_t uniform(uint32_t lo, uint32_t hi) { return std::uniform_int_distribution<uint32_t>(lo, hi)(rng_); }

  ByteVector random_bytes(size_t n) {
    ByteVector out(n);
    for (uint8_t& b : out) b = static_cast<uint8_t>(uniform(0, 255));
    return out;
  }

  // Numbers near the encoding boundaries and registered ones are drawn more often than a uniform
  // draw over 0..65535 would.
  uint16_t option_number() {
    static constexpr uint16_t kInteresting[] = {0,   1,   3,   4,   5,   6,   7,   8,     11,    12,   14,
                                                15,  17,  20,  23,  27,  28,  35,  39,    60,    13,   268,
                                                269, 270, 2048, 65000, 65535, 258, 9, 1000, 65534, 524};
    switch (uniform(0, 2)) {
      case 0: return kInteresting[uniform(0, std::size(kInteresting) - 1)];
      case 1: return static_cast<uint16_t>(uniform(0, 300));
      default: return static_cast<uint16_t>(uniform(0, 0xFFFF));
    }
  }

  size_t value_length(uint16_t number) {
    if (const OptionInfo* info = find_option_info(static_cast<OptionNumber>(number))) {
      return uniform(info->min_length, std::min<uint32_t>(info->max_length, 300));
    }
    switch (uniform(0, 9)) {
      case 0: return uniform(260, 1200);  // two-byte extended length
      case 1: return uniform(12, 14);
      default: return uniform(0, 20);
    }
  }

  ExpectedOption option() {
    const uint16_t number = option_number();
    return {number, random_bytes(value_length(number))};
  }

  std::mt19937 rng_;
};

// Stable by number: what the builder must emit.
std::vector<ExpectedOption> in_wire_order(std::vector<ExpectedOption> options) {
  std::stable_sort(options.begin(), options.end(),
                   [](const ExpectedOption& a, const ExpectedOption& b) { return a.number < b.number; });
  return options;
}

MessageBuilder builder_for(const RandomMessage& m) {
  MessageBuilder b(m.type, m.code, m.message_id);
  if (m.code == Code::empty) return b;
  b.token(m.token).payload(m.payload);
  for (const ExpectedOption& o : m.options) {
    const auto number = static_cast<OptionNumber>(o.number);
    const OptionInfo* info = find_option_info(number);
    const bool minimal_uint = o.value.size() <= 4 && (o.value.empty() || o.value[0] != 0);
    if (info != nullptr && info->format == OptionFormat::uint && minimal_uint) {
      b.uint_option(number, *Option{number, o.value}.as_uint());  // exercises the uint encoder
    } else {
      b.opaque_option(number, o.value);
    }
  }
  return b;
}

void expect_same(const MessageView& v, const RandomMessage& m) {
  EXPECT_EQ(v.type(), m.type);
  EXPECT_EQ(v.code(), m.code);
  EXPECT_EQ(v.message_id(), m.message_id);
  EXPECT_EQ(ByteVector(v.token().begin(), v.token().end()), m.token);
  EXPECT_EQ(ByteVector(v.payload().begin(), v.payload().end()), m.payload);
  const std::vector<ExpectedOption> expected = in_wire_order(m.options);
  size_t i = 0;
  for (const Option& o : v.options()) {
    ASSERT_LT(i, expected.size());
    EXPECT_EQ(to_uint(o.number), expected[i].number);
    EXPECT_EQ(ByteVector(o.value.begin(), o.value.end()), expected[i].value);
    ++i;
  }
  EXPECT_EQ(i, expected.size());
}

// Rebuilds a message from a view alone, with every option as raw bytes.
ByteVector reencode(const MessageView& v) {
  MessageBuilder b(v.type(), v.code(), v.message_id());
  if (!v.is_empty()) b.token(v.token()).payload(v.payload());
  for (const Option& o : v.options()) b.opaque_option(o.number, o.value);
  return testing::encode(b, 65536);
}

TEST(CoapRoundTrip, RandomMessages) {
  Generator gen(20240611);
  for (int n = 0; n < 5000; ++n) {
    SCOPED_TRACE(n);
    RandomMessage m = gen.message();
    if (m.code == Code::empty) m.options.clear();
    const ByteVector encoded = testing::encode(builder_for(m), 65536);
    Result<MessageView> v = decode(encoded);
    ASSERT_TRUE(v.ok()) << error_name(v.error());
    expect_same(*v, m);
    EXPECT_EQ(reencode(*v), encoded);
    if (HasFailure()) return;
  }
}

// Getters agree with the raw option list on random messages.
TEST(CoapRoundTrip, GettersMatchRawOptions) {
  Generator gen(7);
  for (int n = 0; n < 2000; ++n) {
    SCOPED_TRACE(n);
    const RandomMessage m = gen.message();
    const ByteVector encoded = testing::encode(builder_for(m), 65536);
    Result<MessageView> v = decode(encoded);
    ASSERT_TRUE(v.ok());
    for (OptionNumber number : {OptionNumber::observe, OptionNumber::content_format, OptionNumber::block2,
                                OptionNumber::size1, OptionNumber::max_age}) {
      const auto first = std::find_if(m.options.begin(), m.options.end(),
                                      [&](const ExpectedOption& o) { return o.number == to_uint(number); });
      const Maybe<uint32_t> got = v->uint_option(number);
      ASSERT_EQ(got.present, first != m.options.end());
      if (got) {
        const Option raw{number, first->value};
        EXPECT_EQ(*got, *raw.as_uint());
      }
    }
    size_t paths = 0;
    for (const Option& o : v->uri_path()) {
      EXPECT_EQ(o.number, OptionNumber::uri_path);
      ++paths;
    }
    EXPECT_EQ(paths, static_cast<size_t>(std::count_if(m.options.begin(), m.options.end(),
                                                       [](const ExpectedOption& o) { return o.number == 11; })));
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace tl::wire::coap
