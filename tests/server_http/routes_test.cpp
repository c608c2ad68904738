#include "fixture.hpp"

namespace tl::server::http::test {
namespace {

using core::Operation;
using core::Outcome;
using core::OutcomeStatus;
using store::Path;
using Routes = HttpTest;

Outcome done(std::uint8_t code, std::vector<store::Sample> values = {}) {
  Outcome o;
  o.status = OutcomeStatus::done;
  o.coap_code = code;
  o.values = std::move(values);
  return o;
}

store::Sample sample(Path path, store::Value value) { return store::Sample{1, path, 0, std::move(value)}; }

TEST_F(Routes, ListClientsWithPagination) {
  auto r = get("/api/clients");
  ASSERT_EQ(r.status, 200u);
  auto body = r.json();
  ASSERT_TRUE(body.is_array());
  ASSERT_EQ(body.size(), 3u);
  EXPECT_EQ(body[0]["endpoint"], "dev-1");
  EXPECT_EQ(r.headers.count("x-next-after"), 0u);

  r = get("/api/clients?limit=2");
  ASSERT_EQ(r.json().size(), 2u);
  EXPECT_EQ(r.headers["x-next-after"], "dev-2");
  r = get("/api/clients?limit=2&after=dev-2");
  ASSERT_EQ(r.json().size(), 1u);
  EXPECT_EQ(r.json()[0]["endpoint"], "other-3");
  r = get("/api/clients?prefix=dev");
  EXPECT_EQ(r.json().size(), 2u);
  EXPECT_EQ(get("/api/clients?limit=0").status, 400u);
  EXPECT_EQ(get("/api/clients?limit=abc").status, 400u);
  EXPECT_EQ(get("/api/clients?limit=1001").status, 400u);
}

TEST_F(Routes, RegistrationInLeshansShape) {
  auto r = get("/api/clients/dev-1");
  ASSERT_EQ(r.status, 200u);
  const auto j = r.json();
  EXPECT_EQ(j["endpoint"], "dev-1");
  EXPECT_EQ(j["registrationId"], "r1");
  EXPECT_EQ(j["registrationDate"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(j["lastUpdate"], "2023-11-14T22:14:20.500Z");
  EXPECT_EQ(j["address"], "127.0.0.1:56001");
  EXPECT_EQ(j["lwM2mVersion"], "1.1");
  EXPECT_EQ(j["lifetime"], 300);
  EXPECT_EQ(j["bindingMode"], "U");
  EXPECT_EQ(j["queuemode"], false);
  EXPECT_EQ(j["sleeping"], false);
  EXPECT_EQ(j["secure"], false);
  EXPECT_EQ(j["rootPath"], "/");
  ASSERT_EQ(j["objectLinks"].size(), 6u);
  EXPECT_EQ(j["objectLinks"][0]["url"], "/");
  EXPECT_EQ(j["objectLinks"][0]["attributes"]["rt"], "oma.lwm2m");
  EXPECT_EQ(j["objectLinks"][0]["attributes"]["ct"], "110");
  EXPECT_EQ(j["objectLinks"][2]["url"], "/3/0");
  EXPECT_EQ(j["objectLinks"][2]["attributes"]["ver"], "1.1");

  const auto missing = get("/api/clients/nobody");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_TRUE(missing.json().contains("error"));
  EXPECT_TRUE(missing.json().contains("hint"));
}

TEST_F(Routes, EndpointIsPercentDecoded) {
  api_->add_device(make_device("urn:imei:1 2", 9));
  EXPECT_EQ(get("/api/clients/urn%3Aimei%3A1%202").json()["endpoint"], "urn:imei:1 2");
}

TEST_F(Routes, ObjectTreeNamedFromTheDdf) {
  auto r = get("/api/clients/dev-1/objects");
  ASSERT_EQ(r.status, 200u);
  const auto j = r.json();
  ASSERT_EQ(j.size(), 4u);  // 1, 3, 3303, 33650
  EXPECT_EQ(j[1]["id"], 3);
  EXPECT_EQ(j[1]["name"], "Device");
  EXPECT_EQ(j[1]["version"], "1.1");
  EXPECT_EQ(j[1]["instances"], nlohmann::json::array({0}));
  const auto& resources = j[1]["resources"];
  ASSERT_FALSE(resources.empty());
  EXPECT_EQ(resources[0]["id"], 0);
  EXPECT_EQ(resources[0]["name"], "Manufacturer");
  EXPECT_EQ(resources[0]["type"], "string");
  EXPECT_EQ(resources[0]["operations"], "R");
  EXPECT_EQ(j[2]["name"], "Temperature");
  EXPECT_EQ(j[2]["instances"], nlohmann::json::array({0, 1}));
  EXPECT_EQ(j[3]["instances"], nlohmann::json::array());
  EXPECT_EQ(get("/api/clients/nobody/objects").status, 404u);
}

TEST_F(Routes, ReadSingleResource) {
  api_->set_script([](const std::string&, const core::DeviceRequest& req) {
    return done(0x45, {sample(req.path, std::string("Tinyloop"))});
  });
  auto r = get("/api/clients/dev-1/3/0/0?format=TEXT&timeout=7");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"status":"CONTENT","valid":true,"success":true,
    "failure":false,"content":{"kind":"singleResource","id":0,"type":"string","value":"Tinyloop"}})"));
  const auto received = api_->received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].first, "dev-1");
  EXPECT_EQ(received[0].second.op, Operation::read);
  EXPECT_EQ(received[0].second.path, Path::of(3, 3, 0, 0));
  EXPECT_EQ(received[0].second.format, core::Format::text);
  EXPECT_EQ(received[0].second.timeout_ms, 7000u);
}

