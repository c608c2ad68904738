// Platform's key-value records as files: one file per key in a data directory, each replaced
// atomically (write a temporary file, fsync it, rename it over the old one, fsync the directory).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "wire/bytes.hpp"
#include "wire/error.hpp"

namespace tl::posix {

using wire::Bytes;
using wire::Error;
using wire::MutableBytes;
using wire::Result;

class FileStore {
 public:
  static constexpr size_t kMaxKeyLength = 64;

  // Creates `directory` (and its parents) when missing.
  explicit FileStore(std::string directory);

  // Platform::load/store/erase. Keys are 1..64 characters of [A-Za-z0-9._-], not starting with
  // '.'; any other key is Error::malformed. Erasing an absent key succeeds. I/O failures:
  // buffer_too_small when the file system is full, unsupported otherwise.
  Result<size_t> load(std::string_view key, MutableBytes out) const;
  Error store(std::string_view key, Bytes value) const;
  Error erase(std::string_view key) const;

  static bool valid_key(std::string_view key);
  const std::string& directory() const { return directory_; }

 private:
  std::string path_of(std::string_view key) const;
  std::string temp_path_of(std::string_view key) const;
  Error sync_directory() const;

  std::string directory_;
};

}  // namespace tl::posix
