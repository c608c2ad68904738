// Error codes shared by every encoder and decoder of the wire layer.
// Freestanding: no heap, no exceptions. Every decoder returns one of these instead of throwing,
// so a server can map it onto a CoAP response code (see coap_code_for()).
#pragma once
#include <cstdint>

namespace tl::wire {

enum class Error : uint8_t {
  ok = 0,
  truncated,                // input ends before a length or header says it should
  malformed,                // structurally invalid input (reserved values, bad markers...)
  buffer_too_small,         // caller's output buffer cannot hold the result
  token_too_long,           // CoAP token length nibble above 8
  option_too_long,          // option value longer than the option allows
  unknown_critical_option,  // RFC 7252 5.4.1: must be rejected with 4.02
  bad_option,               // known option with an invalid value (e.g. Block with SZX 7)
  invalid_utf8,             // string value that is not well-formed UTF-8
  nesting_too_deep,         // TLV / CBOR nesting beyond what the format or our limits allow
  inconsistent_length,      // nested lengths that do not add up (TLV)
  missing_name,             // SenML record with no resolvable name
  conflicting_name,         // SenML record whose name conflicts with its base/siblings
  bad_path,                 // LwM2M path syntax or range error
  bad_number,               // numeric text that does not parse or is out of range
  wrong_type,               // value of another type than the one asked for
  out_of_range,             // numeric value outside the range of the target type
  unsupported,              // valid input that this implementation does not handle
  too_many_items,           // more items than a fixed-capacity table holds
  block_out_of_order,       // block-wise: a block number that is not the next one expected
  block_missing,            // block-wise: a gap in the block sequence
  end,                      // iteration finished (not a failure)
};

// Short, stable name for logs and test messages.
const char* error_name(Error e);

}  // namespace tl::wire
