// Link format against the shapes of the LwM2M TS 1.1 Register (5.3.1) and Discover (5.4.2)
// examples, RFC 6690 syntax errors, and Write-Attributes queries (5.4.4).
#include "wire/lwm2m/link_format.hpp"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace tl::wire::lwm2m::link {
namespace {

uint64_t bits(double d) { return std::bit_cast<uint64_t>(d); }

template <class Fill>
std::string write_links(Fill fill, Error expect = Error::ok) {
  std::array<uint8_t, 512> buf{};
  ByteWriter out(buf);
  Writer w(out);
  fill(w);
  EXPECT_EQ(w.status(), expect);
  return std::string(as_text(out.written()));
}

std::vector<Link> read_all(std::string_view text) {
  std::vector<Link> links;
  Reader r(text);
  while (true) {
    Result<Link> l = r.next();
    if (!l) {
      EXPECT_EQ(l.error(), Error::end) << text;
      return links;
    }
    links.push_back(*l);
  }
}

Error first_error(std::string_view text) {
  Reader r(text);
  while (true) {
    Result<Link> l = r.next();
    if (!l) return l.error();
  }
}

TEST(LinkFormat, WritesRegisterPayload) {
  std::string text = write_links([](Writer& w) {
    w.link_uri("/");
    w.attr_quoted("rt", "oma.lwm2m");
    w.attr_uint("ct", 11543);
    w.link(Path::instance(1, 0));
    w.link(Path::instance(3, 0));
    w.link(Path::object(33650));
    w.attr_token("ver", "1.0");
    w.link(Path::instance(33650, 0));
  });
  EXPECT_EQ(text, "</>;rt=\"oma.lwm2m\";ct=11543,</1/0>,</3/0>,</33650>;ver=1.0,</33650/0>");
}

TEST(LinkFormat, WritesDiscoverPayload) {
  std::string text = write_links([](Writer& w) {
    Attributes object;
    object.set_seconds(Attr::pmin, 10);
    w.link(Path::object(3));
    w.attributes(object);
    w.link(Path::instance(3, 0));
    w.link(Path::resource(3, 0, 1));
    w.link(Path::resource(3, 0, 6));
    w.attr_uint("dim", 8);
    Attributes res;
    res.set_float_bits(Attr::gt, bits(50));
    res.set_float_bits(Attr::lt, bits(42.2));
    w.link(Path::resource(3, 0, 7));
    w.attr_uint("dim", 8);
    w.attributes(res);
    w.link(Path::resource(3, 0, 13));
  });
  EXPECT_EQ(text, "</3>;pmin=10,</3/0>,</3/0/1>,</3/0/6>;dim=8,</3/0/7>;dim=8;gt=50;lt=42.2,</3/0/13>");
}

TEST(LinkFormat, WritesEveryAttributeInOrder) {
  Attributes a;
  a.set_seconds(Attr::epmax, 7);
  a.set_seconds(Attr::pmax, 60);
  a.set_float_bits(Attr::st, bits(0.5));
  a.set_seconds(Attr::pmin, 1);
  a.set_float_bits(Attr::lt, bits(-3.25));
  a.set_float_bits(Attr::gt, bits(100));
  a.set_seconds(Attr::epmin, 2);
  a.unset = Attributes::bit(Attr::pmin);  // has no link-format form
  std::string text = write_links([&](Writer& w) {
    w.link(Path::resource(3303, 0, 5700));
    w.attributes(a);
  });
  EXPECT_EQ(text, "</3303/0/5700>;pmin=1;pmax=60;gt=100;lt=-3.25;st=0.5;epmin=2;epmax=7");
}

TEST(LinkFormat, ReadsRegisterPayload) {
  std::vector<Link> links =
      read_all("</>;rt=\"oma.lwm2m\";ct=11543,</1/101>,</1/102>,</2/0>,</3/0>,</3442>;ver=1.1,</5>");
  ASSERT_EQ(links.size(), 7u);
  EXPECT_EQ(links[0].uri, "/");
  EXPECT_EQ(*links[0].path(), Path::root());
  Result<Param> rt = links[0].find("rt");
  ASSERT_TRUE(rt.ok());
  EXPECT_TRUE(rt->quoted);
  EXPECT_EQ(rt->value, "oma.lwm2m");
  EXPECT_EQ(*links[0].get_uint("ct"), 11543u);
  EXPECT_EQ(*links[1].path(), Path::instance(1, 101));
  EXPECT_TRUE(links[1].params.empty());
  EXPECT_EQ(*links[5].path(), Path::object(3442));
  EXPECT_EQ(links[5].find("ver")->value, "1.1");
  EXPECT_EQ(*links[6].path(), Path::object(5));
}

TEST(LinkFormat, ReadsDiscoverPayloadWithTypedAttributes) {
  std::vector<Link> links = read_all(
      "</3>;pmin=10,</3/0>,</3/0/6>;dim=8,</3/0/7>;dim=8;gt=50;lt=42.2;epmax=300,</3/0/8>;pmax");
  ASSERT_EQ(links.size(), 5u);
  Result<Attributes> a0 = links[0].attributes();
  ASSERT_TRUE(a0.ok());
  EXPECT_TRUE(a0->has(Attr::pmin));
  EXPECT_EQ(a0->pmin, 10u);
  EXPECT_FALSE(a0->has(Attr::pmax));
  EXPECT_EQ(*links[2].get_uint("dim"), 8u);
  Result<Attributes> a3 = links[3].attributes();
  ASSERT_TRUE(a3.ok());
  EXPECT_EQ(a3->present, Attributes::bit(Attr::gt) | Attributes::bit(Attr::lt) | Attributes::bit(Attr::epmax));
  EXPECT_EQ(a3->gt, bits(50));
  EXPECT_EQ(a3->lt, bits(42.2));
  EXPECT_EQ(a3->epmax, 300u);
  EXPECT_EQ(*links[3].get_float_bits("lt"), bits(42.2));
  Result<Attributes> a4 = links[4].attributes();
  EXPECT_TRUE(a4->is_unset(Attr::pmax));
  EXPECT_EQ(links[1].find("dim").error(), Error::end);
  EXPECT_EQ(links[1].get_uint("dim").error(), Error::end);
}

TEST(LinkFormat, WalksParams) {
  std::vector<Link> links = read_all("</a>;x;y=1;z=\"q\"");
  ASSERT_EQ(links.size(), 1u);
  ParamReader r = links[0].param_reader();
  Param x = *r.next();
  EXPECT_EQ(x.key, "x");
  EXPECT_FALSE(x.has_value);
  Param y = *r.next();
  EXPECT_EQ(y.key, "y");
  EXPECT_EQ(y.value, "1");
  EXPECT_FALSE(y.quoted);
  Param z = *r.next();
  EXPECT_TRUE(z.quoted);
  EXPECT_EQ(z.value, "q");
  EXPECT_EQ(r.next().error(), Error::end);
}

TEST(LinkFormat, QuotedStringsKeepSeparatorsAndEscapes) {
  std::vector<Link> links = read_all("</a>;title=\"x\\\"y;,z\\\\\";rt=\"oma.lwm2m\",</b>;ct=\"0 11543\"");
  ASSERT_EQ(links.size(), 2u);
  Result<Param> title = links[0].find("title");
  ASSERT_TRUE(title.ok());
  EXPECT_EQ(title->value, "x\\\"y;,z\\\\");
  std::array<uint8_t, 32> buf{};
  ByteWriter out(buf);
  ASSERT_EQ(unquote(title->value, out), Error::ok);
  EXPECT_EQ(as_text(out.written()), "x\"y;,z\\");
  EXPECT_EQ(links[0].find("rt")->value, "oma.lwm2m");
  EXPECT_EQ(links[1].find("ct")->value, "0 11543");
  EXPECT_EQ(links[1].get_uint("ct").error(), Error::bad_number);
}

TEST(LinkFormat, SyntaxErrors) {
  for (std::string_view bad : {"</3/0", "<", "</3>;rt=\"abc", "</3>;rt=\"abc\\\"", "/3/0", "</1>,",
                               "</1>x", "</1>;", "</1>;=5", "</1>;pmin=", "</1>;a b", "</1>, </2>",
                               "</1>;a=b,c", ",</1>", "</1>,,</2>", "</1>;a=\"b\"c", "</1>;a=,"}) {
    EXPECT_EQ(first_error(bad), Error::malformed) << bad;
  }
  EXPECT_EQ(first_error(""), Error::end);
}

TEST(LinkFormat, ReaderYieldsGoodLinksBeforeTheError) {
  Reader r("</1>,</2>;x=\"open");
  EXPECT_EQ(r.next()->uri, "/1");
  EXPECT_EQ(r.next().error(), Error::malformed);
  EXPECT_EQ(r.next().error(), Error::malformed);
}

TEST(LinkFormat, TypedGetterErrors) {
  std::vector<Link> links = read_all("</1>;pmin=x;gt=1e;pmax;dim=\"3\";lt=5,</2>;pmin=1;pmin=2");
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].get_uint("pmin").error(), Error::bad_number);
  EXPECT_EQ(links[0].get_float_bits("gt").error(), Error::bad_number);
  EXPECT_EQ(links[0].get_uint("pmax").error(), Error::bad_number);
  EXPECT_EQ(links[0].get_uint("dim").error(), Error::bad_number);
  EXPECT_EQ(*links[0].get_float_bits("lt"), bits(5));
  EXPECT_EQ(links[0].attributes().error(), Error::bad_number);
  EXPECT_EQ(links[1].attributes().error(), Error::malformed);
  EXPECT_EQ(read_all("</1>;pmin=\"1\"")[0].attributes().error(), Error::bad_number);
  EXPECT_EQ(read_all("</1>;dim=\"1\";pmin=1")[0].attributes()->pmin, 1u);
}

