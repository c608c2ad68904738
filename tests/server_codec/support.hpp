// Helpers shared by the codec tests.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "server/codec/codec.hpp"
#include "wire/bytes.hpp"

namespace tl::server::store {
// Readable gtest output: "/3/0/9 = 100 @1700000000000 (integer)".
inline void PrintTo(const Sample& s, std::ostream* os) {
  *os << s.path.to_string() << " = " << codec::format_value(s.value) << " @" << s.time_ms << " ("
      << to_string(type_of(s.value)) << ")";
}
}  // namespace tl::server::store

namespace tl::server::codec::test {

inline constexpr store::DeviceId kDevice = 7;
inline constexpr store::TimeMs kNow = 1'700'000'000'000;

inline store::Path P(std::string_view text) {
  const std::optional<store::Path> p = store::Path::parse(text);
  EXPECT_TRUE(p.has_value()) << text;
  return p.value_or(store::Path{});
}

inline std::vector<std::uint8_t> bytes_of(std::string_view text) {
  return {text.begin(), text.end()};
}

inline store::Sample S(std::string_view path, store::Value value, store::TimeMs time = kNow) {
  return {kDevice, P(path), time, std::move(value)};
}

// Runs a wire writer on a large buffer and returns what it wrote.
template <class Write>
std::vector<std::uint8_t> written(Write write) {
  std::vector<std::uint8_t> buffer(64 * 1024);
  wire::ByteWriter out(buffer.data(), buffer.size());
  EXPECT_EQ(write(out), wire::Error::ok);
  buffer.resize(out.size());
  return buffer;
}

// decode() that must succeed.
inline Samples decoded(std::uint16_t format, const std::vector<std::uint8_t>& payload,
                       std::string_view requested) {
  Result<Samples> r = decode(format, payload, P(requested), kDevice, kNow);
  EXPECT_TRUE(r.ok()) << content_format_name(format) << ": " << r.error();
  return r.ok() ? r.value() : Samples{};
}

// The failure message of a decode() that must fail.
inline std::string decode_error(std::uint16_t format, const std::vector<std::uint8_t>& payload,
                                std::string_view requested) {
  Result<Samples> r = decode(format, payload, P(requested), kDevice, kNow);
  EXPECT_FALSE(r.ok()) << content_format_name(format) << " decoded " << r.value().size();
  return r.error();
}

}  // namespace tl::server::codec::test
