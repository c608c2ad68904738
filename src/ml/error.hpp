// Error codes of the TinyML runtime. tl::ml is freestanding and independent of src/wire, so it
// has its own enum; every failure path returns one specific code (tests check the exact code).
#pragma once

#include <cstdint>

namespace tl::ml {

enum class Error : std::uint8_t {
  ok = 0,
  bad_argument,      // null pointer, zero or inconsistent size passed by the caller
  non_finite_input,  // a window sample (or feature vector entry) is NaN or infinite
  bad_pipeline,      // pipeline fields out of range (N, A, hop, block kinds, block count, scaler)
  bad_magic,         // blob does not start with "TLM1"
  bad_version,       // blob format version not supported by this runtime
  truncated,         // fewer bytes than the blob header / total_size announces
  too_large,         // a size or count past a runtime limit (kMaxBlobSize, kMaxClasses, ...)
  bad_crc,           // CRC-32 over the blob does not match
  out_of_bounds,     // a section offset/size points outside the blob or sections overlap
  bad_section,       // unknown or duplicated section, misaligned offset, section size mismatch
  bad_index,         // feature/child/class/threshold index out of range or backward child link
  bad_model,         // model values invalid: unsorted thresholds, NaN/inf parameters, radius <= 0
  pipeline_mismatch, // model input count != pipeline feature count, or device pipeline differs
  buffer_too_small,  // output buffer (writer, packer) cannot hold the result
  not_ready,         // LOF store holds too few vectors (needs more than k) to score
};

// Short stable identifier of an error ("bad_crc", ...) for logs and test messages.
const char* error_name(Error e);

}  // namespace tl::ml
