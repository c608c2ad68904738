// Block-wise transfers (RFC 7959) of the device management interface: Block2 for reads larger
// than a block, Block1 for writes, with opaque values streamed through the object.
#include <algorithm>

#include "client/engine_internal.hpp"

namespace tl::client {

using wire::coap::BlockValue;
using wire::coap::MessageBuilder;

void Engine::respond_blocks(Request& r, MessageBuilder& b, Bytes payload) {
  const uint8_t max_szx = max_block_szx();
  const Maybe<uint32_t> option = r.m.block2();
  if (!option && payload.size() <= wire::coap::block_size(max_szx)) {
    b.payload(payload);
    return finish_response(r, b);
  }
  BlockValue want{0, false, max_szx};
  if (option) {
    const Result<BlockValue> decoded = wire::coap::decode_block(*option);
    if (!decoded) return respond(r, Code::bad_option);
    want = *decoded;
  }
  const Result<wire::coap::BlockSlice> slice = wire::coap::slice_block(payload, want, max_szx);
  if (!slice) return respond(r, Code::bad_option);
  b.block2(*wire::coap::encode_block(slice->block)).payload(slice->data);
  if (slice->block.num == 0) b.size2(static_cast<uint32_t>(payload.size()));
  finish_response(r, b);
}

void Engine::respond_opaque_blocks(Request& r, Object& o) {
  const model::ResourceDef* def = model::find_resource(o.def(), r.path.resource_id());
  if (def->type != wire::lwm2m::ValueType::opaque || (def->multiple && r.path.depth == 3)) {
    return respond(r, Code::not_acceptable);
  }
  const uint8_t max_szx = max_block_szx();
  BlockValue want{0, false, max_szx};
  const Maybe<uint32_t> option = r.m.block2();
  if (option) {
    const Result<BlockValue> decoded = wire::coap::decode_block(*option);
    if (!decoded) return respond(r, Code::bad_option);
    want = *decoded;
  }
  // Served in our size at the offset asked for (late negotiation, RFC 7959 2.4).
  const uint8_t szx = std::min(want.szx, max_szx);
  const size_t size = wire::coap::block_size(szx);
  const size_t offset = want.offset();
  // One byte more than a block tells whether another block follows.
  const Result<size_t> n = o.read_chunk(r.path, offset, mem_.payload.first(std::min(size + 1, mem_.payload.size())));
  if (!n) return respond(r, Code::internal_server_error);
  if (*n == 0 && offset != 0) return respond(r, Code::bad_option);
  const bool more = *n > size;
  MessageBuilder b = response_for(r, Code::content);
  b.content_format(ContentFormat::octet_stream).payload(mem_.payload.first(std::min(*n, size)));
  if (option || more) b.block2(*wire::coap::encode_block(BlockValue{static_cast<uint32_t>(offset / size), more, szx}));
  finish_response(r, b);
}

bool Engine::handle_block1(Request& r, Object& o, WriteMode mode) {
  const Maybe<uint32_t> option = r.m.block1();
  if (!option) return false;
  const Result<BlockValue> block = wire::coap::decode_block(*option);
  const Maybe<ContentFormat> cf = r.m.content_format();
  if (!block || !cf) {
    respond(r, block ? Code::bad_request : Code::bad_option);
    return true;
  }
  const uint16_t format = wire::coap::to_uint(*cf);
  if (block->num == 0) {
    const model::ResourceDef* def = r.path.depth >= 3 ? model::find_resource(o.def(), r.path.resource_id()) : nullptr;
    const bool stream = format == kOpaque && def != nullptr && def->type == wire::lwm2m::ValueType::opaque &&
                        model::has(def->operations, model::Operations::W);
    block1_ = Block1{true, stream, r.path, r.m.code(), format, 0};
    assembler_.reset();
    if (stream) {
      if (const Status s = o.write_begin(r.path, mode); s != Status::ok) {
        block1_.active = false;
        respond(r, code_for(s));
        return true;
      }
    }
  } else if (!block1_.active || !(block1_.path == r.path) || block1_.method != r.m.code()) {
    respond(r, Code::request_entity_incomplete);
    return true;
  }
  Code code = Code::continue_;
  const Bytes data = r.m.payload();
  if (block1_.streaming) {
    if (block->offset() != block1_.next_offset) {
      code = Code::request_entity_incomplete;
    } else {
      const Status s = o.write_chunk(r.path, block->offset(), data, !block->more);
      block1_.next_offset += data.size();
      if (s != Status::ok) code = code_for(s);
      else if (!block->more) code = Code::changed;
    }
  } else {
    const Error e = assembler_.add(*block, data);
    if (e == Error::block_missing || e == Error::block_out_of_order) code = Code::request_entity_incomplete;
    else if (e != Error::ok) code = code_for(e);
    else if (!block->more) code = apply_payload(o, r.path, format, assembler_.data(), mode, false);
  }
  if (code != Code::continue_) block1_.active = false;
  MessageBuilder b = response_for(r, code);
  if (!is_error(code)) b.block1(*wire::coap::encode_block(BlockValue{block->num, block->more, block->szx}));
  finish_response(r, b);
  return true;
}

}  // namespace tl::client