TEST_F(Routes, ReadInstanceAndMultipleResource) {
  api_->set_script([](const std::string&, const core::DeviceRequest&) {
    return done(0x45, {sample(Path::of(3, 3, 0, 0), std::string("Tinyloop")),
                       sample(Path::of(4, 3, 0, 7, 0), std::int64_t{3800}),
                       sample(Path::of(4, 3, 0, 7, 1), std::int64_t{5000}),
                       sample(Path::of(3, 3, 0, 13), store::Time{1700000000})});
  });
  auto r = get("/api/clients/dev-1/3/0");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.json()["content"], nlohmann::json::parse(R"({"kind":"instance","id":0,"resources":[
    {"kind":"singleResource","id":0,"type":"string","value":"Tinyloop"},
    {"kind":"multiResource","id":7,"type":"integer","values":{"0":3800,"1":5000}},
    {"kind":"singleResource","id":13,"type":"time","value":1700000000}]})"));
  r = get("/api/clients/dev-1/3");
  EXPECT_EQ(r.json()["content"]["kind"], "obj");
  EXPECT_EQ(r.json()["content"]["instances"][0]["id"], 0);
  r = get("/api/clients/dev-1/3/0/7/1");
  EXPECT_EQ(r.json()["content"], nlohmann::json::parse(
                                     R"({"kind":"resourceInstance","id":1,"type":"integer","value":5000})"));
}

TEST_F(Routes, ReadParameterErrors) {
  EXPECT_EQ(get("/api/clients/dev-1/3/0/0?format=XML").status, 400u);
  EXPECT_EQ(get("/api/clients/dev-1/3/0/0?timeout=0").status, 400u);
  EXPECT_EQ(get("/api/clients/dev-1/3/0/0?timeout=x").status, 400u);
  EXPECT_EQ(get("/api/clients/dev-1/65535").status, 400u);
  EXPECT_EQ(get("/api/clients/dev-1/3/0/0/0/0").status, 404u);
  EXPECT_EQ(get("/api/clients/dev-1/three").status, 404u);
  EXPECT_EQ(get("/api/clients/nobody/3/0/0").status, 404u);
  EXPECT_TRUE(api_->received().empty());
}

TEST_F(Routes, OutcomesMapToStatuses) {
  auto with = [&](Outcome o) {
    api_->set_script([o](const std::string&, const core::DeviceRequest&) { return o; });
    return get("/api/clients/dev-1/3/0/0");
  };
  Outcome o;
  o.status = OutcomeStatus::timeout;
  auto r = with(o);
  EXPECT_EQ(r.status, 504u);
  EXPECT_NE(r.json()["error"].get<std::string>().find("did not answer"), std::string::npos);
  o.status = OutcomeStatus::queued;
  o.request_id = 77;
  r = with(o);
  EXPECT_EQ(r.status, 202u);
  EXPECT_EQ(r.json()["requestId"], 77);
  o.status = OutcomeStatus::expired;
  EXPECT_EQ(with(o).status, 504u);
  o.status = OutcomeStatus::not_registered;
  EXPECT_EQ(with(o).status, 404u);
  o.status = OutcomeStatus::bad_request;
  o.detail = "no such format";
  r = with(o);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.json()["error"], "no such format");
  o.status = OutcomeStatus::failed;
  EXPECT_EQ(with(o).status, 502u);
  o = done(0x84);
  o.detail = "no such resource";
  r = with(o);
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"status":"NOT_FOUND","valid":true,"success":false,
    "failure":true,"errormessage":"no such resource"})"));
}

