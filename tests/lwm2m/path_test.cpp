#include "wire/lwm2m/path.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

namespace tl::wire::lwm2m {
namespace {

std::string format(const Path& p) {
  std::array<uint8_t, kMaxPathText> buf{};
  ByteWriter w(buf);
  EXPECT_EQ(format_path(p, w), Error::ok);
  return std::string(as_text(w.written()));
}

TEST(Path, ParsesEveryDepth) {
  EXPECT_EQ(*parse_path("/"), Path::root());
  EXPECT_EQ(*parse_path("/3"), Path::object(3));
  EXPECT_EQ(*parse_path("/3/0"), Path::instance(3, 0));
  EXPECT_EQ(*parse_path("/3/0/1"), Path::resource(3, 0, 1));
  EXPECT_EQ(*parse_path("/3/0/6/1"), Path::resource_instance(3, 0, 6, 1));
  EXPECT_EQ(*parse_path("33650/0/1"), Path::resource(33650, 0, 1));
}

TEST(Path, AcceptsLeadingZerosAndLimits) {
  EXPECT_EQ(*parse_path("/003/00"), Path::instance(3, 0));
  EXPECT_EQ(*parse_path("/65534/0"), Path::instance(65534, 0));
  EXPECT_EQ(*parse_path("/0000000000000000065534"), Path::object(65534));
}

TEST(Path, RejectsBadSyntaxAndRanges) {
  for (std::string_view bad : {"", "//", "/3/", "3/", "/3//0", "/a", "/3/0x1", "/-1", "/+1", "/ 3",
                               "/65535", "/65536", "/99999999999999999999999", "/1/2/3/4/5",
                               "/3/0/1/", "/3.0"}) {
    Result<Path> r = parse_path(bad);
    EXPECT_EQ(r.error(), Error::bad_path) << bad;
  }
}

TEST(Path, FormatsAndRoundTrips) {
  EXPECT_EQ(format(Path::root()), "/");
  EXPECT_EQ(format(Path::object(0)), "/0");
  EXPECT_EQ(format(Path::resource_instance(65534, 65534, 65534, 65534)),
            "/65534/65534/65534/65534");
  EXPECT_EQ(format(Path::resource(3303, 10, 5700)), "/3303/10/5700");
  for (std::string_view text : {"/1", "/1/22", "/1/22/333", "/1/22/333/4444", "/10000/9/99/999"}) {
    EXPECT_EQ(format(*parse_path(text)), text);
  }
}

TEST(Path, FormatReportsSmallBuffer) {
  std::array<uint8_t, 6> buf{};
  ByteWriter w(buf);
  EXPECT_EQ(format_path(Path::resource(3, 0, 1), w), Error::ok);
  EXPECT_EQ(format_path(Path::object(3), w), Error::buffer_too_small);
}

TEST(Path, ChildAndParent) {
  Path p = Path::root().child(3).child(0).child(6).child(1);
  EXPECT_EQ(p, Path::resource_instance(3, 0, 6, 1));
  EXPECT_EQ(p.child(9), p);
  EXPECT_EQ(p.parent(), Path::resource(3, 0, 6));
  EXPECT_EQ(p.parent().parent().parent().parent(), Path::root());
  EXPECT_EQ(Path::root().parent(), Path::root());
  EXPECT_EQ(Path::resource(3, 0, 6).parent().resource_id(), Path::kInvalidId);
}

TEST(Path, Contains) {
  EXPECT_TRUE(Path::root().contains(Path::resource(3, 0, 1)));
  EXPECT_TRUE(Path::object(3).contains(Path::object(3)));
  EXPECT_TRUE(Path::instance(3, 0).contains(Path::resource_instance(3, 0, 6, 1)));
  EXPECT_FALSE(Path::instance(3, 0).contains(Path::instance(3, 1)));
  EXPECT_FALSE(Path::resource(3, 0, 1).contains(Path::instance(3, 0)));
  EXPECT_FALSE(Path::object(3).contains(Path::root()));
}

TEST(Path, EqualityIgnoresLevelsBelowDepth) {
  Path a = Path::object(3);
  Path b = Path::object(3);
  b.ids[2] = 7;  // junk below the depth does not name anything
  EXPECT_EQ(a, b);
  EXPECT_FALSE(Path::object(3) == Path::instance(3, 0));
}

TEST(Path, OrdersParentsFirstThenById) {
  EXPECT_LT(Path::root(), Path::object(0));
  EXPECT_LT(Path::object(3), Path::instance(3, 0));
  EXPECT_LT(Path::instance(3, 0), Path::object(4));
  EXPECT_LT(Path::resource(3, 0, 2), Path::resource(3, 0, 10));
  EXPECT_LT(Path::resource_instance(3, 0, 6, 9), Path::resource(3, 0, 7));
  EXPECT_FALSE(Path::object(3) < Path::object(3));
  EXPECT_FALSE(Path::instance(3, 0) < Path::object(3));
}

TEST(Path, FromUriPathSegments) {
  std::string_view segs[] = {"3", "0", "1"};
  EXPECT_EQ(*path_from_segments(segs, 3), Path::resource(3, 0, 1));
  EXPECT_EQ(*path_from_segments(segs, 0), Path::root());
  std::string_view bad[] = {"3", "", "1"};
  EXPECT_EQ(path_from_segments(bad, 3).error(), Error::bad_path);
  std::string_view big[] = {"65535"};
  EXPECT_EQ(path_from_segments(big, 1).error(), Error::bad_path);
  std::string_view many[] = {"1", "2", "3", "4", "5"};
  EXPECT_EQ(path_from_segments(many, 5).error(), Error::bad_path);
  std::string_view word[] = {"rd"};
  EXPECT_EQ(path_from_segments(word, 1).error(), Error::bad_path);
}

// PathParser reads text fed in pieces exactly as parse_path reads the joined text, wherever it
// is split; with drop_trailing_slash as parse_path after one final '/' is removed.
TEST(PathParser, PiecesReadLikeTheJoinedText) {
  const std::string_view texts[] = {"",      "/",        "//",        "///",      "/3",      "3",
                                    "/3/",   "3/0/1",    "/3/0/1/",   "/3//0",    "//3",     "/3/0/6/1",
                                    "/1/2/3/4/5", "/65534/0", "/65535", "/003/00", "/3/a", "/3/0/1//", "x"};
  for (std::string_view text : texts) {
    for (size_t cut = 0; cut <= text.size(); ++cut) {
      for (bool drop : {false, true}) {
        PathParser p;
        p.feed(std::string_view(text.data(), cut));
        p.feed(std::string_view(text.data() + cut, text.size() - cut));
        std::string_view joined = text;
        if (drop && joined.size() > 1 && joined.back() == '/') joined.remove_suffix(1);
        Result<Path> want = parse_path(joined);
        Result<Path> got = p.finish(drop);
        ASSERT_EQ(got.ok(), want.ok()) << text << " cut " << cut << " drop " << drop;
        if (want) EXPECT_EQ(*got, *want) << text;
        else EXPECT_EQ(got.error(), want.error()) << text;
      }
    }
  }
}

}  // namespace
}  // namespace tl::wire::lwm2m
