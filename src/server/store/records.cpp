#include "server/store/records.hpp"

namespace tl::server::store {

std::string_view to_string(ValueType type) {
  switch (type) {
    case ValueType::integer: return "integer";
    case ValueType::unsigned_integer: return "unsigned";
    case ValueType::floating: return "float";
    case ValueType::boolean: return "boolean";
    case ValueType::string: return "string";
    case ValueType::opaque: return "opaque";
    case ValueType::time: return "time";
    case ValueType::objlnk: return "objlnk";
  }
  return "unknown";
}

std::string_view to_string(RequestKind kind) {
  switch (kind) {
    case RequestKind::read: return "read";
    case RequestKind::write: return "write";
    case RequestKind::execute: return "execute";
    case RequestKind::observe: return "observe";
    case RequestKind::cancel_observe: return "cancel-observe";
    case RequestKind::discover: return "discover";
    case RequestKind::create: return "create";
    case RequestKind::delete_instance: return "delete";
    case RequestKind::write_attributes: return "write-attributes";
    case RequestKind::read_composite: return "read-composite";
    case RequestKind::write_composite: return "write-composite";
    case RequestKind::observe_composite: return "observe-composite";
  }
  return "unknown";
}

std::string_view to_string(RequestState state) {
  switch (state) {
    case RequestState::pending: return "pending";
    case RequestState::done: return "done";
    case RequestState::expired: return "expired";
    case RequestState::failed: return "failed";
  }
  return "unknown";
}

}  // namespace tl::server::store