TEST_F(Routes, WriteSingleResourceWithAndWithoutType) {
  auto r = put("/api/clients/dev-1/3303/0/5700",
               R"({"kind":"singleResource","id":5700,"type":"float","value":21.5})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["status"], "CHANGED");
  EXPECT_EQ(r.json()["success"], true);
  r = put("/api/clients/dev-1/3303/0/5700", R"({"id":5700,"value":21})");  // DDF: Float
  ASSERT_EQ(r.status, 200u);
  const auto received = api_->received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].second.op, Operation::write_replace);
  ASSERT_EQ(received[0].second.values.size(), 1u);
  EXPECT_EQ(received[0].second.values[0].path, Path::of(3, 3303, 0, 5700));
  EXPECT_EQ(received[0].second.values[0].value, store::Value{21.5});
  EXPECT_EQ(received[1].second.values[0].value, store::Value{21.0});
}

TEST_F(Routes, WriteInstancePartialUpdateAndMultipleResource) {
  auto r = send("PUT", "/api/clients/dev-1/3/0?replace=false", R"({"kind":"instance","id":0,
    "resources":[{"kind":"singleResource","id":14,"value":"+02:00"},
                 {"kind":"multiResource","id":7,"values":{"0":3300,"2":4000}}]})");
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto req = api_->received().at(0).second;
  EXPECT_EQ(req.op, Operation::write_update);
  ASSERT_EQ(req.values.size(), 3u);
  EXPECT_EQ(req.values[0].path, Path::of(3, 3, 0, 14));
  EXPECT_EQ(req.values[0].value, store::Value{std::string("+02:00")});
  EXPECT_EQ(req.values[1].path, Path::of(4, 3, 0, 7, 0));
  EXPECT_EQ(req.values[1].value, store::Value{std::int64_t{3300}});
  EXPECT_EQ(req.values[2].path, Path::of(4, 3, 0, 7, 2));
}

TEST_F(Routes, BadWritesAre400AndNothingIsSentOrAudited) {
  const std::string target = "/api/clients/dev-1/3/0/9";  // Battery Level: Integer
  EXPECT_EQ(put(target, "{\"value\": 1.5}").status, 400u);
  EXPECT_EQ(put(target, "{\"value\": \"x\"}").status, 400u);
  EXPECT_EQ(put(target, "{\"id\": 8, \"value\": 1}").status, 400u);
  EXPECT_EQ(put(target, "{\"type\": \"nope\", \"value\": 1}").status, 400u);
  EXPECT_EQ(put(target, "{\"value\": ").status, 400u);
  EXPECT_EQ(put(target, "[1,2]").status, 400u);
  EXPECT_EQ(put(target, "{}").status, 400u);
  EXPECT_EQ(put("/api/clients/dev-1/3", R"({"value":1})").status, 400u);
  EXPECT_EQ(send("PUT", target, "value=1", "application/x-www-form-urlencoded").status, 415u);
  EXPECT_EQ(send("PUT", target + "?replace=maybe", "{\"value\":1}").status, 400u);
  EXPECT_TRUE(api_->received().empty());
  store_->flush();
  EXPECT_TRUE(store_->audit_log(10).empty());
}

TEST_F(Routes, MutatingRequestsAreAudited) {
  ASSERT_EQ(put("/api/clients/dev-1/3/0/9", R"({"value":50})").status, 200u);
  store_->flush();
  auto r = get("/api/audit?limit=5");
  ASSERT_EQ(r.status, 200u);
  ASSERT_EQ(r.json().size(), 1u);
  EXPECT_EQ(r.json()[0]["actor"], "http:tester");
  EXPECT_EQ(r.json()[0]["action"], "write");
  EXPECT_EQ(r.json()[0]["detail"], "dev-1 /3/0/9 -> CHANGED");
  EXPECT_EQ(get("/api/audit?limit=0").status, 400u);
  ASSERT_EQ(get("/api/clients/dev-1/3/0/9").status, 200u);  // reads are not audited
  store_->flush();
  EXPECT_EQ(get("/api/audit").json().size(), 1u);
}

