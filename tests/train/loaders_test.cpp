#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "test_util.hpp"
#include "train/loaders.hpp"

using namespace tl::train;
using tl::train::test::make_npy_i16;
using tl::train::test::shared;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(Npy, ReadsInt16Rows) {
  int16_t data[] = {1, -2, 3, 4, 5, -6};
  Warnings w;
  Recording r = parse_npy("a_x.npy", make_npy_i16(2, 3, data, 6), w);
  EXPECT_EQ(r.axes, 3u);
  ASSERT_EQ(r.rows(), 2u);
  EXPECT_EQ(r.samples[1], -2.0f);
  EXPECT_EQ(r.samples[5], -6.0f);
  EXPECT_TRUE(w.empty());
}

TEST(Npy, TruncatedPayloadKeepsWholeRowsAndWarns) {
  int16_t data[] = {1, 2, 3, 4, 5, 6, 7, 8};  // 2 whole rows of 3, plus 2 stray values
  Warnings w;
  Recording r = parse_npy("t_x.npy", make_npy_i16(400, 3, data, 8), w);
  EXPECT_EQ(r.rows(), 2u);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("t_x.npy"), std::string::npos);
  EXPECT_NE(w[0].find("400"), std::string::npos);
  EXPECT_NE(w[0].find("only 2 whole rows"), std::string::npos);
}

TEST(Npy, ReadsFloatTypesAndRejectsNaN) {
  float f[] = {1.5f, NAN};
  std::string file = make_npy_i16(2, 1, nullptr, 0, "<f4");
  file.append(reinterpret_cast<const char*>(f), sizeof f);
  Warnings w;
  std::string msg = error_of([&] { parse_npy("n_x.npy", file, w); });
  EXPECT_NE(msg.find("n_x.npy:byte"), std::string::npos) << msg;
  EXPECT_NE(msg.find("sample 1"), std::string::npos) << msg;
  double d[] = {2.25, -1.0};
  std::string f8 = make_npy_i16(2, 1, nullptr, 0, "<f8");
  f8.append(reinterpret_cast<const char*>(d), sizeof d);
  Recording r = parse_npy("d_x.npy", f8, w);
  EXPECT_EQ(r.samples, (std::vector<float>{2.25f, -1.0f}));
  int32_t i4[] = {70000, -3};
  std::string s4 = make_npy_i16(1, 2, nullptr, 0, "<i4");
  s4.append(reinterpret_cast<const char*>(i4), sizeof i4);
  EXPECT_EQ(parse_npy("i_x.npy", s4, w).samples, (std::vector<float>{70000.0f, -3.0f}));
}

TEST(Npy, RejectsWhatIsNotNpy) {
  Warnings w;
  EXPECT_NE(error_of([&] { parse_npy("c_x.npy", "0.1 0.2\n", w); }).find("not a NumPy"),
            std::string::npos);
  int16_t data[] = {1};
  EXPECT_NE(error_of([&] { parse_npy("b_x.npy", make_npy_i16(1, 1, data, 1, ">i2"), w); })
                .find("unsupported dtype"),
            std::string::npos);
  EXPECT_NE(error_of([&] { parse_npy("e_x.npy", make_npy_i16(5, 3, data, 0), w); })
                .find("no complete sample row"),
            std::string::npos);
  std::string cut = make_npy_i16(5, 3, data, 0).substr(0, 20);
  EXPECT_NE(error_of([&] { parse_npy("h_x.npy", cut, w); }).find("inside the .npy header"),
            std::string::npos);
}

// The dataset README says six files end early; the files on disk have five (192752, 192807,
// 192843, 192932, 193720: 250, 50, 150, 200 and 250 rows).
TEST(Npy, RealGestureFilesTruncatedOnesWarn) {
  size_t files = 0, truncated = 0;
  for (const auto& e : std::filesystem::directory_iterator(shared("datasets/gestures-100hz"))) {
    if (e.path().extension() != ".npy") continue;
    Warnings w;
    Recording r = parse_npy(e.path().string(), read_file_bytes(e.path().string()), w);
    ++files;
    truncated += w.size();
    EXPECT_EQ(r.axes, 3u);
    EXPECT_GE(r.rows(), 50u);
    EXPECT_LE(r.rows(), 400u);
  }
  EXPECT_EQ(files, 24u);
  EXPECT_EQ(truncated, 5u);
}

