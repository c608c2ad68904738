// Helpers shared by the message codec tests.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "wire/coap/message.hpp"

namespace tl::wire::coap::testing {

using ByteVector = std::vector<uint8_t>;

inline ByteVector bytes(std::initializer_list<int> values) {
  ByteVector out;
  for (int v : values) out.push_back(static_cast<uint8_t>(v));
  return out;
}

inline ByteVector operator+(ByteVector a, std::string_view text) {
  a.insert(a.end(), text.begin(), text.end());
  return a;
}

inline ByteVector operator+(ByteVector a, const ByteVector& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Writes the builder's message; fails the test on error.
inline ByteVector encode(const MessageBuilder& b, size_t capacity = 2048) {
  ByteVector out(capacity);
  ByteWriter w(out);
  const Error e = b.write(w);
  EXPECT_EQ(e, Error::ok) << error_name(e);
  out.resize(w.size());
  return out;
}

inline std::vector<std::string_view> texts(OptionRange range) {
  std::vector<std::string_view> out;
  for (const Option& o : range) out.push_back(o.text());
  return out;
}

}  // namespace tl::wire::coap::testing
