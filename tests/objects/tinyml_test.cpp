#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "fixtures.hpp"
#include "objects/le.hpp"
#include "wire/coap/block.hpp"

namespace tl::objects::test {
namespace {

using client::test::Received;
using wire::coap::Code;
using wire::coap::ContentFormat;

class TinyMl : public ::testing::Test {
 protected:
  ModelRunner& runner() { return r.ml->runner(); }
  Object& object(size_t i) { return *r.ml->objects()[i]; }
  Value read(size_t object_index, Path p) {
    Value v;
    uint8_t scratch[64];
    EXPECT_EQ(object(object_index).read(p, v, scratch), Status::ok) << p.resource_id();
    return v;
  }
  MlRig r;
};

TEST_F(TinyMl, LoadsTheBuiltinModel) {
  EXPECT_EQ(read(4, Path::resource(33654, 0, 2000)).text(), "gestures");
  EXPECT_EQ(read(4, Path::resource(33654, 0, 2001)).i, 1);
  EXPECT_EQ(object(0).instance(2), 2);
  EXPECT_EQ(object(0).instance(3), client::kNoId);
  EXPECT_EQ(read(0, Path::resource(33650, 1, 2002)).text(), "wave");
  EXPECT_EQ(read(2, Path::resource_instance(33652, 0, 2000, 2)).text(), "shake");
  EXPECT_EQ(read(1, Path::resource(33651, 0, 2002)).as_float(), 2.0f);  // the blob's threshold
}

TEST_F(TinyMl, WindowsDriveDetectorsAndClassifier) {
  r.run(0.0f);
  r.run(0.1f);
  r.run(1.0f);
  EXPECT_EQ(read(0, Path::resource(33650, 0, 2001)).i, 2);
  EXPECT_EQ(read(0, Path::resource(33650, 1, 2001)).i, 1);
  EXPECT_EQ(read(0, Path::resource(33650, 2, 2001)).i, 0);
  EXPECT_FALSE(read(0, Path::resource(33650, 0, 2000)).b);
  EXPECT_TRUE(read(0, Path::resource(33650, 1, 2000)).b);
  EXPECT_EQ(read(2, Path::resource_instance(33652, 0, 2001, 1)).as_float(), 1.0f);
  EXPECT_EQ(read(2, Path::resource_instance(33652, 0, 2001, 0)).as_float(), 0.0f);
  EXPECT_EQ(object(2).resource_instance(0, 2001, 3), client::kNoId);
  EXPECT_EQ(read(2, Path::resource(33652, 0, 2002)).as_float(), 1.0f);  // |(0, 1)|
}

TEST_F(TinyMl, ARejectedWindowChangesNothing) {
  r.run(1.0f);
  auto w = window(0.0f);
  w[2] = NAN;
  EXPECT_EQ(r.ml->on_window(w.data()), ml::Error::non_finite_input);
  EXPECT_EQ(runner().predicted(), 1);
  EXPECT_EQ(read(0, Path::resource(33650, 0, 2001)).i, 0);
  EXPECT_EQ(read(2, Path::resource(33652, 0, 2002)).as_float(), 1.0f);
}

TEST_F(TinyMl, AnomalyStateCounterAndThreshold) {
  r.run(3.0f);  // score 3 > 2
  EXPECT_TRUE(read(1, Path::resource(33651, 0, 2000)).b);
  r.run(3.0f);
  EXPECT_EQ(read(1, Path::resource(33651, 0, 2001)).i, 2);
  EXPECT_EQ(object(1).write(Path::resource(33651, 0, 2002), Value::floating(5.0f)), Status::ok);
  r.run(3.0f);
  EXPECT_FALSE(read(1, Path::resource(33651, 0, 2000)).b);
  EXPECT_EQ(read(1, Path::resource(33651, 0, 2001)).i, 2);
  EXPECT_EQ(object(1).write(Path::resource(33651, 0, 2002), Value::floating(-1.0f)), Status::bad_request);
  EXPECT_EQ(object(1).write(Path::resource(33651, 0, 2002), Value::floating(NAN)), Status::bad_request);
  EXPECT_EQ(object(1).write(Path::resource(33651, 0, 2002), Value::floating(INFINITY)), Status::bad_request);
  EXPECT_EQ(runner().threshold(), 5.0f);
}

TEST_F(TinyMl, AnalyzerKeepsTheMaximumAndItsWindow) {
  r.run(1.0f);
  r.run(3.0f, 0.5f);
  r.run(2.0f);
  const float expected = std::sqrt(3.0f * 3.0f + 0.5f * 0.5f);
  EXPECT_EQ(read(3, Path::resource(33653, 0, 2000)).as_float(), expected);
  const Value raw = read(3, Path::resource(33653, 0, 2001));
  ASSERT_EQ(raw.bytes.size(), kRawHeaderSize + 16);
  const uint8_t* b = raw.bytes.data();
  EXPECT_EQ(std::memcmp(b, "TLRW", 4), 0);
  EXPECT_EQ(b[4], kRawVersion);
  EXPECT_EQ(b[5], kRawFloat32);
  EXPECT_EQ(b[6], 1);      // axes
  EXPECT_EQ(b[8], 4);      // samples
  EXPECT_EQ(get_f32(b + 12), 10.0f);
  EXPECT_EQ(get_f32(b + 16), expected);
  const auto w = window(3.0f, 0.5f);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(get_f32(b + kRawHeaderSize + 4 * i), w[i]);
  EXPECT_EQ(object(3).execute(Path::resource(33653, 0, 2002), ""), Status::ok);
  EXPECT_EQ(read(3, Path::resource(33653, 0, 2000)).as_float(), 0.0f);
  EXPECT_EQ(read(3, Path::resource(33653, 0, 2001)).bytes.size(), 0u);
  r.run(0.5f);
  EXPECT_EQ(read(3, Path::resource(33653, 0, 2000)).as_float(), 0.5f);
}

TEST_F(TinyMl, CountersAndThresholdSurviveAReboot) {
  ASSERT_EQ(object(1).write(Path::resource(33651, 0, 2002), Value::floating(0.75f)), Status::ok);
  for (int i = 0; i < 10; ++i) r.run(i < 7 ? 0.0f : 1.0f);  // saved at the 10th window
  r.run(1.0f);                                                // not saved yet
  r.boot();
  EXPECT_EQ(read(0, Path::resource(33650, 0, 2001)).i, 7);
  EXPECT_EQ(read(0, Path::resource(33650, 1, 2001)).i, 3);
  EXPECT_EQ(read(1, Path::resource(33651, 0, 2001)).i, 3);
  EXPECT_EQ(read(1, Path::resource(33651, 0, 2002)).as_float(), 0.75f);
  EXPECT_FALSE(read(0, Path::resource(33650, 1, 2000)).b);  // no window since boot
}

TEST_F(TinyMl, LearnOverNWindowsSwitchesToLof) {
  EXPECT_EQ(object(4).execute(Path::resource(33654, 0, 2002), "x"), Status::bad_request);
  EXPECT_EQ(object(4).execute(Path::resource(33654, 0, 2002), "0"), Status::bad_request);
  ASSERT_EQ(object(4).execute(Path::resource(33654, 0, 2002), "0='8'"), Status::ok);
  for (int i = 0; i < 8; ++i) {
    EXPECT_TRUE(runner().learning());
    r.run(0.1f * static_cast<float>(i % 4), 0.1f);
  }
  EXPECT_FALSE(runner().learning());
  EXPECT_TRUE(runner().lof_active());
  EXPECT_EQ(runner().threshold(), ml::LofParams{}.threshold);
  r.run(0.15f, 0.1f);
  EXPECT_FALSE(runner().anomaly());
  r.run(9.0f, 0.1f);  // far from everything learnt
  EXPECT_TRUE(runner().anomaly());
  EXPECT_GT(runner().score(), 10.0f);
}

TEST_F(TinyMl, AThresholdForTheLofScoreIsNotRestored) {
  ASSERT_EQ(object(4).execute(Path::resource(33654, 0, 2002), "4"), Status::ok);
  for (int i = 0; i < 4; ++i) r.run(0.1f * static_cast<float>(i), 0.1f);
  ASSERT_TRUE(runner().lof_active());
  ASSERT_EQ(object(1).write(Path::resource(33651, 0, 2002), Value::floating(3.0f)), Status::ok);
  r.boot();
  EXPECT_FALSE(runner().lof_active());
  EXPECT_EQ(runner().threshold(), 2.0f);  // the k-means default
}

TEST_F(TinyMl, LearnWithoutBuffersIsNotAllowed) {
  Memory& m = r.memory;
  RunnerBuffers b = m.buffers();
  b.lof.capacity = 0;
  TinyMlObjects other(r.rig.platform, r.config, b);
  EXPECT_EQ(other.objects()[4]->execute(Path::resource(33654, 0, 2002), "5"), Status::not_allowed);
}

TEST_F(TinyMl, WithoutAUsableModelThereIsNothingToReport) {
  auto bad = make_blob(3, 1, 20.0f);  // built for another sample rate
  RunnerConfig config{device_pipeline(), bad, 10};
  TinyMlObjects none(r.rig.platform, config, r.memory.buffers());
  EXPECT_FALSE(none.runner().loaded());
  EXPECT_EQ(none.objects()[0]->instance(0), client::kNoId);
  EXPECT_EQ(none.objects()[2]->resource_instance(0, 2000, 0), client::kNoId);
  const auto w = window(0.0f);
  EXPECT_EQ(none.on_window(w.data()), ml::Error::not_ready);
  EXPECT_EQ(none.objects()[4]->execute(Path::resource(33654, 0, 2002), ""), Status::not_allowed);
}

TEST_F(TinyMl, CountersOfAnotherModelAreIgnored) {
  for (int i = 0; i < 10; ++i) r.run(0.0f);
  r.builtin = make_blob(3, 5);  // new firmware, new built-in model
  r.config.builtin = r.builtin;
  r.boot();
  EXPECT_EQ(read(4, Path::resource(33654, 0, 2001)).i, 5);
  EXPECT_EQ(read(0, Path::resource(33650, 0, 2001)).i, 0);
}

// Through the engine: Block1 writes of the Knowledge resource, the object list Update.
class TinyMlServer : public TinyMl {
 protected:
  void SetUp() override {
    r.ml->set_objects_changed_hook([](void* self) {
      auto* me = static_cast<TinyMlServer*>(self);
      ++me->hooks;
      me->r.rig.client->objects_changed();
    }, this);
    r.rig.register_client();
  }
  Code put_blob(const std::vector<uint8_t>& blob, size_t block = 64) {
    Code last = Code::empty;
    for (uint32_t num = 0; num * block < blob.size(); ++num) {
      const size_t off = num * block;
      const size_t n = std::min(block, blob.size() - off);
      const bool more = off + n < blob.size();
      client::test::MessageBuilder b = r.rig.req(Code::put, "/33654/0/2003");
      b.content_format(ContentFormat::octet_stream)
          .block1(*wire::coap::encode_block({num, more, 2}))
          .payload({blob.data() + off, n});
      last = r.rig.request(b).m.code();
      if (last != Code::continue_) break;
    }
    return last;
  }
  int hooks = 0;
};

TEST_F(TinyMlServer, GoodBlobSwapsModelAndInstances) {
  r.run(0.0f);
  const auto blob = make_blob(2, 2);
  ASSERT_EQ(put_blob(blob), Code::changed);
  EXPECT_EQ(read(4, Path::resource(33654, 0, 2001)).i, 2);
  EXPECT_EQ(object(0).instance(1), 1);
  EXPECT_EQ(object(0).instance(2), client::kNoId);
  EXPECT_EQ(read(0, Path::resource(33650, 0, 2001)).i, 0);  // counters restart with the model
  EXPECT_EQ(hooks, 1);
  EXPECT_EQ(r.rig.platform.kv.at(kBlobKey), blob);
  EXPECT_EQ(r.rig.platform.kv.count(kPrevBlobKey), 0u);  // the built-in model needs no copy
  // The Update carries the new object list.
  r.rig.advance(100);
  Received update = r.rig.take();
  EXPECT_EQ(update.path(), "/rd/ab12");
  EXPECT_NE(update.payload_text().find("</33650/1>"), std::string::npos);
  EXPECT_EQ(update.payload_text().find("</33650/2>"), std::string::npos);
  // Read back through the engine, then survive a reboot.
  client::test::MessageBuilder get = r.rig.req(Code::get, "/33654/0/2003");
  get.accept(ContentFormat::octet_stream);
  const Received got = r.rig.request(get);
  EXPECT_EQ(std::vector<uint8_t>(got.m.payload().begin(), got.m.payload().end()), blob);
  r.boot();
  EXPECT_EQ(read(4, Path::resource(33654, 0, 2001)).i, 2);
}

TEST_F(TinyMlServer, SecondSwapKeepsThePreviousForRollback) {
  const auto v2 = make_blob(2, 2), v3 = make_blob(4, 3);
  ASSERT_EQ(put_blob(v2), Code::changed);
  ASSERT_EQ(put_blob(v3), Code::changed);
  EXPECT_EQ(r.rig.platform.kv.at(kPrevBlobKey), v2);
  EXPECT_EQ(object(0).instance(3), 3);
  EXPECT_EQ(hooks, 2);
  // A stored model that no longer opens falls back to the previous one at boot.
  r.rig.platform.kv[kBlobKey][20] ^= 1;
  r.boot();
  EXPECT_EQ(read(4, Path::resource(33654, 0, 2001)).i, 2);
  r.rig.platform.kv[kPrevBlobKey][20] ^= 1;
  r.boot();
  EXPECT_EQ(read(4, Path::resource(33654, 0, 2001)).i, 1);  // the built-in one
}

TEST_F(TinyMlServer, BadBlobsLeaveTheOldModel) {
  auto bad_crc = make_blob(2, 2);
  bad_crc[bad_crc.size() - 1] ^= 0xFF;
  EXPECT_EQ(put_blob(bad_crc), Code::bad_request);
  EXPECT_EQ(put_blob(make_blob(2, 2, 20.0f)), Code::bad_request);  // another sample rate
  EXPECT_EQ(put_blob(std::vector<uint8_t>(5000, 1)), Code::request_entity_too_large);
  EXPECT_EQ(read(4, Path::resource(33654, 0, 2001)).i, 1);
  EXPECT_EQ(object(0).instance(2), 2);
  EXPECT_EQ(hooks, 0);
  EXPECT_EQ(r.rig.platform.kv.count(kBlobKey), 0u);
  r.run(1.0f);
  EXPECT_TRUE(read(0, Path::resource(33650, 1, 2000)).b);
}

TEST_F(TinyMlServer, KnowledgeReadsBlockByBlock) {
  std::vector<uint8_t> got;
  for (uint32_t num = 0;; ++num) {
    client::test::MessageBuilder b = r.rig.req(Code::get, "/33654/0/2003");
    b.accept(ContentFormat::octet_stream).block2(*wire::coap::encode_block({num, false, 2}));
    const Received part = r.rig.request(b);
    ASSERT_EQ(part.m.code(), Code::content);
    got.insert(got.end(), part.m.payload().begin(), part.m.payload().end());
    ASSERT_TRUE(part.m.block2());
    if (!wire::coap::decode_block(*part.m.block2())->more) break;
  }
  EXPECT_GT(r.builtin.size(), 64u);
  EXPECT_EQ(got, r.builtin);
}

TEST_F(TinyMlServer, ThresholdWriteThroughTheEngine) {
  client::test::MessageBuilder ok = r.rig.req(Code::put, "/33651/0/2002");
  ok.content_format(ContentFormat::text_plain).payload(wire::as_bytes("1.25"));
  EXPECT_EQ(r.rig.request(ok).m.code(), Code::changed);
  client::test::MessageBuilder bad = r.rig.req(Code::put, "/33651/0/2002");
  bad.content_format(ContentFormat::text_plain).payload(wire::as_bytes("-3"));
  EXPECT_EQ(r.rig.request(bad).m.code(), Code::bad_request);
  EXPECT_EQ(runner().threshold(), 1.25f);
}

TEST_F(TinyMlServer, LearnAndResetThroughTheEngine) {
  client::test::MessageBuilder learn = r.rig.req(Code::post, "/33654/0/2002");
  learn.payload(wire::as_bytes("0='3'"));  // not more than k = 3
  EXPECT_EQ(r.rig.request(learn).m.code(), Code::bad_request);
  learn = r.rig.req(Code::post, "/33654/0/2002");
  learn.payload(wire::as_bytes("0='4'"));
  EXPECT_EQ(r.rig.request(learn).m.code(), Code::changed);
  EXPECT_TRUE(runner().learning());
  for (int i = 0; i < 4; ++i) r.run(0.1f * static_cast<float>(i), 0.1f);
  EXPECT_TRUE(runner().lof_active());
  client::test::MessageBuilder bad = r.rig.req(Code::post, "/33654/0/2002");
  bad.payload(wire::as_bytes("many"));
  EXPECT_EQ(r.rig.request(bad).m.code(), Code::bad_request);
  client::test::MessageBuilder reset = r.rig.req(Code::post, "/33653/0/2002");
  EXPECT_EQ(r.rig.request(reset).m.code(), Code::changed);
  EXPECT_EQ(runner().raw_window().size(), 0u);
}

TEST_F(TinyMlServer, ObserversAreNotifiedAfterAWindow) {
  client::test::MessageBuilder b = r.rig.req(Code::get, "/33650/1/2001");
  b.observe(0).accept(ContentFormat::text_plain);
  ASSERT_TRUE(r.rig.request(b).m.observe());
  r.rig.advance(10);
  EXPECT_FALSE(r.rig.has_output());
  r.run(1.0f);
  r.rig.advance(10);
  ASSERT_TRUE(r.rig.has_output());
  EXPECT_EQ(r.rig.take().payload_text(), "1");
}

}  // namespace
}  // namespace tl::objects::test