TEST(LinkFormat, UnquoteRejectsDanglingBackslash) {
  std::array<uint8_t, 8> buf{};
  ByteWriter out(buf);
  EXPECT_EQ(unquote("ab\\", out), Error::malformed);
}

TEST(LinkFormat, WriterErrors) {
  write_links([](Writer& w) { w.attr("pmin"); }, Error::malformed);
  write_links([](Writer& w) { w.link_uri("/a>b"); }, Error::malformed);
  write_links([](Writer& w) {
    w.link(Path::object(1));
    w.attr_uint("bad key", 1);
  }, Error::malformed);
  write_links([](Writer& w) {
    w.link(Path::object(1));
    w.attr_token("ver", "1,0");
  }, Error::malformed);
  write_links([](Writer& w) {
    w.link(Path::object(1));
    w.attr_token("ver", "");
  }, Error::malformed);
  write_links([](Writer& w) {
    w.link(Path::object(1));
    w.attr_float_bits("gt", 0x7FF8000000000000ull);
  }, Error::out_of_range);
  std::array<uint8_t, 6> small{};
  ByteWriter out(small);
  Writer w(out);
  w.link(Path::instance(1, 0));
  w.link(Path::instance(3, 0));
  EXPECT_EQ(w.status(), Error::buffer_too_small);
}

