// RFC 7959 Block option values, negotiation, slicing and reassembly, with the RFC's examples.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "wire/coap/block.hpp"

namespace tl::wire::coap {
namespace {

BlockValue blk(uint32_t num, bool more, uint8_t szx) { return {num, more, szx}; }

Bytes bytes_of(const std::string& s) { return as_bytes(s); }

TEST(Block, EncodeDecodeValue) {
  EXPECT_EQ(*encode_block(blk(0, false, 0)), 0u);
  EXPECT_EQ(*encode_block(blk(1, true, 2)), 0x1Au);  // 2:1/1/64
  EXPECT_EQ(*encode_block(blk(kMaxBlockNum, true, 6)), 0xFFFFFEu);
  EXPECT_EQ(encode_block(blk(kMaxBlockNum + 1, false, 0)).error(), Error::out_of_range);
  EXPECT_EQ(encode_block(blk(0, false, 7)).error(), Error::bad_option);

  EXPECT_EQ(*decode_block(0x1Au), blk(1, true, 2));
  EXPECT_EQ(decode_block(0x0Fu).error(), Error::bad_option);  // SZX 7 is reserved
  EXPECT_EQ(decode_block(0x1000000u).error(), Error::out_of_range);
}

TEST(Block, OptionBytes) {
  std::array<uint8_t, 4> out{};
  EXPECT_EQ(*encode_block(blk(0, false, 0), out), 0u);  // zero is the empty value
  EXPECT_EQ(*encode_block(blk(0, true, 6), out), 1u);
  EXPECT_EQ(out[0], 0x0E);
  ASSERT_EQ(*encode_block(blk(0x12345, false, 4), out), 3u);
  EXPECT_EQ(out[0], 0x12);
  EXPECT_EQ(out[1], 0x34);
  EXPECT_EQ(out[2], 0x54);
  EXPECT_EQ(*decode_block(Bytes{out.data(), 3}), blk(0x12345, false, 4));
  EXPECT_EQ(*decode_block(Bytes{}), blk(0, false, 0));
  const std::array<uint8_t, 4> too_long{0, 0, 0, 1};
  EXPECT_EQ(decode_block(Bytes{too_long}).error(), Error::option_too_long);
  std::array<uint8_t, 1> small{};
  EXPECT_EQ(encode_block(blk(0x100, false, 0), small).error(), Error::buffer_too_small);
}

TEST(Block, SizesAndNegotiation) {
  EXPECT_EQ(blk(0, false, 0).size(), 16u);
  EXPECT_EQ(blk(3, false, 6).size(), 1024u);
  EXPECT_EQ(blk(3, false, 6).offset(), 3072u);
  EXPECT_EQ(*szx_for_size(64), 2);
  EXPECT_EQ(szx_for_size(48).error(), Error::bad_option);
  EXPECT_EQ(szx_for_size(2048).error(), Error::bad_option);
  EXPECT_EQ(negotiate_szx(6, 2), 2);
  EXPECT_EQ(negotiate_szx(1, 4), 1);
}

TEST(Block, LateNegotiationConvertsNumbers) {
  // RFC 7959 Figure 4: after 2:0/1/128 the client asks for 64-byte blocks, starting at block 2.
  EXPECT_EQ(*next_block(blk(0, true, 3), 2), blk(2, false, 2));
  // RFC 7959 Figure 7: the server answers 1:0/1/128 with 1:0/1/32; the client continues at 1:4.
  EXPECT_EQ(*next_block(blk(0, true, 3), 1), blk(4, false, 1));
  EXPECT_EQ(*rescale_block(blk(3, true, 4), 2), blk(12, true, 2));
  EXPECT_EQ(*rescale_block(blk(4, false, 2), 4), blk(1, false, 4));
  EXPECT_EQ(rescale_block(blk(5, false, 2), 4).error(), Error::out_of_range);  // mid-block
  EXPECT_EQ(rescale_block(blk(kMaxBlockNum, false, 6), 0).error(), Error::out_of_range);
  EXPECT_EQ(rescale_block(blk(0, false, 0), 7).error(), Error::bad_option);
}

TEST(Block, SliceFigure2) {
  // RFC 7959 Figure 2: a 300-byte representation in 128-byte blocks: 2:0/1, 2:1/1, 2:2/0.
  const std::string body(300, 'x');
  auto s0 = slice_block(bytes_of(body), blk(0, false, 3), 6);
  ASSERT_TRUE(s0);
  EXPECT_EQ(s0->block, blk(0, true, 3));
  EXPECT_EQ(s0->data.size(), 128u);
  auto s2 = slice_block(bytes_of(body), blk(2, false, 3), 6);
  ASSERT_TRUE(s2);
  EXPECT_EQ(s2->block, blk(2, false, 3));
  EXPECT_EQ(s2->data.size(), 44u);
  EXPECT_EQ(s2->data.data(), reinterpret_cast<const uint8_t*>(body.data()) + 256);
  EXPECT_EQ(slice_block(bytes_of(body), blk(3, false, 3), 6).error(), Error::out_of_range);
}

TEST(Block, SliceServerLimitsSize) {
  // The client asks for 1024-byte block 1; a server limited to 256 bytes serves block 4 of 256.
  const std::string body(2000, 'y');
  auto s = slice_block(bytes_of(body), blk(1, false, 6), 4);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->block, blk(4, true, 4));
  EXPECT_EQ(s->data.size(), 256u);
}

TEST(Block, SliceEdgeCases) {
  auto empty = slice_block(Bytes{}, blk(0, false, 2), 6);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->block, blk(0, false, 2));
  EXPECT_TRUE(empty->data.empty());
  const std::string exact(128, 'z');  // exactly two 64-byte blocks: the second has M=0
  EXPECT_EQ(slice_block(bytes_of(exact), blk(1, false, 2), 6)->block, blk(1, false, 2));
  EXPECT_EQ(slice_block(bytes_of(exact), blk(2, false, 2), 6).error(), Error::out_of_range);
  EXPECT_EQ(slice_block(bytes_of(exact), blk(0, false, 7), 6).error(), Error::bad_option);
}

