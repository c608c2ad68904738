// Bearer tokens for the REST API. Each token is kept only as the SHA-256 of its secret, with a
// name and its creation time, in `tokens.json` in the data directory (mode 0600). The secret is
// shown once, when the token is added.
//
// The server verifies with the file as it is on disk: a token added or revoked by
// `tinyloop server token ...` while the server runs takes effect at the next request.
#pragma once
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tl::server::http {

// A token file that cannot be read or written, or a bad name. The message says what to do.
class TokenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TokenInfo {
  std::string name;
  std::int64_t created_ms = 0;  // since the Unix epoch
};

class TokenStore {
 public:
  // Reads <data_dir>/tokens.json when present (an absent file is no tokens). Throws TokenError
  // on an unreadable or malformed file.
  explicit TokenStore(std::filesystem::path data_dir);
  // No file: tokens live in memory only (tests, fuzzing).
  TokenStore();

  // Names: 1 to 64 of [A-Za-z0-9._-]. Returns the secret (32 random bytes, base64url): the only
  // time it is available. Throws TokenError when the name is invalid or taken.
  std::string add(std::string_view name);
  std::vector<TokenInfo> list() const;
  // False when no token has that name.
  bool revoke(std::string_view name);
  // An Authorization header value ("Bearer <secret>") -> the token's name; nullopt when missing,
  // malformed or unknown. Compares hashes in constant time, against every token.
  std::optional<std::string> verify(std::string_view authorization) const;

  static constexpr std::string_view kFileName = "tokens.json";
  const std::filesystem::path& file() const { return file_; }

 private:
  struct Entry {
    std::string name;
    std::string hash_hex;
    std::int64_t created_ms = 0;
  };
  void load_locked() const;          // from file_, when there is one
  void reload_if_changed_locked() const;
  void save_locked() const;

  std::filesystem::path file_;  // empty: in memory
  mutable std::mutex mutex_;
  mutable std::vector<Entry> entries_;
  mutable std::filesystem::file_time_type loaded_mtime_{};
  mutable std::uintmax_t loaded_size_ = 0;
  mutable bool loaded_exists_ = false;
};

// For the command line (`tinyloop server token add|list|revoke`): each opens the token file of the
// data directory and returns the text to print. They throw TokenError with a message for the
// user (bad name, name taken, no such token, unwritable file).
std::string token_add(const std::filesystem::path& data_dir, std::string_view name);
std::string token_list(const std::filesystem::path& data_dir);
std::string token_revoke(const std::filesystem::path& data_dir, std::string_view name);

}  // namespace tl::server::http
