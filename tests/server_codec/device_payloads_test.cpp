// Payloads as the device SDK writes them (the src/wire writers its objects use), decoded here.
#include <cstring>

#include "support.hpp"
#include "wire/lwm2m/tlv.hpp"
#include "wire/senml/senml_cbor.hpp"
#include "wire/senml/senml_json.hpp"

namespace tl::server::codec::test {
namespace {

namespace wl = wire::lwm2m;
namespace senml = wire::senml;

// TS 1.1 7.4.3 "Single Object Instance Request Example": Read /3/0 of the Device object.
const std::vector<std::uint8_t> kDeviceTlv = {
    0xC8, 0x00, 0x14, 'O',  'p',  'e',  'n',  ' ',  'M',  'o',  'b',  'i',  'l',  'e',  ' ',
    'A',  'l',  'l',  'i',  'a',  'n',  'c',  'e',  0xC8, 0x01, 0x16, 'L',  'i',  'g',  'h',
    't',  'w',  'e',  'i',  'g',  'h',  't',  ' ',  'M',  '2',  'M',  ' ',  'C',  'l',  'i',
    'e',  'n',  't',  0xC8, 0x02, 0x09, '3',  '4',  '5',  '0',  '0',  '0',  '1',  '2',  '3',
    0xC3, 0x03, '1',  '.',  '0',  0x86, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01, 0x05, 0x88, 0x07,
    0x08, 0x42, 0x00, 0x0E, 0xD8, 0x42, 0x01, 0x13, 0x88, 0x87, 0x08, 0x41, 0x00, 0x7D, 0x42,
    0x01, 0x03, 0x84, 0xC1, 0x09, 0x64, 0xC1, 0x0A, 0x0F, 0x83, 0x0B, 0x41, 0x00, 0x00, 0xC4,
    0x0D, 0x51, 0x82, 0x42, 0x8F, 0xC6, 0x0E, '+',  '0',  '2',  ':',  '0',  '0',  0xC1, 0x10,
    'U'};

const Samples& device_samples() {
  static const Samples all = {
      S("/3/0/0", std::string("Open Mobile Alliance")),
      S("/3/0/1", std::string("Lightweight M2M Client")),
      S("/3/0/2", std::string("345000123")),
      S("/3/0/3", std::string("1.0")),
      S("/3/0/6/0", std::int64_t{1}),
      S("/3/0/6/1", std::int64_t{5}),
      S("/3/0/7/0", std::int64_t{3800}),
      S("/3/0/7/1", std::int64_t{5000}),
      S("/3/0/8/0", std::int64_t{125}),
      S("/3/0/8/1", std::int64_t{900}),
      S("/3/0/9", std::int64_t{100}),
      S("/3/0/10", std::int64_t{15}),
      S("/3/0/11/0", std::int64_t{0}),
      S("/3/0/13", store::Time{1367491215}),
      S("/3/0/14", std::string("+02:00")),
      S("/3/0/16", std::string("U")),
  };
  return all;
}

// The device's writers take wire values: the same samples through them.
template <class Writer>
void add_all(Writer& w, const Samples& samples) {
  for (const store::Sample& s : samples) {
    wl::Path path;
    path.depth = static_cast<std::uint8_t>(s.path.depth());
    for (int l = 0; l < s.path.depth(); ++l) path.ids[l] = s.path.id(l);
    wl::Value v;
    if (const auto* i = std::get_if<std::int64_t>(&s.value)) v = wl::Value::integer(*i);
    if (const auto* t = std::get_if<store::Time>(&s.value)) v = wl::Value::time(t->seconds);
    if (const auto* b = std::get_if<bool>(&s.value)) v = wl::Value::boolean(*b);
    if (const auto* d = std::get_if<double>(&s.value)) v = wl::Value::floating(static_cast<float>(*d));
    if (const auto* text = std::get_if<std::string>(&s.value)) v = wl::Value::string(*text);
    if (const auto* o = std::get_if<store::Opaque>(&s.value)) v = wl::Value::opaque(*o);
    ASSERT_EQ(w.add(path, v), wire::Error::ok) << s.path.to_string();
  }
}

TEST(DevicePayloads, DeviceObjectTlvExampleOfTheTs) {
  EXPECT_EQ(decoded(cf::tlv, kDeviceTlv, "/3/0"), device_samples());
}

TEST(DevicePayloads, DeviceObjectInSenmlFromTheWireWriters) {
  for (bool cbor : {false, true}) {
    const auto payload = written([&](wire::ByteWriter& out) {
      if (cbor) {
        senml::CborWriter w(out);
        w.set_base_name(wl::Path::instance(3, 0));
        add_all(w, device_samples());
        return w.finish();
      }
      senml::JsonWriter w(out);
      w.set_base_name(wl::Path::instance(3, 0));
      add_all(w, device_samples());
      return w.finish();
    });
    EXPECT_EQ(decoded(cbor ? cf::senml_cbor : cf::senml_json, payload, "/3/0"), device_samples());
  }
}

// 33650 Pattern Detector: one instance per class, state, counter and label each.
Samples pattern_detector() {
  return {S("/33650/0/2000", false), S("/33650/0/2001", std::int64_t{1520}),
          S("/33650/0/2002", std::string("idle")), S("/33650/1/2000", true),
          S("/33650/1/2001", std::int64_t{38}), S("/33650/1/2002", std::string("shake"))};
}

TEST(DevicePayloads, PatternDetectorInstancesInTlv) {
  const auto payload = written([](wire::ByteWriter& out) {
    wl::tlv::Writer w(out);
    const char* labels[] = {"idle", "shake"};
    const std::int64_t counts[] = {1520, 38};
    for (std::uint16_t c = 0; c < 2; ++c) {
      w.begin_object_instance(c);
      w.resource(2000, wl::Value::boolean(c == 1));
      w.resource(2001, wl::Value::integer(counts[c]));
      w.resource(2002, wl::Value::string(labels[c]));
      w.end();
    }
    return w.finish();
  });
  EXPECT_EQ(decoded(cf::tlv, payload, "/33650"), pattern_detector());
}

TEST(DevicePayloads, PatternDetectorCountersInASendWithTimes) {
  // A Send (/dp): full names, a base time and times relative to it.
  const auto payload = written([](wire::ByteWriter& out) {
    senml::CborWriter w(out);
    w.set_base_time(1700000000);
    EXPECT_EQ(w.add(wl::Path::resource(33650, 0, 2001), wl::Value::integer(1520), 1700000000),
              wire::Error::ok);
    EXPECT_EQ(w.add(wl::Path::resource(33650, 1, 2001), wl::Value::integer(38), 1700000005),
              wire::Error::ok);
    return w.finish();
  });
  const Samples samples = decoded(cf::senml_cbor, payload, "/");
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0], S("/33650/0/2001", std::int64_t{1520}, 1'700'000'000'000));
  EXPECT_EQ(samples[1], S("/33650/1/2001", std::int64_t{38}, 1'700'000'005'000));
}

