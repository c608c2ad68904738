#include <gtest/gtest.h>

#include "server/http/links.hpp"
#include "server/http/nodes.hpp"

namespace tl::server::http {
namespace {

using store::Path;
using store::Value;
using store::ValueType;

Value convert(const char* json, std::optional<ValueType> type) {
  auto v = value_from_json(Json::parse(json), type);
  EXPECT_TRUE(std::holds_alternative<Value>(v)) << json;
  return std::holds_alternative<Value>(v) ? std::get<Value>(v) : Value{};
}
bool rejects(const char* json, std::optional<ValueType> type) {
  return std::holds_alternative<std::string>(value_from_json(Json::parse(json), type));
}

TEST(Values, EachTypeConverts) {
  EXPECT_EQ(convert("\"abc\"", ValueType::string), Value{std::string("abc")});
  EXPECT_EQ(convert("-5", ValueType::integer), Value{std::int64_t{-5}});
  EXPECT_EQ(convert("9223372036854775807", ValueType::integer),
            Value{std::int64_t{9223372036854775807}});
  EXPECT_EQ(convert("18446744073709551615", ValueType::unsigned_integer),
            Value{std::uint64_t{18446744073709551615u}});
  EXPECT_EQ(convert("1.25", ValueType::floating), Value{1.25});
  EXPECT_EQ(convert("3", ValueType::floating), Value{3.0});
  EXPECT_EQ(convert("true", ValueType::boolean), Value{true});
  EXPECT_EQ(convert("\"00ff\"", ValueType::opaque), (Value{store::Opaque{0x00, 0xFF}}));
  EXPECT_EQ(convert("1700000000", ValueType::time), Value{store::Time{1700000000}});
  EXPECT_EQ(convert("\"3:0\"", ValueType::objlnk), (Value{store::ObjLink{3, 0}}));
  EXPECT_EQ(convert(R"({"objectId":5,"objectInstanceId":1})", ValueType::objlnk),
            (Value{store::ObjLink{5, 1}}));
  // Inferred.
  EXPECT_EQ(convert("\"x\"", std::nullopt), Value{std::string("x")});
  EXPECT_EQ(convert("7", std::nullopt), Value{std::int64_t{7}});
  EXPECT_EQ(convert("-7", std::nullopt), Value{std::int64_t{-7}});
  EXPECT_EQ(convert("7.5", std::nullopt), Value{7.5});
  EXPECT_EQ(convert("false", std::nullopt), Value{false});
}

TEST(Values, WrongValuesAreRejected) {
  EXPECT_TRUE(rejects("1", ValueType::string));
  EXPECT_TRUE(rejects("1.5", ValueType::integer));
  EXPECT_TRUE(rejects("9223372036854775808", ValueType::integer));
  EXPECT_TRUE(rejects("-1", ValueType::unsigned_integer));
  EXPECT_TRUE(rejects("\"1\"", ValueType::floating));
  EXPECT_TRUE(rejects("1", ValueType::boolean));
  EXPECT_TRUE(rejects("\"0g\"", ValueType::opaque));
  EXPECT_TRUE(rejects("\"abc\"", ValueType::opaque));
  EXPECT_TRUE(rejects("1.5", ValueType::time));
  EXPECT_TRUE(rejects("\"3\"", ValueType::objlnk));
  EXPECT_TRUE(rejects("\"3:70000\"", ValueType::objlnk));
  EXPECT_TRUE(rejects("null", std::nullopt));
  EXPECT_TRUE(rejects("[1]", std::nullopt));
}

TEST(Values, ToJson) {
  EXPECT_EQ(value_to_json(Value{store::Opaque{0xAB}}), "ab");
  EXPECT_EQ(value_to_json((Value{store::ObjLink{3, 1}})), "3:1");
  EXPECT_EQ(value_to_json(Value{store::Time{12}}), 12);
  EXPECT_EQ(value_to_json(Value{std::uint64_t{5}}), 5);
  EXPECT_TRUE(value_to_json(Value{std::numeric_limits<double>::infinity()}).is_null());
}

TEST(Nodes, WriteBodiesForEachDepth) {
  auto ok = [](Path target, const char* body) {
    auto r = samples_from_node(target, Json::parse(body));
    EXPECT_TRUE(std::holds_alternative<std::vector<store::Sample>>(r)) << body;
    return std::holds_alternative<std::vector<store::Sample>>(r)
               ? std::get<std::vector<store::Sample>>(r)
               : std::vector<store::Sample>{};
  };
  auto s = ok(Path::of(4, 3, 0, 7, 2), R"({"kind":"resourceInstance","id":2,"value":3300})");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].path, Path::of(4, 3, 0, 7, 2));
  EXPECT_EQ(s[0].value, Value{std::int64_t{3300}});  // DDF: Integer
  s = ok(Path::of(3, 3, 0, 13), R"({"value":1700000000})");
  EXPECT_EQ(s[0].value, Value{store::Time{1700000000}});  // DDF: Time
  s = ok(Path::of(3, 3, 0, 7), R"({"kind":"multiResource","id":7,"type":"integer","values":{}})");
  EXPECT_TRUE(s.empty());
  s = ok(Path::of(2, 3, 0), R"({"resources":[{"id":14,"value":"+01"},{"id":15,"value":"Europe/Paris"}]})");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].path, Path::of(3, 3, 0, 15));
  s = ok(Path::of(3, 60000, 0, 1), R"({"value":"unknown object: inferred"})");
  EXPECT_EQ(s[0].value, Value{std::string("unknown object: inferred")});
  s = ok(Path::of(1, 3303), R"({"kind":"instance","id":4,"resources":[{"id":5700,"value":1}]})");
  EXPECT_EQ(s[0].path, Path::of(3, 3303, 4, 5700));
  EXPECT_EQ(s[0].value, Value{1.0});
}

