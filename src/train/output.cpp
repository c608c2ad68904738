#include "train/output.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

namespace tl::train {

namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), std::streamsize(content.size()));
  out.close();
  if (!out) throw std::runtime_error(path.string() + ": cannot write (disk full or no permission?)");
}

}  // namespace

void write_outputs(const std::string& dir, const std::map<std::string, std::string>& files) {
  const fs::path out(dir);
  const fs::path staging = out / (".tinyloop-staging-" + std::to_string(getpid()));
  try {
    fs::create_directories(out);
    fs::remove_all(staging);
    std::set<fs::path> tops;
    for (const auto& [rel, content] : files) {
      write_file(staging / rel, content);
      tops.insert(*fs::path(rel).begin());
    }
    for (const fs::path& top : tops) {
      if (fs::is_directory(staging / top)) fs::remove_all(out / top);
      fs::rename(staging / top, out / top);
    }
    fs::remove_all(staging);
  } catch (const fs::filesystem_error& e) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    throw std::runtime_error(std::string("cannot write the outputs in ") + dir + ": " +
                             e.code().message() + " (" + e.path1().string() + ")");
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    throw;
  }
}

}  // namespace tl::train
