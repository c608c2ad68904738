// tools/ddf2cpp.py run as the build runs it (python3), on scratch folders of DDF files.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code;
  std::string output;  // stdout and stderr
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

std::string item(int id, const std::string& type, const std::string& operations = "R") {
  return "<Item ID=\"" + std::to_string(id) + "\"><Name>Res " + std::to_string(id) +
         "</Name><Operations>" + operations +
         "</Operations><MultipleInstances>Single</MultipleInstances>"
         "<Mandatory>Optional</Mandatory><Type>" + type + "</Type></Item>\n";
}

std::string ddf(int object_id, const std::string& items) {
  return "<?xml version=\"1.0\"?>\n<LWM2M>\n<Object ObjectType=\"MODefinition\">\n"
         "<Name>Scratch</Name><ObjectID>" + std::to_string(object_id) +
         "</ObjectID>\n<MultipleInstances>Single</MultipleInstances>"
         "<Mandatory>Optional</Mandatory>\n<Resources>\n" + items +
         "</Resources>\n</Object>\n</LWM2M>\n";
}

class Ddf2Cpp : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("ddf2cpp-" + std::to_string(getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "ddf");
  }
  void TearDown() override { fs::remove_all(dir_); }

  RunResult generate(const std::string& args) const {
    const fs::path log = dir_ / "log.txt";
    const std::string command = "python3 '" TL_SOURCE_DIR "/tools/ddf2cpp.py' " + args + " >'" +
                                log.string() + "' 2>&1";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(log)};
  }
  std::string scratch_args() const {
    return "'" + (dir_ / "ddf").string() + "' --cpp " + out_arg();
  }
  std::string shared_args() const { return "'" TL_SHARED_DIR "/lwm2m-objects'"; }
  fs::path out() const { return dir_ / "out.cpp"; }
  std::string out_arg() const { return "'" + out().string() + "'"; }

  fs::path dir_;
};

TEST_F(Ddf2Cpp, DuplicateResourceIdFailsNamingTheFileAndLine) {
  write_file(dir_ / "ddf" / "7.xml", ddf(7, item(1, "Integer") + item(1, "String")));
  const RunResult run = generate(scratch_args());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("7.xml:8: error: duplicate resource ID 1"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("fix:"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(Ddf2Cpp, UnknownTypeFailsNamingTheFile) {
  write_file(dir_ / "ddf" / "7.xml", ddf(7, item(1, "Double")));
  const RunResult run = generate(scratch_args());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("7.xml:7: error: unknown <Type> 'Double'"), std::string::npos)
      << run.output;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(Ddf2Cpp, ObjectIdMustMatchTheFileName) {
  write_file(dir_ / "ddf" / "8.xml", ddf(7, item(1, "Integer")));
  const RunResult run = generate(scratch_args());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("8.xml:4: error: <ObjectID> 7 does not match the file name"),
            std::string::npos)
      << run.output;
}

TEST_F(Ddf2Cpp, MalformedXmlFailsNamingTheFile) {
  write_file(dir_ / "ddf" / "7.xml", "<LWM2M><Object>\n<Name>x</Nme>");
  const RunResult run = generate(scratch_args());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("7.xml:2: error: not well-formed XML"), std::string::npos)
      << run.output;
}

TEST_F(Ddf2Cpp, ReadsOnlyTheTopLevelOfTheFolder) {
  write_file(dir_ / "ddf" / "7.xml", ddf(7, item(2, "Float") + item(1, "", "E")));
  fs::create_directories(dir_ / "ddf" / "other-versions");
  write_file(dir_ / "ddf" / "other-versions" / "7.xml", ddf(7, item(1, "Double")));
  const RunResult run = generate(scratch_args());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string cpp = read_file(out());
  EXPECT_NE(cpp.find("{1, O::E, T::none, false, false, \"Res 1\", \"\", \"\"},\n"
                     "    {2, O::R, T::floating,"),
            std::string::npos)
      << cpp;
}

TEST_F(Ddf2Cpp, SubsetKeepsOnlyTheListedObjects) {
  const RunResult run = generate(shared_args() + " --objects 33651,3 --cpp " + out_arg());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string cpp = read_file(out());
  EXPECT_NE(cpp.find("kObject3[]"), std::string::npos);
  EXPECT_NE(cpp.find("kObject33651[]"), std::string::npos);
  EXPECT_EQ(cpp.find("kObject5[]"), std::string::npos);
}

// The device layout (TL_MODEL_COMPACT): ids, operations, type, multiple, mandatory and the
// object's version; no names, URNs, ranges or units in the table.
TEST_F(Ddf2Cpp, CompactTableLeavesOutTheStrings) {
  const RunResult run = generate(shared_args() + " --objects 3,5 --compact --cpp " + out_arg());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string cpp = read_file(out());
  EXPECT_NE(cpp.find("inline namespace compact {"), std::string::npos) << cpp;
  EXPECT_NE(cpp.find("#if !TL_MODEL_COMPACT"), std::string::npos) << cpp;
  EXPECT_NE(cpp.find("    {4, O::E, T::none, false, true},\n"), std::string::npos) << cpp;
  EXPECT_NE(cpp.find("{3, false, true, \"\", \"\", \"1.1\", \"\", kObject3},"), std::string::npos)
      << cpp;
  EXPECT_EQ(cpp.find("\"Reboot\""), std::string::npos) << cpp;
  EXPECT_EQ(cpp.find("\"0..255\""), std::string::npos) << cpp;
  EXPECT_EQ(cpp.find("urn:oma:lwm2m"), std::string::npos) << cpp;
}

TEST_F(Ddf2Cpp, SubsetOfAnUnknownObjectFails) {
  const RunResult run = generate(shared_args() + " --objects 3,65000 --cpp " + out_arg());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("no DDF file defines object(s) [65000]"), std::string::npos)
      << run.output;
}

TEST_F(Ddf2Cpp, JsonCarriesDescriptions) {
  const fs::path json = dir_ / "objects.json";
  const RunResult run = generate(shared_args() + " --objects 33651 --json '" + json.string() + "'");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string text = read_file(json);
  EXPECT_NE(text.find("\"name\": \"Anomaly Treshold\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"type\": \"float\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"description\": \"Input data is treated as anomaly"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("\"id\": 3,"), std::string::npos) << text;
}

}  // namespace
