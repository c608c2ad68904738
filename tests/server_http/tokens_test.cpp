#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "fixture.hpp"
#include "server/http/crypto.hpp"
#include "server/http/tokens.hpp"

namespace tl::server::http::test {
namespace {

class TokenFile : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_temp_dir(); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string file_text() const {
    std::ifstream in(dir_ / "tokens.json");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::filesystem::path dir_;
};

TEST_F(TokenFile, RoundTripKeepsOnlyHashes) {
  std::string secret;
  {
    TokenStore store(dir_);
    secret = store.add("alice");
    store.add("bob");
    EXPECT_EQ(secret.size(), 43u);  // 32 bytes, base64url without padding
    EXPECT_EQ(secret.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
  }
  const std::string text = file_text();
  EXPECT_EQ(text.find(secret), std::string::npos);
  EXPECT_NE(text.find(to_hex(sha256(secret))), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "tokens.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  TokenStore reopened(dir_);
  const auto list = reopened.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "alice");
  EXPECT_EQ(list[1].name, "bob");
  EXPECT_GT(list[0].created_ms, 0);
  EXPECT_EQ(reopened.verify("Bearer " + secret), "alice");
  EXPECT_EQ(reopened.verify("Bearer " + secret + "x"), std::nullopt);
  EXPECT_EQ(reopened.verify(secret), std::nullopt);
  EXPECT_EQ(reopened.verify(""), std::nullopt);
  EXPECT_TRUE(reopened.revoke("alice"));
  EXPECT_FALSE(reopened.revoke("alice"));
  EXPECT_EQ(TokenStore(dir_).verify("Bearer " + secret), std::nullopt);
}

TEST_F(TokenFile, SecretsDiffer) {
  TokenStore store(dir_);
  EXPECT_NE(store.add("a"), store.add("b"));
}

TEST_F(TokenFile, BadNamesAndDuplicatesAreRefused) {
  TokenStore store(dir_);
  EXPECT_THROW(store.add(""), TokenError);
  EXPECT_THROW(store.add("has space"), TokenError);
  EXPECT_THROW(store.add(std::string(65, 'a')), TokenError);
  store.add("x");
  EXPECT_THROW(store.add("x"), TokenError);
}

TEST_F(TokenFile, CommandLineFunctions) {
  EXPECT_NE(token_list(dir_).find("No tokens"), std::string::npos);
  const std::string added = token_add(dir_, "ops");
  EXPECT_NE(added.find("Added token 'ops'"), std::string::npos);
  EXPECT_NE(added.find("Authorization: Bearer"), std::string::npos);
  const std::string list = token_list(dir_);
  EXPECT_EQ(list.rfind("NAME", 0), 0u);
  EXPECT_NE(list.find("\nops "), std::string::npos);
  EXPECT_THROW(token_add(dir_, "ops"), TokenError);
  EXPECT_NE(token_revoke(dir_, "ops").find("Revoked token 'ops'"), std::string::npos);
  EXPECT_THROW(token_revoke(dir_, "ops"), TokenError);
}

TEST_F(TokenFile, MalformedFileIsAnErrorNamingTheFile) {
  {
    std::ofstream out(dir_ / "tokens.json");
    out << "{not json";
  }
  try {
    TokenStore store(dir_);
    FAIL() << "no error";
  } catch (const TokenError& error) {
    EXPECT_NE(std::string(error.what()).find("tokens.json"), std::string::npos);
  }
}

TEST_F(TokenFile, InMemoryStore) {
  TokenStore store;
  const auto secret = store.add("fuzz");
  EXPECT_EQ(store.verify("Bearer " + secret), "fuzz");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "tokens.json"));
}

TEST(Crypto, HexAndConstantTimeEqual) {
  std::vector<std::uint8_t> bytes;
  EXPECT_TRUE(from_hex("00ff7A", bytes));
  EXPECT_EQ(bytes, (std::vector<std::uint8_t>{0x00, 0xFF, 0x7A}));
  EXPECT_EQ(to_hex(bytes), "00ff7a");
  EXPECT_FALSE(from_hex("0", bytes));
  EXPECT_FALSE(from_hex("zz", bytes));
  const std::vector<std::uint8_t> a{1, 2, 3}, b{1, 2, 3}, c{1, 2, 4}, d{1, 2};
  EXPECT_TRUE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal(a, c));
  EXPECT_FALSE(constant_time_equal(a, d));
  // FIPS 180-2 test vector.
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::vector<std::uint8_t> f{0xfb, 0xff};
  EXPECT_EQ(base64url(f), "-_8");
}

}  // namespace
}  // namespace tl::server::http::test