TEST_F(Routes, ExecuteCreateDelete) {
  auto r = send("POST", "/api/clients/dev-1/3/0/4", "0='now'", "text/plain");
  ASSERT_EQ(r.status, 200u) << r.body;
  r = send("POST", "/api/clients/dev-1/3303",
           R"({"kind":"instance","id":2,"resources":[{"id":5750,"value":"garage"}]})");
  ASSERT_EQ(r.status, 200u) << r.body;
  r = del("/api/clients/dev-1/3303/2");
  ASSERT_EQ(r.status, 200u);
  const auto received = api_->received();
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[0].second.op, Operation::execute);
  EXPECT_EQ(received[0].second.arguments, "0='now'");
  EXPECT_EQ(received[1].second.op, Operation::create);
  ASSERT_EQ(received[1].second.values.size(), 1u);
  EXPECT_EQ(received[1].second.values[0].path, Path::of(3, 3303, 2, 5750));
  EXPECT_EQ(received[2].second.op, Operation::delete_instance);
  EXPECT_EQ(received[2].second.path, Path::of(2, 3303, 2));

  EXPECT_EQ(send("POST", "/api/clients/dev-1/3303", R"({"kind":"instance","resources":[]})").status,
            400u);  // no id
  EXPECT_EQ(send("POST", "/api/clients/dev-1/3/0", "{}").status, 400u);
  EXPECT_EQ(send("POST", "/api/clients/dev-1/3/0/4", "{}", "application/json").status, 415u);
  EXPECT_EQ(del("/api/clients/dev-1/3/0/1").status, 400u);
  EXPECT_EQ(api_->received().size(), 3u);
}

TEST_F(Routes, DiscoverAttributesObserve) {
  api_->set_script([](const std::string&, const core::DeviceRequest& req) {
    Outcome o = done(req.op == Operation::discover ? 0x45 : 0x44);
    if (req.op == Operation::discover) o.link_format = "</3/0>,</3/0/1>;pmin=10,</3/0/7>;dim=2";
    if (req.op == Operation::observe) {
      o.coap_code = 0x45;
      o.values = {sample(Path::of(3, 3303, 0, 5700), 20.5)};
    }
    return o;
  });
  auto r = get("/api/clients/dev-1/3/0/discover");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.json()["objectLinks"].size(), 3u);
  EXPECT_EQ(r.json()["objectLinks"][1]["attributes"]["pmin"], "10");

  r = send("PUT", "/api/clients/dev-1/3303/0/5700/attributes?pmin=10&pmax=60&gt=20.5&st=", "", "");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto req = api_->received().back().second;
  EXPECT_EQ(req.op, Operation::write_attributes);
  EXPECT_EQ(req.attributes, (std::vector<std::string>{"gt=20.5", "pmax=60", "pmin=10", "st"}));
  EXPECT_EQ(send("PUT", "/api/clients/dev-1/3303/0/5700/attributes?color=red", "", "").status,
            400u);
  EXPECT_EQ(send("PUT", "/api/clients/dev-1/3303/0/5700/attributes?pmin=-1", "", "").status, 400u);
  EXPECT_EQ(send("PUT", "/api/clients/dev-1/3303/0/5700/attributes", "", "").status, 400u);

  r = send("POST", "/api/clients/dev-1/3303/0/5700/observe", "", "");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.json()["content"]["value"], 20.5);
  EXPECT_EQ(api_->received().back().second.op, Operation::observe);
  r = del("/api/clients/dev-1/3303/0/5700/observe");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(api_->received().back().second.op, Operation::cancel_observe);
  EXPECT_EQ(send("PUT", "/api/clients/dev-1/3303/0/5700/observe", "", "").status, 405u);
}

