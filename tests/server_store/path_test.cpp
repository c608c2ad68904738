#include "server/store/path.hpp"

#include <gtest/gtest.h>

namespace tl::server::store {
namespace {

TEST(Path, ParsesAndFormatsEveryDepth) {
  for (const char* text : {"/", "/3", "/3/0", "/3/0/1", "/3/0/1/2", "/65534/65534/65534/65534",
                           "/33650/0/5"}) {
    const auto parsed = Path::parse(text);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(parsed->to_string(), text);
    EXPECT_EQ(Path::from_packed(parsed->packed()), *parsed);
  }
  EXPECT_EQ(Path::parse("/3/0/")->to_string(), "/3/0");
  EXPECT_EQ(Path::parse("/3/0/1/2")->depth(), 4);
  EXPECT_EQ(Path::parse("/")->depth(), 0);
}

TEST(Path, RejectsMalformedText) {
  for (const char* text : {"", "3/0", "//", "/3//0", "/3/0//", "/a", "/3/-1", "/65535",
                           "/1/2/3/4/5", "/3/0x1", "/ 3"}) {
    EXPECT_FALSE(Path::parse(text)) << text;
  }
}

TEST(Path, KeepsIdsAndDepth) {
  const Path p = Path::of(3, 33650, 7, 12);
  EXPECT_EQ(p.depth(), 3);
  EXPECT_EQ(p.id(0), 33650);
  EXPECT_EQ(p.id(1), 7);
  EXPECT_EQ(p.id(2), 12);
  EXPECT_EQ(p.to_string(), "/33650/7/12");
}

TEST(Path, ParentSortsBeforeChildrenAndContainsThem) {
  const Path object = *Path::parse("/3");
  const Path instance = *Path::parse("/3/0");
  const Path resource = *Path::parse("/3/0/1");
  EXPECT_LT(object, instance);
  EXPECT_LT(instance, resource);
  EXPECT_LT(*Path::parse("/3/0/65534/65534"), *Path::parse("/3/1"));
  EXPECT_TRUE(object.contains(resource));
  EXPECT_TRUE(instance.contains(instance));
  EXPECT_FALSE(instance.contains(object));
  EXPECT_FALSE(instance.contains(*Path::parse("/3/1/0")));
  EXPECT_FALSE(object.contains(*Path::parse("/4")));
  EXPECT_TRUE(Path{}.contains(*Path::parse("/65534/65534/65534/65534")));
  EXPECT_EQ(Path{}.last_descendant(), ~std::uint64_t{0});
  EXPECT_EQ(resource.last_descendant(), resource.packed() | 0xFFFF);
  const Path deepest = *Path::parse("/3/0/1/0");
  EXPECT_EQ(deepest.last_descendant(), deepest.packed());
}

}  // namespace
}  // namespace tl::server::store
