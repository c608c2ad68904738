// 5 Firmware Update: every resource of object version 1.1 and the state machine of TS 1.1 E.6.
// No firmware download or install exists yet, so a write of Package (0) or of a non-empty
// Package URI (1) is refused: the answer is 4.05 (the object API has no 5.01 Not Implemented)
// and Update Result says why (8 for a Package, 9 "unsupported protocol" for a URI). Writing an
// empty Package or URI resets the state machine to Idle, as the TS requires. docs/objects.md.
#pragma once
#include <cstdint>

#include "client/object.hpp"
#include "client/platform.hpp"

namespace tl::objects {

class FirmwareUpdate final : public client::SingleInstanceObject {
 public:
  enum class State : uint8_t { idle = 0, downloading = 1, downloaded = 2, updating = 3 };
  enum class Result : uint8_t {
    initial = 0, success = 1, no_storage = 2, no_memory = 3, connection_lost = 4,
    integrity_failure = 5, unsupported_type = 6, invalid_uri = 7, failed = 8,
    unsupported_protocol = 9, cancelled = 10, deferred = 11,
  };

  // The platform gives the time of state changes (resource 12).
  explicit FirmwareUpdate(client::Platform& platform);

  State state() const { return state_; }
  Result result() const { return result_; }

  client::Status read(const client::Path& path, client::Value& out, wire::MutableBytes scratch) override;
  client::Status write(const client::Path& path, const client::Value& value) override;
  client::Status write_chunk(const client::Path& path, size_t offset, wire::Bytes data, bool last) override;
  client::Status execute(const client::Path& path, std::string_view args) override;
  uint16_t resource_instance(uint16_t iid, uint16_t rid, size_t index) const override;

 private:
  void enter(State s, Result r);
  client::Status refuse(Result r);

  client::Platform& platform_;
  State state_ = State::idle;
  Result result_ = Result::initial;
  int64_t state_time_ = 0;
  uint8_t severity_ = 1;          // 11: mandatory (the DDF's default)
  uint32_t max_defer_s_ = 0;      // 13: no deferral
};

}  // namespace tl::objects