class Assembler : public ::testing::Test {
 protected:
  std::array<uint8_t, 512> buf{};
  BlockAssembler a{buf};
  std::string body = std::string(128, 'a') + std::string(128, 'b') + std::string(44, 'c');
  Bytes part(size_t off, size_t len) { return bytes_of(body).subspan(off, len); }
};

TEST_F(Assembler, Figure2Sequence) {
  EXPECT_EQ(a.add(blk(0, true, 3), part(0, 128)), Error::ok);
  EXPECT_EQ(*a.next(3), blk(1, false, 3));
  EXPECT_EQ(a.add(blk(1, true, 3), part(128, 128)), Error::ok);
  EXPECT_FALSE(a.complete());
  EXPECT_EQ(a.add(blk(2, false, 3), part(256, 44)), Error::ok);
  EXPECT_TRUE(a.complete());
  EXPECT_EQ(as_text(a.data()), body);
}

TEST_F(Assembler, LateNegotiationFigure4) {
  // 2:0/1/128 then the client switches to 64-byte blocks: 2:2, 2:3, 2:4.
  EXPECT_EQ(a.add(blk(0, true, 3), part(0, 128)), Error::ok);
  EXPECT_EQ(a.add(blk(2, true, 2), part(128, 64)), Error::ok);
  EXPECT_EQ(a.add(blk(3, true, 2), part(192, 64)), Error::ok);
  EXPECT_EQ(a.add(blk(4, false, 2), part(256, 44)), Error::ok);
  EXPECT_EQ(as_text(a.data()), body);
}

