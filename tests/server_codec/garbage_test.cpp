// Garbage and truncated payloads give errors (or samples), never crashes: every prefix of valid
// payloads and seeded random bytes, in every content format, for requested paths of every depth.
#include <random>

#include "support.hpp"

namespace tl::server::codec::test {
namespace {

const std::uint16_t kFormats[] = {cf::text,     cf::link_format, cf::opaque,     cf::senml_json,
                                  cf::senml_cbor, cf::tlv,       cf::lwm2m_json, 99};
const char* const kPaths[] = {"/", "/3", "/3/0", "/3/0/6", "/3/0/6/1", "/33653/0/2001",
                              "/40000", "/40000/1/2/3"};

void decode_everywhere(const std::vector<std::uint8_t>& payload) {
  for (std::uint16_t format : kFormats) {
    for (const char* path : kPaths) {
      const Result<Samples> r = decode(format, payload, P(path), kDevice, kNow);
      if (r.ok()) {
        for (const store::Sample& s : *r) {
          EXPECT_GE(s.path.depth(), 3);
        }
      } else {
        EXPECT_FALSE(r.error().empty());
      }
    }
  }
}

TEST(Garbage, EveryPrefixOfValidPayloads) {
  const Samples device = {S("/3/0/0", std::string("Acme")), S("/3/0/6/0", std::int64_t{1}),
                          S("/3/0/6/1", std::int64_t{5}), S("/3/0/13", store::Time{1700000000}),
                          S("/3/0/22/0", store::ObjLink{1, 2}), S("/3/0/9", std::int64_t{-3})};
  for (std::uint16_t format : {cf::tlv, cf::senml_json, cf::senml_cbor}) {
    const Result<Bytes> full = encode(format, P("/3/0"), device);
    ASSERT_TRUE(full.ok()) << full.error();
    for (std::size_t n = 0; n < full->size(); ++n) {
      const std::vector<std::uint8_t> prefix(full->begin(), full->begin() + static_cast<long>(n));
      decode_everywhere(prefix);
      // A truncated TLV or SenML payload never passes for the whole one.
      const Result<Samples> r = decode(format, prefix, P("/3/0"), kDevice, kNow);
      if (r.ok()) {
        EXPECT_LT(r->size(), device.size()) << n;
      }
    }
  }
}

TEST(Garbage, RandomBytesAndMutations) {
  std::mt19937 rng(20261122);
  const Result<Bytes> seed = encode(cf::senml_cbor, P("/3/0"),
                                    Samples{S("/3/0/0", std::string("x")), S("/3/0/9", 1.5)});
  ASSERT_TRUE(seed.ok());
  for (int round = 0; round < 400; ++round) {
    std::vector<std::uint8_t> payload(rng() % 48);
    for (auto& b : payload) b = static_cast<std::uint8_t>(rng());
    decode_everywhere(payload);
    std::vector<std::uint8_t> mutated = *seed;
    mutated[rng() % mutated.size()] = static_cast<std::uint8_t>(rng());
    decode_everywhere(mutated);
  }
}

}  // namespace
}  // namespace tl::server::codec::test
