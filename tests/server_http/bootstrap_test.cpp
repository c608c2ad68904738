#include "fixture.hpp"

namespace tl::server::http::test {
namespace {

using Bootstrap = HttpTest;

TEST_F(Bootstrap, PutGetListDelete) {
  const std::string body = R"({"servers":[{"uri":"coap://lwm2m.example:5683",
    "security_mode":"nosec","short_server_id":1,"lifetime":300,"binding":"UQ"}]})";
  auto r = put("/api/bootstrap/dev-9", body);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.json()["endpoint"], "dev-9");
  EXPECT_EQ(r.json()["config"], nlohmann::json::parse(R"({"servers":[{"uri":"coap://lwm2m.example:5683",
    "security_mode":"nosec","short_server_id":1,"lifetime":300,"binding":"UQ"}]})"));
  r = get("/api/bootstrap/dev-9");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.json()["config"]["servers"][0]["binding"], "UQ");
  EXPECT_EQ(put("/api/bootstrap/dev-9", body).status, 200u);  // replaced
  r = get("/api/bootstrap");
  ASSERT_EQ(r.json().size(), 1u);
  EXPECT_EQ(r.json()[0]["endpoint"], "dev-9");
  EXPECT_EQ(del("/api/bootstrap/dev-9").status, 200u);
  EXPECT_EQ(get("/api/bootstrap/dev-9").status, 404u);
  EXPECT_EQ(del("/api/bootstrap/dev-9").status, 404u);
  store_->flush();
  const auto audit = store_->audit_log(10);
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, "bootstrap-delete");
  EXPECT_EQ(audit[2].action, "bootstrap-config");
  EXPECT_EQ(audit[2].actor, "http:tester");
}

TEST_F(Bootstrap, PskGeneratedWithDefaults) {
  auto r = put("/api/bootstrap/dev-9",
               R"({"servers":[{"uri":"coaps://lwm2m.example:5684","short_server_id":7,"psk":"generate"}]})");
  ASSERT_EQ(r.status, 201u) << r.body;
  const auto server = r.json()["config"]["servers"][0];
  EXPECT_EQ(server["security_mode"], "psk");
  EXPECT_EQ(server["psk_identity"], "dev-9");
  EXPECT_EQ(server["lifetime"], 86400);
  EXPECT_EQ(server["binding"], "U");
  const std::string psk = server["psk"];
  EXPECT_EQ(psk.size(), 32u);
  EXPECT_EQ(psk.find_first_not_of("0123456789abcdef"), std::string::npos);
  r = put("/api/bootstrap/dev-10",
          R"({"servers":[{"uri":"coaps://h","short_server_id":7,"psk":"generate"}]})");
  EXPECT_NE(r.json()["config"]["servers"][0]["psk"], psk);
  r = put("/api/bootstrap/dev-11", R"({"servers":[{"uri":"coaps://h","short_server_id":7,
    "psk_identity":"id-11","psk":"00112233AABB"}]})");
  ASSERT_EQ(r.status, 201u);
  EXPECT_EQ(r.json()["config"]["servers"][0]["psk"], "00112233aabb");
}

TEST_F(Bootstrap, InvalidConfigsAre400AndNothingIsStored) {
  const char* bad[] = {
      "{",
      "[]",
      "{}",
      R"({"servers":[]})",
      R"({"servers":[{"uri":"http://x","short_server_id":1}]})",
      R"({"servers":[{"uri":"coap://","short_server_id":1}]})",
      R"({"servers":[{"uri":"coap://x","short_server_id":0}]})",
      R"({"servers":[{"uri":"coap://x","short_server_id":"1"}]})",
      R"({"servers":[{"uri":"coap://x","short_server_id":1},{"uri":"coap://y","short_server_id":1}]})",
      R"({"servers":[{"uri":"coap://x","short_server_id":1,"security_mode":"psk","psk":"generate"}]})",
      R"({"servers":[{"uri":"coaps://x","short_server_id":1,"security_mode":"nosec"}]})",
      R"({"servers":[{"uri":"coaps://x","short_server_id":1}]})",
      R"({"servers":[{"uri":"coaps://x","short_server_id":1,"psk":"xyz"}]})",
      R"({"servers":[{"uri":"coap://x","short_server_id":1,"psk":"00"}]})",
      R"({"servers":[{"uri":"coap://x","short_server_id":1,"lifetime":0}]})",
      R"({"servers":[{"uri":"coap://x","short_server_id":1,"binding":"X"}]})",
      R"({"servers":[{"uri":"coap://x","short_server_id":1,"extra":1}]})",
      R"({"servers":[{"uri":"coap://x","short_server_id":1}],"extra":true})",
  };
  for (const char* body : bad) {
    auto r = put("/api/bootstrap/dev-9", body);
    EXPECT_EQ(r.status, 400u) << body;
    EXPECT_TRUE(r.json().contains("error")) << body;
  }
  EXPECT_EQ(send("PUT", "/api/bootstrap/dev-9", "servers=1", "text/plain").status, 415u);
  EXPECT_EQ(send("POST", "/api/bootstrap/dev-9", "{}").status, 405u);
  store_->flush();
  EXPECT_TRUE(store_->bootstrap_configs().empty());
  EXPECT_TRUE(store_->audit_log(10).empty());
  EXPECT_EQ(get("/api/bootstrap").json().size(), 0u);
}

}  // namespace
}  // namespace tl::server::http::test