// 33653/0/2001: the "TLRW" raw window of docs/objects.md, 2 axes x 3 samples.
store::Opaque raw_window() {
  store::Opaque w = {'T', 'L', 'R', 'W', 1, 2, 2, 0, 3, 0, 0, 0};
  const float fields[] = {50.0f, 2.75f, 0.1f, -0.2f, 9.81f, 0.0f, 1.5f, -1.5f};
  for (float f : fields) {
    std::uint8_t le[4];
    std::memcpy(le, &f, 4);  // the host is little-endian like the device
    w.insert(w.end(), le, le + 4);
  }
  return w;
}

TEST(DevicePayloads, AnomalyAnalyzerWindowInEveryFormat) {
  const store::Opaque window = raw_window();
  const wl::Value v = wl::Value::opaque(window);
  const auto tlv = written([&](wire::ByteWriter& out) {
    wl::tlv::Writer w(out);
    w.resource(2000, wl::Value::floating(2.75f));
    w.resource(2001, v);
    return w.finish();
  });
  const Samples instance = {S("/33653/0/2000", 2.75), S("/33653/0/2001", window)};
  EXPECT_EQ(decoded(cf::tlv, tlv, "/33653/0"), instance);
  const auto cbor = written([&](wire::ByteWriter& out) {
    senml::CborWriter w(out, 2);
    w.set_base_name(wl::Path::instance(33653, 0));
    EXPECT_EQ(w.add(wl::Path::resource(33653, 0, 2000), wl::Value::floating(2.75f)), wire::Error::ok);
    EXPECT_EQ(w.add(wl::Path::resource(33653, 0, 2001), v), wire::Error::ok);
    return w.finish();
  });
  EXPECT_EQ(decoded(cf::senml_cbor, cbor, "/33653/0"), instance);
  EXPECT_EQ(decoded(cf::opaque, window, "/33653/0/2001"), Samples{instance[1]});
  // The window alone in TLV, as a Read of the resource answers.
  const auto one = written([&](wire::ByteWriter& out) {
    wl::tlv::Writer w(out);
    w.resource(2001, v);
    return w.finish();
  });
  EXPECT_EQ(decoded(cf::tlv, one, "/33653/0/2001"), Samples{instance[1]});
}

TEST(DevicePayloads, ClassifierMultipleResourcesInTlv) {
  const auto payload = written([](wire::ByteWriter& out) {
    wl::tlv::Writer w(out);
    w.begin_multiple_resource(2000);
    w.resource_instance(0, wl::Value::string("idle"));
    w.resource_instance(1, wl::Value::string("shake"));
    w.end();
    w.begin_multiple_resource(2001);
    w.resource_instance(0, wl::Value::floating(0.25f));
    w.resource_instance(1, wl::Value::floating(0.75f));
    w.end();
    w.resource(2002, wl::Value::floating(1.5f));
    return w.finish();
  });
  EXPECT_EQ(decoded(cf::tlv, payload, "/33652/0"),
            (Samples{S("/33652/0/2000/0", std::string("idle")),
                     S("/33652/0/2000/1", std::string("shake")), S("/33652/0/2001/0", 0.25),
                     S("/33652/0/2001/1", 0.75), S("/33652/0/2002", 1.5)}));
}

}  // namespace
}  // namespace tl::server::codec::test
