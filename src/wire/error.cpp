#include "wire/error.hpp"

namespace tl::wire {

const char* error_name(Error e) {
  switch (e) {
    case Error::ok: return "ok";
    case Error::truncated: return "truncated";
    case Error::malformed: return "malformed";
    case Error::buffer_too_small: return "buffer_too_small";
    case Error::token_too_long: return "token_too_long";
    case Error::option_too_long: return "option_too_long";
    case Error::unknown_critical_option: return "unknown_critical_option";
    case Error::bad_option: return "bad_option";
    case Error::invalid_utf8: return "invalid_utf8";
    case Error::nesting_too_deep: return "nesting_too_deep";
    case Error::inconsistent_length: return "inconsistent_length";
    case Error::missing_name: return "missing_name";
    case Error::conflicting_name: return "conflicting_name";
    case Error::bad_path: return "bad_path";
    case Error::bad_number: return "bad_number";
    case Error::wrong_type: return "wrong_type";
    case Error::out_of_range: return "out_of_range";
    case Error::unsupported: return "unsupported";
    case Error::too_many_items: return "too_many_items";
    case Error::block_out_of_order: return "block_out_of_order";
    case Error::block_missing: return "block_missing";
    case Error::end: return "end";
  }
  return "?";
}

}  // namespace tl::wire