TEST_F(Routes, StoredSeriesAndLatestValues) {
  store::WriteBatch batch;
  for (int i = 0; i < 5; ++i) {
    batch.append_value(1, Path::of(3, 33650, 0, 2001), 1000 + i, store::Value{double(i)});
  }
  batch.append_value(1, Path::of(3, 3, 0, 0), 900, store::Value{std::string("Tinyloop")});
  store_->submit(std::move(batch));
  store_->flush();
  auto r = get("/api/clients/dev-1/timeseries?path=/33650/0/2001&from=1001&to=1003");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"endpoint":"dev-1","path":"/33650/0/2001","samples":[
    {"t":1001,"type":"float","value":1.0},{"t":1002,"type":"float","value":2.0},
    {"t":1003,"type":"float","value":3.0}]})"));
  r = get("/api/clients/dev-1/timeseries?path=/33650/0/2001&limit=2&order=desc");
  ASSERT_EQ(r.json()["samples"].size(), 2u);
  EXPECT_EQ(r.json()["samples"][0]["t"], 1004);
  EXPECT_EQ(get("/api/clients/dev-1/timeseries").status, 400u);
  EXPECT_EQ(get("/api/clients/dev-1/timeseries?path=/x").status, 400u);
  EXPECT_EQ(get("/api/clients/dev-1/timeseries?path=/3/0").status, 400u);
  EXPECT_EQ(get("/api/clients/dev-1/timeseries?path=/3/0/0&from=yesterday").status, 400u);

  r = get("/api/clients/dev-1/values");
  ASSERT_EQ(r.status, 200u);
  ASSERT_EQ(r.json().size(), 2u);
  EXPECT_EQ(r.json()[0], nlohmann::json::parse(
                             R"({"path":"/3/0/0","time":900,"type":"string","value":"Tinyloop"})"));
  r = get("/api/clients/dev-1/values?path=/33650");
  ASSERT_EQ(r.json().size(), 1u);
  EXPECT_EQ(r.json()[0]["value"], 4.0);
  EXPECT_EQ(get("/api/clients/nobody/values").status, 404u);
}

TEST_F(Routes, PendingRequests) {
  store::WriteBatch batch;
  batch.put_request(store::PendingRequest{5, 1, store::RequestKind::write, Path::of(3, 3, 0, 14),
                                          "+01:00", 1000, 2000, store::RequestState::done, "2.04"});
  store_->submit(std::move(batch));
  store_->flush();
  api_->add_pending(store::PendingRequest{6, 1, store::RequestKind::read, Path::of(2, 3, 0), "",
                                          1500, 3000, store::RequestState::pending, ""});
  auto r = get("/api/clients/dev-1/requests");
  ASSERT_EQ(r.status, 200u);
  ASSERT_EQ(r.json().size(), 2u);
  EXPECT_EQ(r.json()[0]["id"], 5);
  EXPECT_EQ(r.json()[0]["state"], "done");
  EXPECT_EQ(r.json()[1]["state"], "pending");
  r = get("/api/requests/5");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.json()["kind"], "write");
  EXPECT_EQ(r.json()["path"], "/3/0/14");
  EXPECT_EQ(get("/api/requests/99").status, 404u);
  EXPECT_EQ(get("/api/requests/abc").status, 400u);
}

TEST_F(Routes, UnknownRoutesAndMethods) {
  EXPECT_EQ(get("/api/nothing").status, 404u);
  EXPECT_EQ(get("/nothing").status, 404u);
  EXPECT_EQ(get("/").status, 404u);
  auto r = send("PATCH", "/api/clients", "{}");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.headers["allow"], "GET");
  EXPECT_EQ(send("POST", "/health", "", "").status, 405u);
  EXPECT_EQ(del("/api/clients/dev-1").status, 405u);
  EXPECT_EQ(get("/api/clients/dev-1/3/0?x=%zz").status, 400u);
}

TEST_F(Routes, OversizeBodyIs413) {
  const std::string big(5000, 'x');
  auto r = send("PUT", "/api/clients/dev-1/3/0/0", "{\"value\":\"" + big + "\"}");
  EXPECT_EQ(r.status, 413u);
  EXPECT_TRUE(r.json().contains("error"));
  EXPECT_TRUE(api_->received().empty());
}

TEST_F(Routes, MalformedRequestIs400) {
  Connection c(server_->port());
  auto r = c.raw("GARBAGE\r\n\r\n");
  EXPECT_EQ(r.status, 400u);
}

TEST_F(Routes, KeepAliveServesSeveralRequests) {
  Connection c(server_->port());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(c.request("GET", "/api/clients/dev-1", "", auth()).status, 200u);
  }
}

TEST_F(Routes, MetricsCountResponses) {
  ASSERT_EQ(get("/api/clients").status, 200u);
  ASSERT_EQ(get("/api/clients/nobody").status, 404u);
  auto r = get("/metrics");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find("# TYPE tl_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(r.body.find("tl_http_requests_total{code=\"200\"} 1\n"), std::string::npos);
  EXPECT_NE(r.body.find("tl_http_requests_total{code=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(r.body.find("# TYPE tl_http_request_duration_seconds histogram\n"), std::string::npos);
  EXPECT_NE(r.body.find("tl_http_request_duration_seconds_count 2\n"), std::string::npos);
}

}  // namespace
}  // namespace tl::server::http::test