TEST(LinkFormat, WriterEscapesQuotedValues) {
  std::string text = write_links([](Writer& w) {
    w.link_uri("/a");
    w.attr_quoted("title", "say \"hi\" \\o/");
    w.attr_int("x", -3);
    w.attr("obs");
  });
  EXPECT_EQ(text, "</a>;title=\"say \\\"hi\\\" \\\\o/\";x=-3;obs");
}

// ---- Write-Attributes queries ----

TEST(WriteAttributes, ParsesQueryString) {
  Result<Attributes> a = parse_query("pmin=10&pmax=60&gt=20.5");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->present, Attributes::bit(Attr::pmin) | Attributes::bit(Attr::pmax) | Attributes::bit(Attr::gt));
  EXPECT_EQ(a->pmin, 10u);
  EXPECT_EQ(a->pmax, 60u);
  EXPECT_EQ(a->gt, bits(20.5));
  EXPECT_EQ(a->unset, 0u);
}

TEST(WriteAttributes, BareNameUnsets) {
  Result<Attributes> a = parse_query("pmin&lt=-5.5&st=0.5&epmin=1&epmax=4294967295&gt");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->is_unset(Attr::pmin));
  EXPECT_FALSE(a->has(Attr::pmin));
  EXPECT_TRUE(a->is_unset(Attr::gt));
  EXPECT_EQ(a->lt, bits(-5.5));
  EXPECT_EQ(a->st, bits(0.5));
  EXPECT_EQ(a->epmin, 1u);
  EXPECT_EQ(a->epmax, 4294967295u);
}

TEST(WriteAttributes, ParsesUriQueryOptions) {
  std::string_view items[] = {"pmin=1", "pmax=5", "lt=5"};
  Result<Attributes> a = parse_query(items, 3);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->pmin, 1u);
  EXPECT_EQ(a->pmax, 5u);
  EXPECT_EQ(a->lt, bits(5));
  EXPECT_EQ(parse_query(items, 0)->present, 0u);
  EXPECT_EQ(parse_query("")->present, 0u);
}

