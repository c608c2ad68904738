// Objects 0 (LwM2M Security) and 1 (LwM2M Server): the bootstrap and registration state, held in
// fixed records and persisted through Platform::store/load so that a reboot keeps what the
// bootstrap server wrote. Resources this SDK does not use (SMS, OSCORE, certificates...) are
// accepted on write and not kept, so a bootstrap server writing whole instances does not fail.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "client/config.hpp"
#include "client/object.hpp"
#include "client/platform.hpp"

namespace tl::client {

inline constexpr size_t kMaxAccounts = 2;  // one bootstrap server, one LwM2M server
inline constexpr size_t kMaxUri = 64;
inline constexpr size_t kMaxSecret = TL_CLIENT_MAX_SECRET;  // identity and key

struct SecurityRecord {
  bool used = false;
  uint16_t iid = 0;
  bool bootstrap = false;
  uint8_t mode = static_cast<uint8_t>(SecurityMode::nosec);
  uint16_t short_server_id = 0;
  uint32_t hold_off_s = 0;
  uint8_t uri_len = 0;
  uint8_t identity_len = 0;
  uint8_t key_len = 0;
  char uri[kMaxUri] = {};
  uint8_t identity[kMaxSecret] = {};
  uint8_t key[kMaxSecret] = {};

  std::string_view uri_text() const { return {uri, uri_len}; }
  Credentials credentials() const {
    return {static_cast<SecurityMode>(mode), {identity, identity_len}, {key, key_len}};
  }
};

struct ServerRecord {
  bool used = false;
  uint16_t iid = 0;
  uint16_t short_server_id = 0;
  uint32_t lifetime_s = 86'400;
  uint32_t pmin_s = 0;
  uint32_t pmax_s = 0;
  uint32_t disable_timeout_s = 86'400;
  bool storing = true;
  uint8_t binding_len = 1;
  char binding[4] = {'U', 0, 0, 0};
};

// Common part of objects 0 and 1: a fixed table of records, enumeration and persistence.
template <class Record>
class AccountObject : public Object {
 public:
  using Object::Object;
  uint16_t instance(size_t index) const override;
  Status create(uint16_t iid) override;
  Status remove(uint16_t iid) override;

  Record* find(uint16_t iid);
  const Record* find(uint16_t iid) const;
  std::array<Record, kMaxAccounts>& records() { return records_; }
  const std::array<Record, kMaxAccounts>& records() const { return records_; }
  void clear() { records_ = {}; }
  // Persists the table under `key`; load() returns false when there is no valid record.
  Error save(Platform& platform, std::string_view key) const;
  bool load(Platform& platform, std::string_view key);

 protected:
  ~AccountObject() = default;
  std::array<Record, kMaxAccounts> records_{};
};

class SecurityObject final : public AccountObject<SecurityRecord> {
 public:
  SecurityObject();
  bool has_resource(uint16_t iid, uint16_t rid) const override;
  Status read(const Path& path, Value& out, wire::MutableBytes scratch) override;
  Status write(const Path& path, const Value& value) override;

  const SecurityRecord* bootstrap_account() const;
  const SecurityRecord* server_account() const;  // the first non-bootstrap account
  void add(const ServerAccount& account, uint16_t iid);
};

class ServerObject final : public AccountObject<ServerRecord> {
 public:
  // Flags the engine collects with take_events().
  static constexpr uint8_t kUpdateTrigger = 1;     // resource 8 executed
  static constexpr uint8_t kBootstrapTrigger = 2;  // resource 9 executed
  static constexpr uint8_t kParamsChanged = 4;     // lifetime or binding written
  static constexpr uint8_t kDisable = 8;           // resource 4 executed

  ServerObject();
  bool has_resource(uint16_t iid, uint16_t rid) const override;
  Status read(const Path& path, Value& out, wire::MutableBytes scratch) override;
  Status write(const Path& path, const Value& value) override;
  Status execute(const Path& path, std::string_view args) override;

  const ServerRecord* by_short_id(uint16_t ssid) const;
  void add(const ServerAccount& account, uint16_t iid, bool queue_mode);
  uint8_t take_events() {
    const uint8_t e = events_;
    events_ = 0;
    return e;
  }

 private:
  uint8_t events_ = 0;
};

}  // namespace tl::client
