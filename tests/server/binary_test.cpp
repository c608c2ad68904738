// The built `tinyloop server` as an operator runs it: it starts, says where it listens, stops
// cleanly on SIGTERM (exit 0); a second server on the same data directory is refused (exit 2).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>

#include "../device/tinyloop_process.hpp"

namespace tl::server::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// `tinyloop server` on free ports with its data in `data`, its output into `out`.
struct ServerProcess : tl::test::TinyloopProcess {
  ServerProcess(const fs::path& data, const fs::path& out)
      : TinyloopProcess({"server", "--data-dir", data.string(), "--coap-port", "0", "--coaps-port", "0",
                         "--http-port", "0"},
                        out) {}
};

TEST(ServerBinary, StartsStopsOnSigtermAndGuardsItsDataDirectory) {
  const fs::path dir = fs::temp_directory_path() / ("tl-server-bin-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  ServerProcess server(dir / "data", dir / "out1");
  ASSERT_TRUE(server.wait_output("CoAP over DTLS on", 10s)) << server.output();
  EXPECT_NE(server.output().find("0 registrations loaded"), std::string::npos);

  ServerProcess second(dir / "data", dir / "out2");
  EXPECT_EQ(second.wait_exit(10s), 2) << second.output();
  EXPECT_NE(second.output().find(dir.string()), std::string::npos) << second.output();  // names the directory

  server.signal(SIGTERM);
  EXPECT_EQ(server.wait_exit(10s), 0) << server.output();
  EXPECT_NE(server.output().find("stopped"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tl::server::test
