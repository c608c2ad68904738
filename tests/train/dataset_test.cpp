// load_dataset end to end, and every bad-input case it must turn into a clear InputError.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "test_util.hpp"
#include "train/dataset.hpp"

using namespace tl::train;
namespace fs = std::filesystem;

namespace {

class Dataset : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tl_dataset_" + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    o_.pipeline = tl::ml::paper_pipeline();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& content) {
    std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  // A .npy of `rows` rows of 3 axes: a ramp, so every window has some variation.
  std::string npy(const std::string& name, size_t rows) {
    std::vector<int16_t> v(rows * 3);
    for (size_t i = 0; i < v.size(); ++i) v[i] = int16_t(i % 17);
    return write(name, tl::train::test::make_npy_i16(rows, 3, v.data(), v.size()));
  }
  std::string error(const std::vector<std::string>& files) {
    Warnings w;
    try {
      load_dataset(files, o_, w);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }

  fs::path dir_;
  DataOptions o_;
};

}  // namespace

TEST_F(Dataset, RecordingsBecomeWindowsGroupedByFile) {
  o_.input_rate_hz = 10;
  o_.pipeline.hop = 10;
  Warnings w;
  FeatureTable t = load_dataset({npy("a_up.npy", 40), npy("b_down.npy", 30)}, o_, w);
  EXPECT_EQ(t.classes, (std::vector<std::string>{"up", "down"}));
  EXPECT_EQ(t.n_features, 12u);
  ASSERT_EQ(t.rows(), 3u + 2u);  // starts 0, 10, 20 and 0, 10
  EXPECT_EQ(t.group, (std::vector<int>{0, 0, 0, 1, 1}));
}

TEST_F(Dataset, ResamplesBeforeWindowing) {
  o_.input_rate_hz = 100;
  Warnings w;
  // 400 rows at 100 Hz -> 40 rows at 10 Hz -> 2 windows of 20.
  FeatureTable t = load_dataset({npy("a_x.npy", 400), npy("b_y.npy", 400)}, o_, w);
  EXPECT_EQ(t.rows(), 4u);
}

TEST_F(Dataset, LabelsFileOverridesNames) {
  o_.input_rate_hz = 10;
  o_.labels = parse_labels_file("l.csv", "r1.npy,wave\nr2.npy,idle\n");
  Warnings w;
  FeatureTable t = load_dataset({npy("r1.npy", 40), npy("r2.npy", 40)}, o_, w);
  EXPECT_EQ(t.classes, (std::vector<std::string>{"wave", "idle"}));
}

TEST_F(Dataset, FogmlCsvRowsAreTheirOwnGroups) {
  Warnings w;
  FeatureTable t = load_dataset({write("0_idle.csv", "1 2 3 4 5 6 7 8 9 10 11 12\n"
                                                     "2 2 3 4 5 6 7 8 9 10 11 12\n"),
                                 write("1_wave.csv", "9 2 3 4 5 6 7 8 9 10 11 12\n"
                                                     "8 2 3 4 5 6 7 8 9 10 11 12\n")},
                                o_, w);
  EXPECT_EQ(t.rows(), 4u);
  EXPECT_EQ(t.groups.size(), 4u);
  EXPECT_EQ(t.groups[1], (dir_ / "0_idle.csv").string() + ":2");
}

TEST_F(Dataset, MismatchedFeatureCount) {
  std::string msg = error({write("0_idle.csv", "1 2 3\n4 5 6\n")});
  EXPECT_NE(msg.find("0_idle.csv:line 1: rows have 3 features, the pipeline produces 12"),
            std::string::npos) << msg;
}

TEST_F(Dataset, ClassWithOneWindow) {
  o_.input_rate_hz = 10;
  std::string msg = error({npy("a_up.npy", 40), npy("b_down.npy", 20)});
  EXPECT_NE(msg.find("b_down.npy: class 'down' has 1 window(s)"), std::string::npos) << msg;
}

TEST_F(Dataset, EmptyClassWarnsAndFails) {
  o_.input_rate_hz = 10;
  Warnings w;
  std::string msg;
  try {
    load_dataset({npy("a_up.npy", 40), npy("b_down.npy", 10)}, o_, w);
  } catch (const InputError& e) {
    msg = e.what();
  }
  EXPECT_NE(msg.find("class 'down' has 0 window(s)"), std::string::npos) << msg;
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("too short for one window"), std::string::npos);
}

TEST_F(Dataset, SingleClass) {
  o_.input_rate_hz = 10;
  EXPECT_NE(error({npy("a_up.npy", 40), npy("b_up.npy", 40)}).find("one class"),
            std::string::npos);
}

TEST_F(Dataset, NpyNeedsARate) {
  EXPECT_NE(error({npy("a_up.npy", 40)}).find("--rate"), std::string::npos);
}

TEST_F(Dataset, AxesMismatch) {
  o_.input_rate_hz = 10;
  o_.pipeline.axes = 2;
  EXPECT_NE(error({npy("a_up.npy", 40)}).find("has 3 axes, the pipeline expects 2"),
            std::string::npos);
}

TEST_F(Dataset, ContentNotMatchingExtension) {
  o_.input_rate_hz = 10;
  EXPECT_NE(error({write("a_up.npy", "1 2 3\n")}).find("not a NumPy .npy file"), std::string::npos);
  EXPECT_NE(error({write("a_up.json", "1 2 3\n")}).find("not valid JSON"), std::string::npos);
  EXPECT_NE(error({write("a_up.csv", std::string("\x93NUMPY\x01\x00", 8))}).find("binary data"),
            std::string::npos);
  EXPECT_NE(error({write("a_up.wav", "RIFF")}).find("unknown file type '.wav'"), std::string::npos);
}

TEST_F(Dataset, NonFiniteSamples) {
  float bad[] = {1, 2, 3, INFINITY, 5, 6};
  std::string f = tl::train::test::make_npy_i16(2, 3, nullptr, 0, "<f4");
  f.append(reinterpret_cast<const char*>(bad), sizeof bad);
  o_.input_rate_hz = 10;
  std::string msg = error({write("a_up.npy", f)});
  EXPECT_NE(msg.find("a_up.npy:byte 140: sample 1 axis 0 is not a finite number"),
            std::string::npos) << msg;
}

TEST_F(Dataset, EdgeImpulseRateChecked) {
  std::string doc = R"({"payload":{"interval_ms":10,"sensors":[{"name":"x"},{"name":"y"},
    {"name":"z"}],"values":[[1,2,3]]}})";
  o_.input_rate_hz = 50;
  EXPECT_NE(error({write("a_up.json", doc)}).find("not the --rate"), std::string::npos);
}
