// Pagination and filters of the device list, time-series ranges and limits, latest values.
#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace tl::server::store::test {
namespace {

using Queries = StoreTest;

std::vector<std::string> endpoints(const std::vector<Registration>& rows) {
  std::vector<std::string> names;
  for (const Registration& r : rows) names.push_back(r.endpoint);
  return names;
}

class DeviceList : public StoreTest {
 protected:
  DeviceList() {
    WriteBatch batch;
    DeviceId id = 1;
    for (const char* endpoint : {"sensor-10", "sensor-2", "sensor-1", "gateway-1", "sensor-3",
                                 "sensors", "sensor\xFF", "t"}) {
      batch.upsert_registration(make_registration(id++, endpoint));
    }
    EXPECT_TRUE(write(std::move(batch)));
  }
};

TEST_F(DeviceList, AllInEndpointOrder) {
  EXPECT_EQ(endpoints(store().list_registrations({})),
            (std::vector<std::string>{"gateway-1", "sensor-1", "sensor-10", "sensor-2",
                                      "sensor-3", "sensors", "sensor\xFF", "t"}));
}

TEST_F(DeviceList, PrefixFilter) {
  EXPECT_EQ(endpoints(store().list_registrations({"sensor-", "", 100})),
            (std::vector<std::string>{"sensor-1", "sensor-10", "sensor-2", "sensor-3"}));
  EXPECT_EQ(endpoints(store().list_registrations({"sensor-1", "", 100})),
            (std::vector<std::string>{"sensor-1", "sensor-10"}));
  EXPECT_EQ(endpoints(store().list_registrations({"sensor\xFF", "", 100})),
            (std::vector<std::string>{"sensor\xFF"}));
  EXPECT_TRUE(store().list_registrations({"nothing", "", 100}).empty());
}

TEST_F(DeviceList, KeysetPagesCoverEverythingOnce) {
  std::vector<std::string> seen;
  DeviceFilter filter{"sensor", "", 2};
  for (;;) {
    const auto page = store().list_registrations(filter);
    if (page.empty()) break;
    EXPECT_LE(page.size(), 2u);
    for (const auto& r : page) seen.push_back(r.endpoint);
    filter.after_endpoint = page.back().endpoint;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"sensor-1", "sensor-10", "sensor-2", "sensor-3",
                                            "sensors", "sensor\xFF"}));
  // A page after an endpoint that sorts before the prefix starts at the prefix.
  EXPECT_EQ(endpoints(store().list_registrations({"sensor-", "a", 1})),
            std::vector<std::string>{"sensor-1"});
}

class Series : public StoreTest {
 protected:
  // Device 1, /3303/0/5700: samples at t = 0, 10, ..., 90 with value t / 10.
  Series() {
    WriteBatch batch;
    for (TimeMs t = 0; t < 100; t += 10) batch.append_value(1, temperature, t, Value{double(t) / 10});
    batch.append_value(1, humidity, 50, Value{std::int64_t{40}});
    batch.append_value(2, temperature, 50, Value{-1.0});
    EXPECT_TRUE(write(std::move(batch)));
  }
  std::vector<TimeMs> times(const SeriesQuery& query) {
    std::vector<TimeMs> result;
    for (const Sample& s : store().series(query)) {
      EXPECT_EQ(s.device, query.device);
      EXPECT_EQ(s.path, query.path);
      result.push_back(s.time_ms);
    }
    return result;
  }
  const Path temperature = path("/3303/0/5700");
  const Path humidity = path("/3304/0/5700");
};

TEST_F(Series, WholeRangeOldestFirst) {
  EXPECT_EQ(times({1, temperature}), (std::vector<TimeMs>{0, 10, 20, 30, 40, 50, 60, 70, 80, 90}));
}

TEST_F(Series, InclusiveBounds) {
  EXPECT_EQ(times({1, temperature, 20, 50}), (std::vector<TimeMs>{20, 30, 40, 50}));
  EXPECT_EQ(times({1, temperature, 21, 29}), std::vector<TimeMs>{});
}

TEST_F(Series, LimitFromEitherEnd) {
  EXPECT_EQ(times({1, temperature, 20, 80, 2, false}), (std::vector<TimeMs>{20, 30}));
  EXPECT_EQ(times({1, temperature, 20, 80, 2, true}), (std::vector<TimeMs>{80, 70}));
}

