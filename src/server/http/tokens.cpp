#include "server/http/tokens.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server/http/crypto.hpp"

namespace tl::server::http {

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string hash_hex(std::string_view secret) {
  const auto digest = sha256(secret);
  return to_hex(digest);
}

// An advisory lock on <file>.lock for the read-modify-write of add and revoke, so two commands
// at once do not lose each other's change.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& file) {
    if (file.empty()) return;
    const std::string lock = file.string() + ".lock";
    fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) {
      ::flock(fd_, LOCK_UN);
      ::close(fd_);
    }
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

std::string format_time(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

TokenStore::TokenStore() = default;

TokenStore::TokenStore(std::filesystem::path data_dir) : file_(std::move(data_dir) / kFileName) {
  std::lock_guard lock(mutex_);
  load_locked();
}

void TokenStore::load_locked() const {
  if (file_.empty()) return;
  std::error_code ec;
  const bool exists = std::filesystem::exists(file_, ec);
  if (!exists) {
    entries_.clear();
    loaded_exists_ = false;
    return;
  }
  const auto mtime = std::filesystem::last_write_time(file_, ec);
  const auto size = std::filesystem::file_size(file_, ec);
  std::ifstream in(file_);
  if (!in) {
    throw TokenError("cannot read " + file_.string() + ": check its permissions");
  }
  std::vector<Entry> entries;
  try {
    const auto json = nlohmann::json::parse(in);
    for (const auto& t : json.at("tokens")) {
      Entry e;
      e.name = t.at("name").get<std::string>();
      e.hash_hex = t.at("sha256").get<std::string>();
      e.created_ms = t.value("created_ms", std::int64_t{0});
      std::vector<std::uint8_t> bytes;
      if (!valid_name(e.name) || e.hash_hex.size() != 64 || !from_hex(e.hash_hex, bytes)) {
        throw TokenError("bad entry");
      }
      entries.push_back(std::move(e));
    }
  } catch (const std::exception& error) {
    throw TokenError(file_.string() + " is not a valid token file (" + error.what() +
                     "): fix it, or move it away and add tokens again with "
                     "`tinyloop server token add NAME`");
  }
  entries_ = std::move(entries);
  loaded_mtime_ = mtime;
  loaded_size_ = size;
  loaded_exists_ = true;
}

void TokenStore::reload_if_changed_locked() const {
  if (file_.empty()) return;
  std::error_code ec;
  const bool exists = std::filesystem::exists(file_, ec);
  if (exists == loaded_exists_) {
    if (!exists) return;
    const auto mtime = std::filesystem::last_write_time(file_, ec);
    if (ec) return;
    const auto size = std::filesystem::file_size(file_, ec);
    if (!ec && mtime == loaded_mtime_ && size == loaded_size_) return;
  }
  try {
    load_locked();
  } catch (const TokenError&) {
    // Keep the tokens loaded before: a broken file must not open the API, nor lock everyone out
    // while someone fixes it (only the tokens known before stay valid).
  }
}

void TokenStore::save_locked() const {
  if (file_.empty()) return;
  nlohmann::json tokens = nlohmann::json::array();
  for (const auto& e : entries_) {
    tokens.push_back({{"name", e.name}, {"sha256", e.hash_hex}, {"created_ms", e.created_ms}});
  }
  const nlohmann::json doc = {{"version", 1}, {"tokens", tokens}};
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  const std::filesystem::path tmp = file_.string() + ".tmp";
  {
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw TokenError("cannot write " + tmp.string() + ": check the data directory");
    const std::string text = doc.dump(2) + "\n";
    std::size_t done = 0;
    while (done < text.size()) {
      const auto n = ::write(fd, text.data() + done, text.size() - done);
      if (n <= 0) {
        ::close(fd);
        throw TokenError("cannot write " + tmp.string() + ": disk full?");
      }
      done += static_cast<std::size_t>(n);
    }
    ::fsync(fd);
    ::close(fd);
  }
  std::filesystem::rename(tmp, file_, ec);
  if (ec) throw TokenError("cannot replace " + file_.string() + ": " + ec.message());
  loaded_mtime_ = std::filesystem::last_write_time(file_, ec);
  loaded_size_ = std::filesystem::file_size(file_, ec);
  loaded_exists_ = true;
}

std::string TokenStore::add(std::string_view name) {
  if (!valid_name(name)) {
    throw TokenError("invalid token name '" + std::string(name) +
                     "': use 1 to 64 letters, digits, '.', '_' or '-'");
  }
  std::lock_guard lock(mutex_);
  FileLock file_lock(file_);
  load_locked();
  for (const auto& e : entries_) {
    if (e.name == name) {
      throw TokenError("a token named '" + std::string(name) +
                       "' exists: revoke it first or choose another name");
    }
  }
  const auto secret = base64url(random_bytes(32));
  entries_.push_back(Entry{std::string(name), hash_hex(secret), now_ms()});
  try {
    save_locked();
  } catch (...) {
    entries_.pop_back();
    throw;
  }
  return secret;
}

std::vector<TokenInfo> TokenStore::list() const {
  std::lock_guard lock(mutex_);
  reload_if_changed_locked();
  std::vector<TokenInfo> out;
  for (const auto& e : entries_) out.push_back(TokenInfo{e.name, e.created_ms});
  return out;
}

bool TokenStore::revoke(std::string_view name) {
  std::lock_guard lock(mutex_);
  FileLock file_lock(file_);
  load_locked();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->name == name) {
      const Entry removed = *it;
      entries_.erase(it);
      try {
        save_locked();
      } catch (...) {
        entries_.push_back(removed);
        throw;
      }
      return true;
    }
  }
  return false;
}

