// Block-wise transfers (RFC 7959): the Block1/Block2 option value, block-size negotiation,
// slicing a representation into blocks and reassembling a block sequence into a caller buffer.
// Freestanding: no heap; the reassembly buffer belongs to the caller.
#pragma once
#include <cstddef>
#include <cstdint>

#include "wire/bytes.hpp"

namespace tl::wire::coap {

// Option numbers (Block2 23, Block1 27, Size2 28, Size1 60) belong to the message codec.
inline constexpr uint32_t kMaxBlockNum = (1u << 20) - 1;  // NUM is at most 20 bits (value <= 3 bytes)
inline constexpr uint8_t kMaxSzx = 6;                     // SZX 7 is reserved (RFC 7959 2.2)

// Block size for a size exponent: 16 << szx, i.e. 16..1024 bytes.
constexpr size_t block_size(uint8_t szx) { return size_t{1} << (szx + 4u); }

struct BlockValue {
  uint32_t num = 0;   // block number
  bool more = false;  // M bit: more blocks follow (Block2 response / Block1 request)
  uint8_t szx = 0;    // size exponent 0..6

  constexpr size_t size() const { return block_size(szx); }
  // Byte offset of this block in the whole representation.
  constexpr size_t offset() const { return static_cast<size_t>(num) * size(); }
  friend constexpr bool operator==(const BlockValue&, const BlockValue&) = default;
};

// The option value as an integer: NUM << 4 | M << 3 | SZX. Errors: bad_option (szx > 6),
// out_of_range (num does not fit in 20 bits).
Result<uint32_t> encode_block(BlockValue b);
// Writes the minimal-length option bytes (0..3) into `out`; returns the length.
Result<size_t> encode_block(BlockValue b, MutableBytes out);
// Errors: bad_option (SZX 7), out_of_range (value wider than 3 bytes).
Result<BlockValue> decode_block(uint32_t value);
// From raw option bytes; option_too_long when longer than 3 bytes.
Result<BlockValue> decode_block(Bytes value);

// Size exponent for a block size in bytes (16, 32, ..., 1024); bad_option for any other size.
Result<uint8_t> szx_for_size(size_t size);
// Early negotiation: a peer's preferred exponent against our maximum -> the smaller one.
constexpr uint8_t negotiate_szx(uint8_t preferred, uint8_t our_max) {
  return preferred < our_max ? preferred : our_max;
}
// The same byte offset as `b` expressed in blocks of `szx` (late negotiation, RFC 7959 2.4:
// block 1 of 128 bytes is block 2 of 64 bytes). out_of_range when the offset is not on a block
// boundary of the new size or the number no longer fits in 20 bits; bad_option for szx > 6.
Result<BlockValue> rescale_block(BlockValue b, uint8_t szx);
// The block a client asks for after receiving/acknowledging `b`, in the exponent the peer chose
// (`peer_szx`): continues at the byte offset right after `b` (RFC 7959 Figures 4 and 7).
Result<BlockValue> next_block(BlockValue b, uint8_t peer_szx);

// A server's Block2 answer: the bytes to send and the Block2 option to send with them.
struct BlockSlice {
  Bytes data;
  BlockValue block;  // num rescaled to the served size, M set when bytes remain after this slice
};
// Cuts the block asked for by a Block2 request out of `payload`, serving at most 16 << our_max_szx
// bytes per block. A request without Block2 is block 0 at the caller's preferred size. Errors:
// bad_option (szx > 6), out_of_range (block starts beyond the end: answer 4.02 Bad Option).
Result<BlockSlice> slice_block(Bytes payload, BlockValue request, uint8_t our_max_szx);

// Reassembles a Block1 (server side) or Block2 (client side) sequence into a caller buffer.
// Blocks must arrive in order; the size may change between blocks as long as each block starts
// where the previous one ended (RFC 7959 2.3/2.5). A repeat of the last accepted block (a CoAP
// retransmission) is accepted without effect.
class BlockAssembler {
 public:
  explicit BlockAssembler(MutableBytes buffer) : buf_(buffer) {}

  // Errors: block_out_of_order (starts before the expected offset, or any block after the last),
  // block_missing (starts after it: a gap, answer 4.08), buffer_too_small (answer 4.13),
  // malformed (a block with M set whose payload is not exactly the block size, or a payload
  // larger than the block size).
  Error add(BlockValue block, Bytes payload);
  // Size1/Size2 announced by the peer: fail early with buffer_too_small before any data.
  Error expect_total(uint32_t total) const;

  bool complete() const { return complete_; }
  // True when the last add() was a repeat of the block before it.
  bool last_was_duplicate() const { return duplicate_; }
  size_t size() const { return received_; }
  Bytes data() const { return {buf_.data(), received_}; }
  // The Block2 value a client asks for next, at exponent `szx` (same rules as next_block()).
  Result<BlockValue> next(uint8_t szx) const;
  void reset();

 private:
  bool is_repeat(BlockValue block, Bytes payload) const;

  MutableBytes buf_;
  size_t received_ = 0;
  size_t last_offset_ = 0;  // offset and length of the last accepted block, to spot repeats
  size_t last_len_ = 0;
  bool last_more_ = false;
  bool any_ = false;
  bool complete_ = false;
  bool duplicate_ = false;
};

}  // namespace tl::wire::coap