TEST(WriteAttributes, Errors) {
  EXPECT_EQ(parse_query("foo=1").error(), Error::unsupported);
  EXPECT_EQ(parse_query("dim=2").error(), Error::unsupported);
  EXPECT_EQ(parse_query("pmin=1&pmin=2").error(), Error::malformed);
  EXPECT_EQ(parse_query("pmin=1&pmin").error(), Error::malformed);
  EXPECT_EQ(parse_query("&pmin=1").error(), Error::malformed);
  EXPECT_EQ(parse_query("pmin=1&").error(), Error::malformed);
  EXPECT_EQ(parse_query("pmin=-1").error(), Error::bad_number);
  EXPECT_EQ(parse_query("pmin=").error(), Error::bad_number);
  EXPECT_EQ(parse_query("pmin=1.5").error(), Error::bad_number);
  EXPECT_EQ(parse_query("pmin=4294967296").error(), Error::out_of_range);
  EXPECT_EQ(parse_query("gt=abc").error(), Error::bad_number);
  EXPECT_EQ(parse_query("a&b&c&d&e&f&g&h").error(), Error::too_many_items);
}

TEST(WriteAttributes, QueryRoundTrip) {
  Attributes a;
  a.set_seconds(Attr::pmin, 10);
  a.set_float_bits(Attr::gt, bits(20.5));
  a.unset = Attributes::bit(Attr::pmax) | Attributes::bit(Attr::st);
  std::array<uint8_t, 64> buf{};
  ByteWriter out(buf);
  ASSERT_EQ(write_query(a, out), Error::ok);
  EXPECT_EQ(as_text(out.written()), "pmin=10&gt=20.5&pmax&st");
  Result<Attributes> back = parse_query(as_text(out.written()));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->present, a.present);
  EXPECT_EQ(back->unset, a.unset);
  EXPECT_EQ(back->pmin, 10u);
  EXPECT_EQ(back->gt, a.gt);
}

TEST(WriteAttributes, AttributeNames) {
  EXPECT_EQ(attr_name(Attr::pmin), "pmin");
  EXPECT_EQ(attr_name(Attr::epmax), "epmax");
  EXPECT_EQ(attr_name(Attr::st), "st");
}

// ---- seeded round trip ----

struct Expected {
  Path path;
  std::vector<std::pair<std::string, std::string>> quoted;  // key, unescaped value
  std::vector<std::pair<std::string, uint64_t>> numbers;
};

TEST(LinkFormat, RandomRoundTrip) {
  std::mt19937_64 rng(0x11f0);
  const char* keys[] = {"rt", "if", "title", "anchor", "ssid", "uri", "dim", "hqmax", "edrx", "con"};
  for (int round = 0; round < 300; ++round) {
    std::vector<Expected> want;
    std::vector<uint8_t> buf(8192);
    ByteWriter out(buf);
    Writer w(out);
    for (size_t n = rng() % 6; n-- > 0;) {
      Expected e;
      e.path.depth = static_cast<uint8_t>(rng() % 5);
      for (uint8_t k = 0; k < e.path.depth; ++k) e.path.ids[k] = static_cast<uint16_t>(rng() % 65535);
      w.link(e.path);
      for (size_t p = rng() % 4; p-- > 0;) {
        std::string key = keys[rng() % 10];
        if (rng() % 2 == 0) {
          std::string value;
          for (size_t c = rng() % 12; c-- > 0;) value += "ab \"\\;,<>="[rng() % 11];
          w.attr_quoted(key, value);
          e.quoted.emplace_back(key, value);
        } else {
          uint64_t v = rng() >> (rng() % 64);
          w.attr_uint(key, v);
          e.numbers.emplace_back(key, v);
        }
      }
      want.push_back(e);
    }
    ASSERT_EQ(w.status(), Error::ok);
    std::vector<Link> links = read_all(as_text(out.written()));
    ASSERT_EQ(links.size(), want.size()) << as_text(out.written());
    for (size_t k = 0; k < links.size(); ++k) {
      EXPECT_EQ(*links[k].path(), want[k].path);
      ParamReader r = links[k].param_reader();
      size_t q = 0;
      size_t num = 0;
      while (true) {
        Result<Param> p = r.next();
        if (!p) {
          EXPECT_EQ(p.error(), Error::end);
          break;
        }
        if (p->quoted) {
          ASSERT_LT(q, want[k].quoted.size());
          std::array<uint8_t, 32> text{};
          ByteWriter tw(text);
          ASSERT_EQ(unquote(p->value, tw), Error::ok);
          EXPECT_EQ(p->key, want[k].quoted[q].first);
          EXPECT_EQ(as_text(tw.written()), want[k].quoted[q++].second);
        } else {
          ASSERT_LT(num, want[k].numbers.size());
          EXPECT_EQ(p->key, want[k].numbers[num].first);
          EXPECT_EQ(p->value, std::to_string(want[k].numbers[num++].second));
        }
      }
      EXPECT_EQ(q, want[k].quoted.size());
      EXPECT_EQ(num, want[k].numbers.size());
    }
  }
}

}  // namespace
}  // namespace tl::wire::lwm2m::link
