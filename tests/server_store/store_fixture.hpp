// Shared helpers of the store tests: a temporary data directory and record builders.
#pragma once
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "server/store/sqlite_store.hpp"

namespace tl::server::store::test {

// A fresh directory under the system's temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tl-store-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline SqliteOptions options_for(const std::filesystem::path& dir) {
  SqliteOptions options;
  options.data_dir = dir;
  options.writer_cache_kib = 2048;  // tests are small; keep the sanitizer builds light
  options.reader_cache_kib = 1024;
  return options;
}

// A store under a temporary directory that tests can close and reopen.
class StoreTest : public ::testing::Test {
 protected:
  StoreTest() { reopen(); }
  void reopen() {
    store_.reset();
    store_ = std::make_unique<SqliteStore>(options_for(dir_.path() / "data"));
  }
  void close() { store_.reset(); }
  // Submits and waits; returns whether the batch became durable.
  bool write(WriteBatch batch) {
    bool durable = false;
    store_->submit(std::move(batch), [&](bool ok) { durable = ok; });
    store_->flush();
    return durable;
  }
  SqliteStore& store() { return *store_; }

  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

inline Registration make_registration(DeviceId id, std::string endpoint) {
  Registration r;
  r.device = id;
  r.endpoint = std::move(endpoint);
  r.registration_id = "rd" + std::to_string(id);
  r.address = "192.0.2." + std::to_string(id % 250) + ":5683";
  r.lifetime_s = 86400;
  r.binding = "UQ";
  r.lwm2m_version = "1.1";
  r.object_links = "</1/0>,</3/0>,</33650/0>";
  r.registered_ms = 1'700'000'000'000 + static_cast<TimeMs>(id);
  r.updated_ms = r.registered_ms + 5;
  r.psk_identity = "id-" + std::to_string(id);
  r.queue_mode = id % 2 == 1;
  return r;
}

inline Path path(const char* text) {
  auto parsed = Path::parse(text);
  if (!parsed) throw std::runtime_error(std::string("bad path in test: ") + text);
  return *parsed;
}

}  // namespace tl::server::store::test