TEST(Nodes, BadBodiesSayWhy) {
  auto problem = [](Path target, const char* body) {
    auto r = samples_from_node(target, Json::parse(body));
    EXPECT_TRUE(std::holds_alternative<Problem>(r)) << body;
    return std::holds_alternative<Problem>(r) ? std::get<Problem>(r).error : std::string{};
  };
  EXPECT_NE(problem(Path::of(3, 3, 0, 9), R"({"value":"x"})").find("/3/0/9"), std::string::npos);
  EXPECT_NE(problem(Path::of(3, 3, 0, 9), R"({"id":1,"value":1})").find("does not match"),
            std::string::npos);
  problem(Path::of(3, 3, 0, 7), R"({"kind":"multiResource","values":{"a":1}})");
  problem(Path::of(3, 3, 0, 7), R"({"kind":"multiResource","values":[1]})");
  problem(Path::of(3, 3, 0, 7), R"({"kind":"instance","resources":[]})");
  problem(Path::of(2, 3, 0), R"({"kind":"instance","resources":[{"value":1}]})");
  problem(Path::of(2, 3, 0), R"({"kind":"instance","resources":{}})");
  problem(Path::of(2, 3, 0), R"({"kind":"instance","id":1,"resources":[]})");
  problem(Path::of(1, 3), R"({"kind":"instance","id":70000,"resources":[]})");
  problem(Path(), R"({"value":1})");
  problem(Path::of(3, 3, 0, 9), "5");
}

TEST(Nodes, ReadNodesFromSamples) {
  const std::vector<store::Sample> samples = {
      {1, Path::of(3, 3303, 1, 5700), 0, Value{20.0}},
      {1, Path::of(3, 3303, 0, 5700), 0, Value{21.5}},
      {1, Path::of(3, 3303, 0, 5701), 0, Value{std::string("Cel")}},
  };
  EXPECT_EQ(node_from_samples(Path::of(1, 3303), samples), Json::parse(R"({"kind":"obj","id":3303,
    "instances":[{"kind":"instance","id":0,"resources":[
      {"kind":"singleResource","id":5700,"type":"float","value":21.5},
      {"kind":"singleResource","id":5701,"type":"string","value":"Cel"}]},
     {"kind":"instance","id":1,"resources":[
      {"kind":"singleResource","id":5700,"type":"float","value":20.0}]}]})"));
  EXPECT_TRUE(node_from_samples(Path::of(3, 3303, 0, 5702), samples).is_null());
  EXPECT_EQ(node_from_samples(Path::of(3, 3, 0, 7), {}),
            Json::parse(R"({"kind":"multiResource","id":7,"type":"integer","values":{}})"));
}

TEST(Links, ParsesDevicesLinkFormat) {
  const auto links = parse_links(
      "</>;rt=\"oma.lwm2m\";ct=110, </1/0>,</3/0>;ver=1.1,</5>;bare,</x;y>;a=\"1,2\",<broken");
  ASSERT_EQ(links.size(), 5u);
  EXPECT_EQ(links[0].url, "/");
  EXPECT_EQ(links[0].attributes,
            (std::vector<std::pair<std::string, std::string>>{{"rt", "oma.lwm2m"}, {"ct", "110"}}));
  EXPECT_EQ(links[1].url, "/1/0");
  EXPECT_EQ(links[2].attributes[0].second, "1.1");
  EXPECT_EQ(links[3].attributes[0], (std::pair<std::string, std::string>{"bare", ""}));
  EXPECT_EQ(links[4].url, "/x;y");
  EXPECT_EQ(links[4].attributes[0].second, "1,2");
  EXPECT_TRUE(parse_links("").empty());
  EXPECT_TRUE(parse_links(",,,<").empty());
}

}  // namespace
}  // namespace tl::server::http
