// Randomised block-wise round trips: any payload sliced at any size (including a size change
// mid-transfer) reassembles to the original; a sequence with two blocks swapped is rejected.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "wire/coap/block.hpp"

namespace tl::wire::coap {
namespace {

struct Piece {
  BlockValue block;
  Bytes data;
};

// Slices `payload` as a server would for a client that asks for `client_szx` blocks, and switches
// to `late_szx` (smaller, late negotiation) after the first block.
std::vector<Piece> slice_all(Bytes payload, uint8_t client_szx, uint8_t late_szx, uint8_t server_szx) {
  std::vector<Piece> pieces;
  BlockValue request{0, false, client_szx};
  for (;;) {
    auto s = slice_block(payload, request, server_szx);
    EXPECT_TRUE(s) << error_name(s.error());
    if (!s) break;
    pieces.push_back({s->block, s->data});
    if (!s->block.more) break;
    const uint8_t szx = pieces.size() == 1 ? negotiate_szx(late_szx, s->block.szx) : s->block.szx;
    auto next = next_block(s->block, szx);
    EXPECT_TRUE(next);
    request = *next;
  }
  return pieces;
}

std::vector<uint8_t> random_payload(std::mt19937& rng) {
  std::uniform_int_distribution<size_t> len(0, 5000);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<uint8_t> p(len(rng));
  for (auto& b : p) b = static_cast<uint8_t>(byte(rng));
  return p;
}

TEST(BlockRandom, SliceThenReassembleIsIdentity) {
  std::mt19937 rng(7959);
  std::uniform_int_distribution<int> szx(0, kMaxSzx);
  for (int round = 0; round < 300; ++round) {
    const std::vector<uint8_t> payload = random_payload(rng);
    const auto client = static_cast<uint8_t>(szx(rng));
    const auto late = static_cast<uint8_t>(szx(rng));
    const auto server = static_cast<uint8_t>(szx(rng));
    std::vector<uint8_t> buf(payload.size());
    BlockAssembler a{buf};
    for (const Piece& p : slice_all(payload, client, late, server)) {
      ASSERT_EQ(a.add(p.block, p.data), Error::ok) << "round " << round;
    }
    ASSERT_TRUE(a.complete());
    ASSERT_TRUE(std::equal(payload.begin(), payload.end(), a.data().begin(), a.data().end()));
  }
}

TEST(BlockRandom, SwappedBlocksAreRejected) {
  std::mt19937 rng(7641);
  int rejected = 0;
  for (int round = 0; round < 300; ++round) {
    const std::vector<uint8_t> payload = random_payload(rng);
    std::vector<Piece> pieces = slice_all(payload, 1, 1, 6);
    if (pieces.size() < 2) continue;
    std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
    size_t i = pick(rng);
    size_t j = pick(rng);
    if (i == j) j = (i + 1) % pieces.size();
    std::swap(pieces[i], pieces[j]);
    std::vector<uint8_t> buf(payload.size());
    BlockAssembler a{buf};
    Error first_error = Error::ok;
    for (const Piece& p : pieces) {
      first_error = a.add(p.block, p.data);
      if (first_error != Error::ok) break;
    }
    // The earlier of the two swapped positions now holds a later block: a gap is seen first.
    EXPECT_EQ(first_error, Error::block_missing) << "round " << round;
    EXPECT_FALSE(a.complete());
    ++rejected;
  }
  EXPECT_GT(rejected, 200);
}

TEST(BlockRandom, ShuffledSequenceNeverCompletesWrongly) {
  std::mt19937 rng(7252);
  for (int round = 0; round < 200; ++round) {
    const std::vector<uint8_t> payload = random_payload(rng);
    std::vector<Piece> pieces = slice_all(payload, 0, 0, 6);
    std::shuffle(pieces.begin(), pieces.end(), rng);
    std::vector<uint8_t> buf(payload.size());
    BlockAssembler a{buf};
    // Feed everything, ignoring rejections: whatever was accepted must be a correct prefix.
    for (const Piece& p : pieces) {
      const Error e = a.add(p.block, p.data);
      ASSERT_TRUE(e == Error::ok || e == Error::block_missing || e == Error::block_out_of_order)
          << error_name(e);
    }
    ASSERT_TRUE(std::equal(a.data().begin(), a.data().end(), payload.begin()));
  }
}

}  // namespace
}  // namespace tl::wire::coap
