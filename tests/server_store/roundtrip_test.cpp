// Every record type and every value type comes back as it was written.
#include <gtest/gtest.h>

#include <limits>

#include "store_fixture.hpp"

namespace tl::server::store::test {
namespace {

using RoundTrip = StoreTest;

TEST_F(RoundTrip, Registration) {
  Registration r = make_registration(42, "urn:dev:os:42");
  Registration empty_optional = make_registration(std::numeric_limits<DeviceId>::max(), "nosec");
  empty_optional.psk_identity.clear();
  empty_optional.object_links.clear();
  WriteBatch batch;
  batch.upsert_registration(r);
  batch.upsert_registration(empty_optional);
  ASSERT_TRUE(write(std::move(batch)));

  EXPECT_EQ(store().registration("urn:dev:os:42"), r);
  EXPECT_EQ(store().registration("nosec"), empty_optional);
  EXPECT_FALSE(store().registration("unknown"));
}

TEST_F(RoundTrip, ObservationsPutDeleteAndGoneWithTheRegistration) {
  const Observation counters{1, Path::of(1, 33650), 112};
  const Observation battery{1, Path::of(3, 3, 0, 9), 0};
  const Observation other{2, Path::of(1, 33650), 110};
  WriteBatch put;
  put.upsert_registration(make_registration(1, "one"));
  put.upsert_registration(make_registration(2, "two"));
  put.put_observation(counters);
  put.put_observation(battery);
  put.put_observation(other);
  put.put_observation({1, Path::of(3, 3, 0, 9), 11542});  // again: replaces the format
  ASSERT_TRUE(write(std::move(put)));
  EXPECT_EQ(store().observations(),
            (std::vector<Observation>{{1, Path::of(3, 3, 0, 9), 11542}, counters, other}));

  WriteBatch cancel;
  cancel.delete_observation({1, Path::of(3, 3, 0, 9), 0});
  ASSERT_TRUE(write(std::move(cancel)));
  EXPECT_EQ(store().observations(), (std::vector<Observation>{counters, other}));

  WriteBatch gone;
  gone.remove_registration(1);
  ASSERT_TRUE(write(std::move(gone)));
  EXPECT_EQ(store().observations(), (std::vector<Observation>{other}));
}

TEST_F(RoundTrip, RegistrationUpdateAndRemove) {
  WriteBatch first;
  first.upsert_registration(make_registration(1, "a"));
  first.upsert_registration(make_registration(2, "b"));
  ASSERT_TRUE(write(std::move(first)));

  Registration moved = make_registration(1, "a");
  moved.address = "[2001:db8::1]:5684";
  moved.lifetime_s = 60;
  WriteBatch second;
  second.upsert_registration(moved);
  second.remove_registration(2);
  ASSERT_TRUE(write(std::move(second)));

  EXPECT_EQ(store().registration("a"), moved);
  EXPECT_FALSE(store().registration("b"));
  EXPECT_EQ(store().load_registrations().size(), 1u);
}

TEST_F(RoundTrip, EveryValueType) {
  const std::vector<Value> values = {
      Value{std::int64_t{-42}},
      Value{std::numeric_limits<std::int64_t>::min()},
      Value{std::numeric_limits<std::uint64_t>::max()},
      Value{std::uint64_t{7}},
      Value{3.25},
      Value{-0.0},
      Value{true},
      Value{false},
      Value{std::string("héllo")},
      Value{std::string()},
      Value{std::string("with\0nul", 8)},
      Value{Opaque{0x00, 0xFF, 0x10}},
      Value{Opaque{}},
      Value{Time{1'700'000'000}},
      Value{ObjLink{65535, 65535}},
      Value{ObjLink{3, 0}},
  };
  WriteBatch batch;
  for (std::size_t i = 0; i < values.size(); ++i) {
    batch.append_value(9, Path::of(3, 33650, 0, static_cast<std::uint16_t>(i)),
                       1000 + static_cast<TimeMs>(i), values[i]);
  }
  ASSERT_TRUE(write(std::move(batch)));

  const std::vector<Sample> latest = store().latest_values(9);
  ASSERT_EQ(latest.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(latest[i].device, 9u);
    EXPECT_EQ(latest[i].path, Path::of(3, 33650, 0, static_cast<std::uint16_t>(i)));
    EXPECT_EQ(latest[i].time_ms, 1000 + static_cast<TimeMs>(i));
    EXPECT_EQ(latest[i].value, values[i]) << "value " << i << " of type "
                                          << to_string(type_of(values[i]));
    EXPECT_EQ(type_of(latest[i].value), type_of(values[i]));
    const auto series = store().series(SeriesQuery{9, latest[i].path});
    ASSERT_EQ(series.size(), 1u);
    EXPECT_EQ(series[0], latest[i]);
  }
}

TEST_F(RoundTrip, PendingRequestPutUpdateDelete) {
  PendingRequest write_request{7, 42, RequestKind::write, path("/3/0/13"), "1700000000",
                               1000, 61000, RequestState::pending, ""};
  PendingRequest execute{8, 42, RequestKind::execute, path("/3/0/4"), "", 1001, 62000,
                         RequestState::pending, ""};
  PendingRequest other{9, 43, RequestKind::observe_composite, path("/"), "[\"/3/0/1\"]", 1002,
                       63000, RequestState::pending, ""};
  WriteBatch first;
  first.put_request(write_request);
  first.put_request(execute);
  first.put_request(other);
  ASSERT_TRUE(write(std::move(first)));
  EXPECT_EQ(store().request(7), write_request);
  EXPECT_EQ(store().requests_of(42), (std::vector<PendingRequest>{write_request, execute}));

  WriteBatch second;
  second.update_request(7, RequestState::done, "2.04 Changed");
  second.delete_request(8);
  second.update_request(9, RequestState::expired, "");
  ASSERT_TRUE(write(std::move(second)));
  write_request.state = RequestState::done;
  write_request.result = "2.04 Changed";
  EXPECT_EQ(store().request(7), write_request);
  EXPECT_FALSE(store().request(8));
  EXPECT_EQ(store().request(9)->state, RequestState::expired);
  EXPECT_EQ(store().requests_of(42), std::vector<PendingRequest>{write_request});
}

TEST_F(RoundTrip, BootstrapConfigs) {
  const BootstrapConfig a{"a", R"({"servers":[{"uri":"coaps://lwm2m.example:5684"}]})", 5};
  const BootstrapConfig b{"b", "{}", 6};
  WriteBatch first;
  first.put_bootstrap_config(b);
  first.put_bootstrap_config(a);
  first.put_bootstrap_config(BootstrapConfig{"c", "{}", 7});
  ASSERT_TRUE(write(std::move(first)));
  EXPECT_EQ(store().bootstrap_config("a"), a);
  EXPECT_EQ(store().bootstrap_configs().size(), 3u);

  const BootstrapConfig a2{"a", R"({"servers":[]})", 8};
  WriteBatch second;
  second.put_bootstrap_config(a2);
  second.delete_bootstrap_config("c");
  ASSERT_TRUE(write(std::move(second)));
  EXPECT_EQ(store().bootstrap_configs(), (std::vector<BootstrapConfig>{a2, b}));
  EXPECT_FALSE(store().bootstrap_config("c"));
}

TEST_F(RoundTrip, AuditLogNewestFirst) {
  WriteBatch batch;
  for (int i = 0; i < 5; ++i) {
    batch.audit(AuditEntry{100 + i, "http:admin", "write", "/3/0/13 on dev" + std::to_string(i)});
  }
  ASSERT_TRUE(write(std::move(batch)));
  const auto latest = store().audit_log(2);
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0], (AuditEntry{104, "http:admin", "write", "/3/0/13 on dev4"}));
  EXPECT_EQ(latest[1].time_ms, 103);
  EXPECT_EQ(store().audit_log(100).size(), 5u);
}

TEST_F(RoundTrip, BatchOrderIsKept) {
  // Within one batch, later writes see earlier ones.
  WriteBatch batch;
  batch.put_request(PendingRequest{1, 5, RequestKind::read, path("/3/0"), "", 0, 10,
                                   RequestState::pending, ""});
  batch.update_request(1, RequestState::failed, "4.04 Not Found");
  batch.upsert_registration(make_registration(5, "x"));
  batch.remove_registration(5);
  batch.upsert_registration(make_registration(6, "y"));
  EXPECT_EQ(batch.size(), 5u);
  ASSERT_TRUE(write(std::move(batch)));
  EXPECT_EQ(store().request(1)->state, RequestState::failed);
  EXPECT_FALSE(store().registration("x"));
  EXPECT_TRUE(store().registration("y"));
}

}  // namespace
}  // namespace tl::server::store::test
