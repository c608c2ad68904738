#include "wire/coap/code.hpp"

namespace tl::wire::coap {

Code coap_code_for(Error e) {
  switch (e) {
    case Error::ok:
    case Error::end:
      return Code::empty;
    case Error::option_too_long:
    case Error::unknown_critical_option:
    case Error::bad_option:
      return Code::bad_option;
    case Error::block_out_of_order:
    case Error::block_missing:
      return Code::request_entity_incomplete;
    case Error::buffer_too_small:
    case Error::too_many_items:
      return Code::request_entity_too_large;
    case Error::unsupported:
      return Code::unsupported_content_format;
    case Error::truncated:
    case Error::malformed:
    case Error::token_too_long:
    case Error::invalid_utf8:
    case Error::nesting_too_deep:
    case Error::inconsistent_length:
    case Error::missing_name:
    case Error::conflicting_name:
    case Error::bad_path:
    case Error::bad_number:
    case Error::wrong_type:
    case Error::out_of_range:
      return Code::bad_request;
    default:
      // An Error added after this table (a default keeps such an addition from breaking this
      // build under -Werror=switch): 5.00 is always a safe answer.
      return Code::internal_server_error;
  }
}

}  // namespace tl::wire::coap
