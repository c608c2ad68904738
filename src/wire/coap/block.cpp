#include "wire/coap/block.hpp"

#include <algorithm>
#include <cstring>

#include "wire/coap/uint_value.hpp"

namespace tl::wire::coap {

namespace {

constexpr uint32_t kMaxBlockValue = 0xFFFFFF;  // the option is at most 3 bytes long
constexpr size_t kMaxBlockOptionLen = 3;

// A block number for `offset` in blocks of `szx`, if the offset lies on a block boundary.
Result<BlockValue> block_at(size_t offset, uint8_t szx, bool more) {
  if (szx > kMaxSzx) return Error::bad_option;
  const size_t size = block_size(szx);
  if (offset % size != 0) return Error::out_of_range;
  const size_t num = offset / size;
  if (num > kMaxBlockNum) return Error::out_of_range;
  return BlockValue{static_cast<uint32_t>(num), more, szx};
}

}  // namespace

Result<uint32_t> encode_block(BlockValue b) {
  if (b.szx > kMaxSzx) return Error::bad_option;
  if (b.num > kMaxBlockNum) return Error::out_of_range;
  return (b.num << 4) | (b.more ? 0x8u : 0u) | b.szx;
}

Result<size_t> encode_block(BlockValue b, MutableBytes out) {
  const Result<uint32_t> value = encode_block(b);
  if (!value) return value.error();
  return detail::write_uint_value(*value, out);
}

Result<BlockValue> decode_block(uint32_t value) {
  if (value > kMaxBlockValue) return Error::out_of_range;
  const auto szx = static_cast<uint8_t>(value & 0x7u);
  if (szx > kMaxSzx) return Error::bad_option;
  return BlockValue{value >> 4, (value & 0x8u) != 0, szx};
}

Result<BlockValue> decode_block(Bytes value) {
  const Result<uint32_t> v = detail::read_uint_value(value, kMaxBlockOptionLen);
  if (!v) return v.error();
  return decode_block(*v);
}

Result<uint8_t> szx_for_size(size_t size) {
  for (uint8_t szx = 0; szx <= kMaxSzx; ++szx) {
    if (block_size(szx) == size) return szx;
  }
  return Error::bad_option;
}

Result<BlockValue> rescale_block(BlockValue b, uint8_t szx) {
  if (b.szx > kMaxSzx) return Error::bad_option;
  return block_at(b.offset(), szx, b.more);
}

Result<BlockValue> next_block(BlockValue b, uint8_t peer_szx) {
  if (b.szx > kMaxSzx) return Error::bad_option;
  return block_at(b.offset() + b.size(), peer_szx, false);
}

Result<BlockSlice> slice_block(Bytes payload, BlockValue request, uint8_t our_max_szx) {
  if (request.szx > kMaxSzx || our_max_szx > kMaxSzx) return Error::bad_option;
  const uint8_t szx = negotiate_szx(request.szx, our_max_szx);
  // A smaller served size always divides the requested one, so the offset stays aligned.
  const size_t start = request.offset();
  if (start > payload.size() || (start == payload.size() && start != 0)) return Error::out_of_range;
  const size_t len = std::min(block_size(szx), payload.size() - start);
  const bool more = start + len < payload.size();
  const Result<BlockValue> block = block_at(start, szx, more);
  if (!block) return block.error();
  return BlockSlice{payload.subspan(start, len), *block};
}

Error BlockAssembler::add(BlockValue block, Bytes payload) {
  duplicate_ = false;
  if (block.szx > kMaxSzx) return Error::bad_option;
  // Every block but the last carries exactly one block size (RFC 7959 2.2).
  if (payload.size() > block.size() || (block.more && payload.size() != block.size())) {
    return Error::malformed;
  }
  if (is_repeat(block, payload)) {
    duplicate_ = true;
    return Error::ok;
  }
  const size_t offset = block.offset();
  if (complete_ || offset < received_) return Error::block_out_of_order;
  if (offset > received_) return Error::block_missing;
  if (payload.size() > buf_.size() - received_) return Error::buffer_too_small;
  if (!payload.empty()) std::memcpy(buf_.data() + received_, payload.data(), payload.size());
  last_offset_ = offset;
  last_len_ = payload.size();
  last_more_ = block.more;
  any_ = true;
  received_ += payload.size();
  complete_ = !block.more;
  return Error::ok;
}

bool BlockAssembler::is_repeat(BlockValue block, Bytes payload) const {
  if (!any_ || block.offset() != last_offset_ || payload.size() != last_len_ || block.more != last_more_) {
    return false;
  }
  return payload.empty() || std::memcmp(buf_.data() + last_offset_, payload.data(), payload.size()) == 0;
}

Error BlockAssembler::expect_total(uint32_t total) const {
  return total > buf_.size() ? Error::buffer_too_small : Error::ok;
}

Result<BlockValue> BlockAssembler::next(uint8_t szx) const { return block_at(received_, szx, false); }

void BlockAssembler::reset() {
  received_ = 0;
  last_offset_ = 0;
  last_len_ = 0;
  last_more_ = false;
  any_ = false;
  complete_ = false;
  duplicate_ = false;
}

}  // namespace tl::wire::coap
