#include "objects/firmware_update.hpp"

#include "model/object_def.hpp"

namespace tl::objects {

using client::Path;
using client::Status;
using client::Value;

namespace {
constexpr uint16_t kFirmware = 5;
// 9: the state machine takes both, even though neither has a transport yet (see the header).
constexpr int64_t kDeliveryBoth = 2;
}  // namespace

FirmwareUpdate::FirmwareUpdate(client::Platform& platform)
    : SingleInstanceObject(*model::find_object(kFirmware)), platform_(platform),
      state_time_(platform.utc_seconds()) {}

void FirmwareUpdate::enter(State s, Result r) {
  if (s != state_) {
    state_ = s;
    state_time_ = platform_.utc_seconds();
    changed(Path::resource(kFirmware, 0, 3));
    changed(Path::resource(kFirmware, 0, 12));
  }
  if (r != result_) {
    result_ = r;
    changed(Path::resource(kFirmware, 0, 5));
  }
}

// A delivery this device cannot take yet (no image transfer in this build): the state machine stays
// Idle with the reason recorded, and 5.01 tells the server it is a missing feature, not a bad request.
Status FirmwareUpdate::refuse(Result r) {
  enter(State::idle, r);
  return Status::not_implemented;
}

uint16_t FirmwareUpdate::resource_instance(uint16_t, uint16_t, size_t) const {
  return client::kNoId;  // 8: no download protocol is supported yet
}

Status FirmwareUpdate::read(const Path& path, Value& out, wire::MutableBytes) {
  switch (path.resource_id()) {
    case 1: out = Value::string(""); return Status::ok;  // no URI is ever accepted
    case 3: out = Value::integer(static_cast<int64_t>(state_)); return Status::ok;
    case 5: out = Value::integer(static_cast<int64_t>(result_)); return Status::ok;
    case 6: case 7: out = Value::string(""); return Status::ok;  // no package downloaded
    case 9: out = Value::integer(kDeliveryBoth); return Status::ok;
    case 11: out = Value::integer(severity_); return Status::ok;
    case 12: out = Value::time(state_time_); return Status::ok;
    case 13: out = Value::unsigned_integer(max_defer_s_); return Status::ok;
    default: return Status::not_found;
  }
}

Status FirmwareUpdate::write(const Path& path, const Value& value) {
  switch (path.resource_id()) {
    case 0:
    case 1:
      // Empty: the TS's reset to Idle (and Update Result 0), allowed in any state but Updating.
      if (value.bytes.empty()) {
        if (state_ == State::updating) return Status::not_allowed;
        enter(State::idle, Result::initial);
        return Status::ok;
      }
      return refuse(path.resource_id() == 0 ? Result::failed : Result::unsupported_protocol);
    case 11:
      if (value.i < 0 || value.i > 2) return Status::bad_request;
      severity_ = static_cast<uint8_t>(value.i);
      return Status::ok;
    case 13:
      if (value.u > UINT32_MAX) return Status::bad_request;
      max_defer_s_ = static_cast<uint32_t>(value.u);
      return Status::ok;
    default: return Status::not_found;
  }
}

// A Package pushed block by block is refused at its first block.
Status FirmwareUpdate::write_chunk(const Path& path, size_t offset, wire::Bytes data, bool last) {
  if (offset == 0 && last) return write(path, Value::opaque(data));
  return refuse(Result::failed);
}

Status FirmwareUpdate::execute(const Path& path, std::string_view) {
  switch (path.resource_id()) {
    case 2:  // Update: only a downloaded image can be installed, and none is downloaded yet
      return Status::not_allowed;
    case 10:  // Cancel: only before the install starts
      if (state_ != State::downloading && state_ != State::downloaded) return Status::not_allowed;
      enter(State::idle, Result::cancelled);
      return Status::ok;
    default: return Status::not_found;
  }
}

}  // namespace tl::objects
