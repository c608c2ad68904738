#include "fixture.hpp"
#include "server/http/router.hpp"

namespace tl::server::http::test {
namespace {

using Events = HttpTest;

core::Event event(core::EventKind kind, const std::string& endpoint) {
  core::Event e;
  e.kind = kind;
  e.endpoint = endpoint;
  e.time_ms = 1'700'000'000'000;
  return e;
}

TEST_F(Events, SubscriberReceivesEventsAsServerSentEvents) {
  EventReader reader(server_->port(), "/api/event", token_);
  ASSERT_NE(reader.read_until(": connected").find("text/event-stream"), std::string::npos);
  ASSERT_TRUE(wait_subscribers(1));
  api_->emit(event(core::EventKind::registered, "dev-1"));
  auto notification = event(core::EventKind::notification, "dev-2");
  notification.path = store::Path::of(3, 3303, 0, 5700);
  notification.values = {store::Sample{2, notification.path, 5, 21.5}};
  api_->emit(notification);
  const std::string text = reader.read_until("event: NOTIFICATION");
  EXPECT_NE(text.find("event: REGISTRATION\ndata: {"), std::string::npos);
  EXPECT_NE(text.find("\"registrationId\":\"r1\""), std::string::npos);
  const std::string& all = reader.read_until("\n\n", std::chrono::milliseconds(0));
  const auto at = all.find("event: NOTIFICATION\ndata: ");
  ASSERT_NE(at, std::string::npos);
  const auto line_end = all.find('\n', at + 26);
  const auto data = nlohmann::json::parse(all.substr(at + 26, line_end - at - 26));
  EXPECT_EQ(data["ep"], "dev-2");
  EXPECT_EQ(data["res"], "/3303/0/5700");
  EXPECT_EQ(data["val"]["value"], 21.5);
}

TEST_F(Events, FilterByEndpoint) {
  EventReader reader(server_->port(), "/api/event?ep=dev-2", token_);
  ASSERT_TRUE(wait_subscribers(1));
  api_->emit(event(core::EventKind::sleeping, "dev-1"));
  api_->emit(event(core::EventKind::awake, "dev-2"));
  const std::string text = reader.read_until("event: AWAKE");
  EXPECT_NE(text.find("event: AWAKE"), std::string::npos);
  EXPECT_EQ(text.find("event: SLEEPING"), std::string::npos);
}

TEST_F(Events, ManySubscribersAndHeartbeat) {
  std::vector<std::unique_ptr<EventReader>> readers;
  for (int i = 0; i < 8; ++i) {
    readers.push_back(std::make_unique<EventReader>(server_->port(), "/api/event", token_));
  }
  ASSERT_TRUE(wait_subscribers(8));
  api_->emit(event(core::EventKind::deregistered, "dev-1"));
  for (auto& r : readers) {
    EXPECT_NE(r->read_until("event: DEREGISTRATION").find("event: DEREGISTRATION"),
              std::string::npos);
  }
  EXPECT_NE(readers[0]->read_until(": heartbeat").find(": heartbeat\n\n"), std::string::npos);
  readers.clear();
  EXPECT_TRUE(wait_subscribers(0));
}

class SlowEvents : public HttpTest {
 protected:
  HttpOptions options() override {
    HttpOptions o = HttpTest::options();
    o.event_queue_limit = 4;
    o.heartbeat = std::chrono::seconds(60);
    return o;
  }
};

TEST_F(SlowEvents, SlowSubscriberIsDroppedWithoutBlockingOthers) {
  EventReader slow(server_->port(), "/api/event", token_, 4096);  // never reads again
  ASSERT_TRUE(wait_subscribers(1));
  core::Event big = event(core::EventKind::send, "dev-1");
  for (std::uint16_t i = 0; i < 50; ++i) {
    big.values.push_back(store::Sample{1, store::Path::of(4, 33650, 0, 2001, i), i,
                                       std::string(800, 'v')});
  }
  // About 40 KB an event: a few fill the socket buffers, then the queue overflows and the
  // subscriber is dropped. Bounded: at most 200 events.
  for (int i = 0; i < 200 && server_->event_subscribers() != 0; ++i) {
    api_->emit(big);
    api_->drain();
  }
  EXPECT_TRUE(wait_subscribers(0, 120));
  EXPECT_EQ(get("/api/clients/dev-1").status, 200u);  // the server still answers
  EventReader fresh(server_->port(), "/api/event", token_);
  ASSERT_TRUE(wait_subscribers(1));
  api_->emit(event(core::EventKind::expired, "dev-1"));
  EXPECT_NE(fresh.read_until("event: EXPIRED").find("event: EXPIRED"), std::string::npos);
}

TEST(EventNames, AllKinds) {
  using K = core::EventKind;
  EXPECT_EQ(event_name(K::registered), "REGISTRATION");
  EXPECT_EQ(event_name(K::updated), "UPDATED");
  EXPECT_EQ(event_name(K::deregistered), "DEREGISTRATION");
  EXPECT_EQ(event_name(K::expired), "EXPIRED");
  EXPECT_EQ(event_name(K::notification), "NOTIFICATION");
  EXPECT_EQ(event_name(K::send), "SEND");
  EXPECT_EQ(event_name(K::sleeping), "SLEEPING");
  EXPECT_EQ(event_name(K::awake), "AWAKE");
  EXPECT_EQ(event_name(K::request_done), "REQUEST");
  core::Event e;
  e.kind = K::request_done;
  e.endpoint = "d";
  e.request_id = 4;
  e.detail = "done";
  EXPECT_EQ(nlohmann::json::parse(event_data(e, nullptr)),
            nlohmann::json::parse(R"({"ep":"d","time":"1970-01-01T00:00:00.000Z","requestId":4,"status":"done"})"));
}

}  // namespace
}  // namespace tl::server::http::test
