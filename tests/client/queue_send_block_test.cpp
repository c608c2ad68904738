#include <gtest/gtest.h>

#include "harness.hpp"
#include "wire/coap/block.hpp"
#include "wire/senml/senml_cbor.hpp"

namespace tl::client::test {
namespace {

using wire::coap::BlockValue;
using wire::coap::Code;
using wire::coap::ContentFormat;

TEST(QueueMode, SleepsHoldsNewestAndDeliversAfterUpdate) {
  Rig rig(false, true);
  rig.register_client();
  MessageBuilder b = rig.req(Code::get, "/3303/0/5700");
  b.observe(0).accept(ContentFormat::text_plain);
  ASSERT_TRUE(rig.request(b).m.observe());
  rig.advance(31'000);  // awake time 30 s
  EXPECT_TRUE(rig.client->asleep());
  rig.temperature.set(0, 25.f);
  rig.advance(10'000);
  rig.temperature.set(0, 26.f);
  rig.advance(10'000);
  EXPECT_FALSE(rig.has_output());
  // Requests while asleep are lost, as with the radio off.
  MessageBuilder lost = rig.req(Code::get, "/3/0/0");
  rig.push(lost);
  rig.step();
  EXPECT_FALSE(rig.has_output());
  // The Update wakes the client; the held notification follows its answer, newest value only.
  rig.run_until(208'000 + 1'000);
  Received upd = rig.take();
  EXPECT_EQ(upd.path(), "/rd/ab12");
  EXPECT_FALSE(rig.has_output());
  rig.reply(upd, Code::changed);
  rig.step();
  std::vector<std::string> notes;
  while (rig.has_output()) notes.push_back(rig.take().payload_text());
  EXPECT_EQ(notes, std::vector<std::string>{"26"});
}

TEST(Send, PostsSenmlCborToDp) {
  Rig rig;
  rig.register_client();
  const Path paths[] = {Path::resource(3303, 0, 5700), Path::resource(3, 0, 0)};
  ASSERT_EQ(rig.client->send(paths), Error::ok);
  Received s = rig.take();
  EXPECT_EQ(s.m.code(), Code::post);
  EXPECT_EQ(s.path(), "/dp");
  EXPECT_EQ(*s.m.content_format(), ContentFormat::senml_cbor);
  wire::senml::CborReader reader(s.m.payload());
  auto first = reader.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->path, Path::resource(3303, 0, 5700));
  auto second = reader.next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->value_as(wire::lwm2m::ValueType::string)->text(), "Tinyloop");
  // One confirmable exchange at a time.
  EXPECT_EQ(rig.client->send(paths), Error::too_many_items);
  rig.reply(s, Code::changed);
  rig.step();
  EXPECT_EQ(rig.client->send(paths), Error::ok);
}

// Larger than a block: Block1 from the client, one block per exchange, Size1 on the first; the
// server's smaller block size is taken up where it asks; reads wait (5.03) until the end.
TEST(Send, LargeSendGoesBlockWise) {
  Rig rig;
  rig.register_client();
  rig.temperature.inst[0].app = std::string(1800, 'x');
  const Path paths[] = {Path::instance(3303, 0)};
  ASSERT_EQ(rig.client->send(paths), Error::ok);
  std::vector<uint8_t> got;
  Received b = rig.take();
  ASSERT_TRUE(b.m.block1());
  const uint32_t total = *b.m.size1();
  EXPECT_GT(total, 1800u);
  MessageBuilder read = rig.req(Code::get, "/3/0/0");
  EXPECT_EQ(rig.request(read).m.code(), Code::service_unavailable);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(b.path(), "/dp");
    const wire::coap::BlockValue v = *wire::coap::decode_block(*b.m.block1());
    ASSERT_EQ(v.offset(), got.size());
    got.insert(got.end(), b.m.payload().begin(), b.m.payload().end());
    if (!v.more) {
      rig.reply(b, Code::changed);
      break;
    }
    // After the first block the server asks for 256-byte blocks.
    MessageBuilder ack(Type::ack, Code::continue_, b.m.message_id());
    ack.token(b.m.token()).block1(*wire::coap::encode_block({v.num, true, v.num == 0 ? uint8_t{4} : v.szx}));
    rig.push(ack);
    rig.step();
    ASSERT_TRUE(rig.has_output());
    b = rig.take();
    if (v.num == 0) {
      EXPECT_EQ(wire::coap::decode_block(*b.m.block1())->szx, 4);
    }
  }
  rig.step();
  ASSERT_EQ(got.size(), total);
  wire::senml::CborReader reader({got.data(), got.size()});
  bool found = false;
  while (auto rec = reader.next()) found = found || rec->path == Path::resource(3303, 0, 5750);
  EXPECT_TRUE(found);
  MessageBuilder again = rig.req(Code::get, "/3/0/0");
  EXPECT_EQ(rig.request(again).m.code(), Code::content);
  EXPECT_EQ(rig.client->send(paths), Error::ok);  // the next Send may start
}

TEST(Send, NotRegistered) {
  Rig rig;
  const Path paths[] = {Path::resource(3, 0, 0)};
  EXPECT_EQ(rig.client->send(paths), Error::end);
}

class Blocks : public ::testing::Test {
 protected:
  void SetUp() override { rig.register_client(); }
  Received put_block(std::string_view path, ContentFormat cf, BlockValue block, wire::Bytes data) {
    MessageBuilder b = rig.req(Code::put, path);
    b.content_format(cf).block1(*wire::coap::encode_block(block)).payload(data);
    return rig.request(b);
  }
  Rig rig;
};

TEST_F(Blocks, Block1OpaqueStreamsChunksToTheObject) {
  std::vector<uint8_t> blob(20'000);
  for (size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<uint8_t>(i * 7);
  const size_t size = 1024;
  for (uint32_t num = 0; num * size < blob.size(); ++num) {
    const size_t off = num * size;
    const size_t n = std::min(size, blob.size() - off);
    const bool more = off + n < blob.size();
    Received r = put_block("/33654/0/2003", ContentFormat::octet_stream, {num, more, 6}, {blob.data() + off, n});
    ASSERT_EQ(r.m.code(), more ? Code::continue_ : Code::changed) << num;
    EXPECT_TRUE(r.m.block1());
  }
  EXPECT_TRUE(rig.model.complete);
  EXPECT_EQ(rig.model.blob, blob);
  EXPECT_EQ(rig.model.chunk_offsets.size(), 20u);
}

TEST_F(Blocks, Block1GapIs408) {
  const uint8_t data[64] = {};
  EXPECT_EQ(put_block("/33654/0/2003", ContentFormat::octet_stream, {0, true, 2}, data).m.code(), Code::continue_);
  EXPECT_EQ(put_block("/33654/0/2003", ContentFormat::octet_stream, {2, true, 2}, data).m.code(),
            Code::request_entity_incomplete);
}

TEST_F(Blocks, Block1ReassemblesOtherFormats) {
  const std::string json = R"([{"bn":"/3303/0/","n":"5750","vs":"assembled in blocks"}])";
  const size_t half = 32;
  EXPECT_EQ(put_block("/3303/0", ContentFormat::senml_json, {0, true, 1}, wire::as_bytes(json).first(half)).m.code(),
            Code::continue_);
  EXPECT_EQ(put_block("/3303/0", ContentFormat::senml_json, {1, false, 1}, wire::as_bytes(json).subspan(half)).m.code(),
            Code::changed);
  EXPECT_EQ(rig.temperature.inst[0].app, "assembled in blocks");
}

TEST_F(Blocks, Block1TooLargeIs413) {
  const std::vector<uint8_t> chunk(1024, 'a');
  Code last = Code::continue_;
  for (uint32_t num = 0; num < 3 && last == Code::continue_; ++num) {
    last = put_block("/3303/0", ContentFormat::senml_json, {num, true, 6}, chunk).m.code();
  }
  EXPECT_EQ(last, Code::request_entity_too_large);
}

TEST_F(Blocks, Block2OpaqueRead) {
  rig.model.blob.resize(3000);
  for (size_t i = 0; i < rig.model.blob.size(); ++i) rig.model.blob[i] = static_cast<uint8_t>(i);
  std::vector<uint8_t> got;
  for (uint32_t num = 0;; ++num) {
    MessageBuilder b = rig.req(Code::get, "/33654/0/2003");
    b.accept(ContentFormat::octet_stream);
    if (num > 0) b.block2(*wire::coap::encode_block({num, false, 6}));
    Received r = rig.request(b);
    ASSERT_EQ(r.m.code(), Code::content);
    got.insert(got.end(), r.m.payload().begin(), r.m.payload().end());
    auto block = wire::coap::decode_block(*r.m.block2());
    ASSERT_TRUE(block);
    if (!block->more) break;
  }
  EXPECT_EQ(got, rig.model.blob);
}

TEST_F(Blocks, Block2LargeRenderedRead) {
  rig.temperature.inst[0].app = std::string(1500, 'x');
  std::string got;
  for (uint32_t num = 0;; ++num) {
    MessageBuilder b = rig.req(Code::get, "/3303/0");
    b.accept(ContentFormat::senml_json);
    if (num > 0) b.block2(*wire::coap::encode_block({num, false, 6}));
    Received r = rig.request(b);
    ASSERT_EQ(r.m.code(), Code::content);
    got += r.payload_text();
    if (!wire::coap::decode_block(*r.m.block2())->more) break;
  }
  EXPECT_NE(got.find(std::string(1500, 'x')), std::string::npos);
  EXPECT_EQ(got.back(), ']');
}

}  // namespace
}  // namespace tl::client::test