TEST_F(Series, OnlyThatDeviceAndPath) {
  EXPECT_EQ(times({2, temperature}), std::vector<TimeMs>{50});
  EXPECT_EQ(times({1, humidity}), std::vector<TimeMs>{50});
  EXPECT_EQ(times({1, path("/3303/0")}), std::vector<TimeMs>{});  // exact path, not a prefix
  EXPECT_EQ(times({3, temperature}), std::vector<TimeMs>{});
}

TEST_F(Series, SameMillisecondKeepsTheLaterWrite) {
  WriteBatch batch;
  batch.append_value(1, temperature, 30, Value{99.0});
  ASSERT_TRUE(write(std::move(batch)));
  const auto samples = store().series({1, temperature, 30, 30});
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].value, Value{99.0});
}

TEST_F(Queries, LatestValueIsReplacedByNewerNotByOlder) {
  const Path p = path("/3/0/9");
  WriteBatch first;
  first.append_value(1, p, 100, Value{std::int64_t{50}});
  first.append_value(1, p, 200, Value{std::int64_t{49}});
  ASSERT_TRUE(write(std::move(first)));
  ASSERT_EQ(store().latest_values(1).size(), 1u);
  EXPECT_EQ(store().latest_values(1)[0].value, Value{std::int64_t{49}});

  // A late sample (Send of stored readings) joins the series but is not the latest.
  WriteBatch late;
  late.append_value(1, p, 150, Value{std::int64_t{60}});
  ASSERT_TRUE(write(std::move(late)));
  EXPECT_EQ(store().latest_values(1)[0].time_ms, 200);
  EXPECT_EQ(store().series({1, p}).size(), 3u);

  // A newer one of another type replaces it, type included.
  WriteBatch newer;
  newer.append_value(1, p, 300, Value{std::string("n/a")});
  ASSERT_TRUE(write(std::move(newer)));
  EXPECT_EQ(store().latest_values(1)[0].value, Value{std::string("n/a")});
}

TEST_F(Queries, LatestOfOneTransactionIsItsNewestSampleWhateverTheOrder) {
  const Path p = path("/33650/0/2001");
  WriteBatch batch;
  batch.append_value(1, p, 200, Value{std::int64_t{1}});
  batch.append_value(1, p, 100, Value{std::int64_t{2}});  // late: series only
  batch.append_value(2, p, 100, Value{std::int64_t{7}});  // another device, same path
  batch.append_value(1, p, 200, Value{std::int64_t{3}});  // same millisecond: the later wins
  ASSERT_TRUE(write(std::move(batch)));
  const auto latest = store().latest_values(1);
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(latest[0].time_ms, 200);
  EXPECT_EQ(latest[0].value, Value{std::int64_t{3}});
  EXPECT_EQ(store().latest_values(2).at(0).value, Value{std::int64_t{7}});
  EXPECT_EQ(store().series({1, p}).size(), 2u);
}

TEST_F(Queries, LatestValuesUnderAPath) {
  WriteBatch batch;
  for (const char* p : {"/3/0/0", "/3/0/1", "/3/1/0", "/33650/0/1", "/33650/0/2/0", "/4/0/0"}) {
    batch.append_value(1, path(p), 10, Value{true});
  }
  batch.append_value(2, path("/3/0/0"), 10, Value{true});
  ASSERT_TRUE(write(std::move(batch)));

  auto paths = [&](const char* under) {
    std::vector<std::string> result;
    for (const Sample& s : store().latest_values(1, path(under))) result.push_back(s.path.to_string());
    return result;
  };
  EXPECT_EQ(paths("/"), (std::vector<std::string>{"/3/0/0", "/3/0/1", "/3/1/0", "/4/0/0",
                                                  "/33650/0/1", "/33650/0/2/0"}));
  EXPECT_EQ(paths("/3"), (std::vector<std::string>{"/3/0/0", "/3/0/1", "/3/1/0"}));
  EXPECT_EQ(paths("/3/0"), (std::vector<std::string>{"/3/0/0", "/3/0/1"}));
  EXPECT_EQ(paths("/33650/0/2"), std::vector<std::string>{"/33650/0/2/0"});
  EXPECT_EQ(paths("/5"), std::vector<std::string>{});
}

}  // namespace
}  // namespace tl::server::store::test