TEST(FeatureCsv, SpacesOrCommas) {
  auto rows = parse_feature_csv("f_a.csv", "1 2 3\n4,5,6\r\n\n7, 8 ,9\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2], (std::vector<float>{7, 8, 9}));
}

TEST(CsvRecording, HeaderSkippedColumnsAreAxes) {
  const Recording r = parse_csv_recording("w.csv", "ax;ay;az\n1;2;3\n4;5;6\n");
  EXPECT_EQ(r.axes, 3u);
  EXPECT_EQ(r.samples, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(r.rate_hz, 0.f);
  EXPECT_EQ(parse_csv_recording("w.csv", "1,2\n3,4\n").rows(), 2u);  // no header
}

TEST(CsvRecording, TimestampColumnGivesTheRate) {
  const Recording r = parse_csv_recording("w.csv", "timestamp,x,y\n0,1,2\n10,3,4\n20,5,6\n30,7,8\n");
  EXPECT_EQ(r.axes, 2u);
  EXPECT_EQ(r.rows(), 4u);
  EXPECT_FLOAT_EQ(r.rate_hz, 100.f);
}

TEST(CsvRecording, ErrorsNameTheLine) {
  EXPECT_NE(error_of([] { parse_csv_recording("w.csv", "x,y\n1,2\n3\n"); })
                .find("w.csv:line 3: row has 1 samples, earlier rows have 2"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_csv_recording("w.csv", "x,y\n1,2\n3,oops\n"); }).find("line 3"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_csv_recording("w.csv", "x,y\n"); }).find("no sample rows"), std::string::npos);
}

TEST(FeatureCsv, ErrorsNameLine) {
  EXPECT_NE(error_of([] { parse_feature_csv("f_a.csv", "1 2\n3 x\n"); }).find("f_a.csv:line 2"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_feature_csv("f_a.csv", "1 2\n3 4 5\n"); })
                .find("line 2: row has 3 features, earlier rows have 2"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_feature_csv("f_a.csv", "1 nan\n"); }).find("line 1"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_feature_csv("f_a.csv", "1 1e99\n"); }).find("float range"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_feature_csv("f_a.csv", std::string("\x93NUMPY\0\1", 8)); })
                .find("binary data"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_feature_csv("f_a.csv", "\n\n"); }).find("no feature rows"),
            std::string::npos);
}

TEST(FeatureCsv, RealFogmlFiles) {
  auto rows = parse_feature_csv("0_idle.csv",
                                read_file_bytes(shared("datasets/fogml-case-study/0_idle.csv")));
  EXPECT_EQ(rows.size(), 27u);
  EXPECT_EQ(rows[0].size(), 12u);
  EXPECT_EQ(rows[0][0], 0.70f);
}

TEST(EdgeImpulse, ReadsPayload) {
  const char* doc = R"({"protected":{"ver":"v1","alg":"none"},"signature":"0",
    "payload":{"device_type":"M5","interval_ms":10,
    "sensors":[{"name":"accX","units":"m/s2"},{"name":"accY","units":"m/s2"}],
    "values":[[1,2],[3.5,-4]]}})";
  Recording r = parse_edge_impulse_json("x_wave.json", doc);
  EXPECT_EQ(r.axes, 2u);
  EXPECT_EQ(r.rate_hz, 100.0f);
  EXPECT_EQ(r.samples, (std::vector<float>{1, 2, 3.5f, -4}));
}

TEST(EdgeImpulse, Errors) {
  EXPECT_NE(error_of([] { parse_edge_impulse_json("j_a.json", "{\"payload\": [1,"); })
                .find("j_a.json:byte"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_edge_impulse_json("j_a.json", "{}"); }).find("no payload"),
            std::string::npos);
  const char* ragged = R"({"payload":{"interval_ms":10,"sensors":[{"name":"x"},{"name":"y"}],
    "values":[[1,2],[3]]}})";
  EXPECT_NE(error_of([&] { parse_edge_impulse_json("j_a.json", ragged); }).find("values[1]"),
            std::string::npos);
  const char* bad = R"({"payload":{"interval_ms":10,"sensors":[{"name":"x"}],
    "values":[[1],["a"]]}})";
  EXPECT_NE(error_of([&] { parse_edge_impulse_json("j_a.json", bad); }).find("finite"),
            std::string::npos);
}

TEST(Labels, FromFileName) {
  EXPECT_EQ(label_from_file_name("d/2025-06-15T192744_snake.npy"), "snake");
  EXPECT_EQ(label_from_file_name("0_idle.csv"), "idle");
  EXPECT_EQ(label_from_file_name("/x/3_up_down.csv"), "up_down");
  EXPECT_NE(error_of([] { label_from_file_name("nolabel.npy"); }).find("--labels"),
            std::string::npos);
}

TEST(Labels, LabelsFile) {
  LabelMap m = parse_labels_file("l.csv", "# file,label\na/rec1.npy,wave\nrec2.npy,idle\n");
  EXPECT_EQ(m.find("a/rec1.npy"), "wave");
  EXPECT_EQ(m.find("/elsewhere/rec2.npy"), "idle");
  EXPECT_EQ(m.find("rec3.npy"), "");
  EXPECT_NE(error_of([] { parse_labels_file("l.csv", "ok.npy,a\nbroken\n"); }).find("l.csv:line 2"),
            std::string::npos);
}

TEST(Files, MissingFileIsAnInputError) {
  EXPECT_NE(error_of([] { read_file_bytes("/nonexistent/x_y.npy"); }).find("cannot open"),
            std::string::npos);
}