TEST_F(Assembler, SizeGrowsOnBoundary) {
  // Growing is allowed when the new block starts where the data ends (RFC 7959 2.3).
  EXPECT_EQ(a.add(blk(0, true, 2), part(0, 64)), Error::ok);
  EXPECT_EQ(a.add(blk(1, true, 2), part(64, 64)), Error::ok);
  EXPECT_EQ(a.add(blk(1, true, 3), part(128, 128)), Error::ok);
  EXPECT_EQ(a.add(blk(2, false, 3), part(256, 44)), Error::ok);
  EXPECT_EQ(as_text(a.data()), body);
}

TEST_F(Assembler, DuplicateOfLastIsIdempotent) {
  EXPECT_EQ(a.add(blk(0, true, 3), part(0, 128)), Error::ok);
  EXPECT_EQ(a.add(blk(0, true, 3), part(0, 128)), Error::ok);
  EXPECT_TRUE(a.last_was_duplicate());
  EXPECT_EQ(a.size(), 128u);
  EXPECT_EQ(a.add(blk(1, true, 3), part(128, 128)), Error::ok);
  EXPECT_FALSE(a.last_was_duplicate());
  EXPECT_EQ(a.add(blk(2, false, 3), part(256, 44)), Error::ok);
  EXPECT_EQ(a.add(blk(2, false, 3), part(256, 44)), Error::ok);  // a repeat after completion
  EXPECT_TRUE(a.last_was_duplicate());
  EXPECT_EQ(a.size(), 300u);
}

TEST_F(Assembler, RejectsOutOfOrderAndGaps) {
  EXPECT_EQ(a.add(blk(1, true, 3), part(128, 128)), Error::block_missing);  // no block 0 yet
  EXPECT_EQ(a.add(blk(0, true, 3), part(0, 128)), Error::ok);
  EXPECT_EQ(a.add(blk(2, false, 3), part(256, 44)), Error::block_missing);
  EXPECT_EQ(a.add(blk(1, true, 3), part(128, 128)), Error::ok);
  // An older block (not the last one) and a different body at the last offset are out of order.
  EXPECT_EQ(a.add(blk(0, true, 3), part(0, 128)), Error::block_out_of_order);
  EXPECT_EQ(a.add(blk(1, true, 3), part(0, 128)), Error::block_out_of_order);
  EXPECT_EQ(a.add(blk(2, false, 3), part(256, 44)), Error::ok);
  EXPECT_EQ(a.add(blk(3, false, 3), part(0, 10)), Error::block_out_of_order);  // after the end
}

TEST_F(Assembler, RejectsWrongPayloadSizes) {
  EXPECT_EQ(a.add(blk(0, true, 3), part(0, 100)), Error::malformed);   // short non-final block
  EXPECT_EQ(a.add(blk(0, false, 2), part(0, 100)), Error::malformed);  // larger than the block
  EXPECT_EQ(a.add(blk(0, false, 7), part(0, 10)), Error::bad_option);
  EXPECT_EQ(a.size(), 0u);
}

TEST_F(Assembler, OverflowIsBufferTooSmall) {
  std::array<uint8_t, 200> small{};
  BlockAssembler s{small};
  EXPECT_EQ(s.expect_total(300), Error::buffer_too_small);  // Size1 known: answer 4.13 at once
  EXPECT_EQ(s.expect_total(200), Error::ok);
  EXPECT_EQ(s.add(blk(0, true, 3), part(0, 128)), Error::ok);
  EXPECT_EQ(s.add(blk(1, true, 3), part(128, 128)), Error::buffer_too_small);
  EXPECT_EQ(s.size(), 128u);
}

TEST_F(Assembler, EmptyBodyAndReset) {
  EXPECT_EQ(a.add(blk(0, false, 6), Bytes{}), Error::ok);
  EXPECT_TRUE(a.complete());
  EXPECT_EQ(a.size(), 0u);
  a.reset();
  EXPECT_FALSE(a.complete());
  EXPECT_EQ(a.add(blk(0, true, 3), part(0, 128)), Error::ok);
  EXPECT_EQ(*a.next(2), blk(2, false, 2));
  EXPECT_EQ(a.next(7).error(), Error::bad_option);
}

}  // namespace
}  // namespace tl::wire::coap
