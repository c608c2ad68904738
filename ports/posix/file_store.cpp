#include "posix/file_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>

namespace tl::posix {

namespace {

Error io_error(int err) {
  return err == ENOSPC || err == EDQUOT ? Error::buffer_too_small : Error::unsupported;
}

// Closes a descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // close() reports deferred write errors (NFS, quota), so a store checks it.
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

bool read_all(int fd, uint8_t* p, size_t n) {
  while (n > 0) {
    const ssize_t got = ::read(fd, p, n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    p += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

bool write_all(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    const ssize_t put = ::write(fd, p, n);
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) return false;
    p += put;
    n -= static_cast<size_t>(put);
  }
  return true;
}

bool key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

}  // namespace

FileStore::FileStore(std::string directory) : directory_(std::move(directory)) {
  // A failure here shows up as an error of the first store().
  std::error_code ignored;
  std::filesystem::create_directories(directory_, ignored);
}

bool FileStore::valid_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxKeyLength || key.front() == '.') return false;
  for (const char c : key) {
    if (!key_char(c)) return false;
  }
  return true;
}

std::string FileStore::path_of(std::string_view key) const {
  std::string path = directory_;
  path += '/';
  path += key;
  return path;
}

// Keys never start with '.', so a temporary file never collides with a record.
std::string FileStore::temp_path_of(std::string_view key) const {
  std::string path = directory_;
  path += "/.tmp.";
  path += key;
  return path;
}

Result<size_t> FileStore::load(std::string_view key, MutableBytes out) const {
  if (!valid_key(key)) return Error::malformed;
  Fd fd(::open(path_of(key).c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return errno == ENOENT ? Error::end : io_error(errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error(errno);
  const auto size = static_cast<size_t>(st.st_size);
  if (size > out.size()) return Error::buffer_too_small;
  if (!read_all(fd.get(), out.data(), size)) return io_error(errno);
  return size;
}

Error FileStore::store(std::string_view key, Bytes value) const {
  if (!valid_key(key)) return Error::malformed;
  const std::string temp = temp_path_of(key);
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (fd.get() < 0) return io_error(errno);
  // The data must be on disk before the rename makes it the record, or a power cut could leave
  // the new name pointing at an empty file.
  if (!write_all(fd.get(), value.data(), value.size()) || ::fsync(fd.get()) != 0 || fd.close() != 0 ||
      ::rename(temp.c_str(), path_of(key).c_str()) != 0) {
    const Error e = io_error(errno);
    ::unlink(temp.c_str());
    return e;
  }
  return sync_directory();
}

Error FileStore::erase(std::string_view key) const {
  if (!valid_key(key)) return Error::malformed;
  if (::unlink(path_of(key).c_str()) != 0) return errno == ENOENT ? Error::ok : io_error(errno);
  return sync_directory();
}

// Makes a rename or unlink itself durable: it lives in the directory's data.
Error FileStore::sync_directory() const {
  Fd dir(::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0 || ::fsync(dir.get()) != 0) return io_error(errno);
  return Error::ok;
}

}  // namespace tl::posix
