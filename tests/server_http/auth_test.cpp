#include "fixture.hpp"

namespace tl::server::http::test {
namespace {

using AuthTest = HttpTest;

TEST_F(AuthTest, HealthNeedsNoToken) {
  auto r = request(server_->port(), "GET", "/health");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.json()["status"], "ok");
  EXPECT_EQ(r.json()["devices"], 3);
}

TEST_F(AuthTest, MissingTokenIs401WithHowToGetOne) {
  for (const std::string target : {"/api/clients", "/metrics", "/api/audit", "/api/event",
                                   "/api/bootstrap", "/api/nothing-here"}) {
    auto r = request(server_->port(), "GET", target);
    EXPECT_EQ(r.status, 401u) << target;
    EXPECT_EQ(r.headers["www-authenticate"].rfind("Bearer", 0), 0u) << target;
    const auto body = r.json();
    EXPECT_EQ(body["error"], "missing bearer token");
    EXPECT_NE(body["hint"].get<std::string>().find("tinyloop server token add NAME"),
              std::string::npos);
  }
}

TEST_F(AuthTest, WrongTokenIs401) {
  auto r = request(server_->port(), "GET", "/api/clients", "",
                         {{"Authorization", "Bearer not-the-token"}});
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(r.json()["error"], "invalid bearer token");
  auto basic = request(server_->port(), "GET", "/api/clients", "",
                             {{"Authorization", "Basic " + token_}});
  EXPECT_EQ(basic.status, 401u);
}

TEST_F(AuthTest, RightTokenPassesAndSchemeIsCaseInsensitive) {
  EXPECT_EQ(get("/api/clients").status, 200u);
  auto r = request(server_->port(), "GET", "/api/clients", "",
                         {{"Authorization", "bearer " + token_}});
  EXPECT_EQ(r.status, 200u);
}

TEST_F(AuthTest, RevokedByTheCommandLineIsRefusedAtOnce) {
  const std::string secret = tokens_->add("temporary");
  const Headers h = {{"Authorization", "Bearer " + secret}};
  EXPECT_EQ(request(server_->port(), "GET", "/api/clients", "", h).status, 200u);
  const std::string text = token_revoke(dir_, "temporary");  // another TokenStore, same file
  EXPECT_NE(text.find("temporary"), std::string::npos);
  EXPECT_EQ(request(server_->port(), "GET", "/api/clients", "", h).status, 401u);
  EXPECT_EQ(get("/api/clients").status, 200u);  // the other token stays
}

TEST_F(AuthTest, AddedByTheCommandLineIsAcceptedAtOnce) {
  const std::string text = token_add(dir_, "ci");
  // The secret is the indented line of the text.
  const auto start = text.find("\n\n  ") + 4;
  const std::string secret = text.substr(start, text.find('\n', start) - start);
  EXPECT_EQ(secret.size(), 43u);
  EXPECT_EQ(request(server_->port(), "GET", "/api/clients", "",
                    {{"Authorization", "Bearer " + secret}})
                .status,
            200u);
}

}  // namespace
}  // namespace tl::server::http::test
