#include "ml/error.hpp"

namespace tl::ml {

const char* error_name(Error e) {
  switch (e) {
    case Error::ok: return "ok";
    case Error::bad_argument: return "bad_argument";
    case Error::non_finite_input: return "non_finite_input";
    case Error::bad_pipeline: return "bad_pipeline";
    case Error::bad_magic: return "bad_magic";
    case Error::bad_version: return "bad_version";
    case Error::truncated: return "truncated";
    case Error::too_large: return "too_large";
    case Error::bad_crc: return "bad_crc";
    case Error::out_of_bounds: return "out_of_bounds";
    case Error::bad_section: return "bad_section";
    case Error::bad_index: return "bad_index";
    case Error::bad_model: return "bad_model";
    case Error::pipeline_mismatch: return "pipeline_mismatch";
    case Error::buffer_too_small: return "buffer_too_small";
    case Error::not_ready: return "not_ready";
  }
  return "unknown";
}

}  // namespace tl::ml