std::optional<std::string> TokenStore::verify(std::string_view authorization) const {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char a = authorization[i];
    const char b = kScheme[i];
    if ((a | 0x20) != (b | 0x20)) return std::nullopt;  // the scheme is case-insensitive
  }
  std::string_view secret = authorization.substr(kScheme.size());
  while (!secret.empty() && secret.front() == ' ') secret.remove_prefix(1);
  while (!secret.empty() && secret.back() == ' ') secret.remove_suffix(1);
  if (secret.empty() || secret.size() > 512) return std::nullopt;
  const auto digest = sha256(secret);

  std::lock_guard lock(mutex_);
  reload_if_changed_locked();
  std::optional<std::string> found;
  for (const auto& e : entries_) {
    std::vector<std::uint8_t> stored;
    if (!from_hex(e.hash_hex, stored)) continue;
    // Every entry is compared, whatever matched before.
    if (constant_time_equal(stored, digest) && !found) found = e.name;
  }
  return found;
}

std::string token_add(const std::filesystem::path& data_dir, std::string_view name) {
  TokenStore store(data_dir);
  const auto secret = store.add(name);
  std::ostringstream out;
  out << "Added token '" << name << "'. Copy it now: it is not shown again.\n\n"
      << "  " << secret << "\n\n"
      << "Use it in the Authorization header of every API request, e.g.\n"
      << "  curl -H 'Authorization: Bearer " << secret << "' http://127.0.0.1:8080/api/clients\n";
  return out.str();
}

std::string token_list(const std::filesystem::path& data_dir) {
  TokenStore store(data_dir);
  const auto tokens = store.list();
  if (tokens.empty()) {
    return "No tokens. Add one with `tinyloop server token add NAME`.\n";
  }
  std::size_t width = 4;
  for (const auto& t : tokens) width = std::max(width, t.name.size());
  std::ostringstream out;
  out << "NAME" << std::string(width - 4 + 2, ' ') << "CREATED (UTC)\n";
  for (const auto& t : tokens) {
    out << t.name << std::string(width - t.name.size() + 2, ' ') << format_time(t.created_ms)
        << '\n';
  }
  return out.str();
}

std::string token_revoke(const std::filesystem::path& data_dir, std::string_view name) {
  TokenStore store(data_dir);
  if (!store.revoke(name)) {
    throw TokenError("no token named '" + std::string(name) +
                     "': see `tinyloop server token list`");
  }
  return "Revoked token '" + std::string(name) + "': requests using it are refused from now on.\n";
}

}  // namespace tl::server::http
