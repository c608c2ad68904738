// Bytes as hex text, both ways (keys and identities on command lines, in files and in JSON).
// Freestanding: the caller owns the buffers.
#pragma once
#include <string_view>

#include "wire/bytes.hpp"
#include "wire/error.hpp"

namespace tl::wire {

// `text` in either case, two digits per byte, into exactly text.size() / 2 bytes of `out`.
// Errors: malformed (odd length or a non-hex character), buffer_too_small.
Error decode_hex(std::string_view text, MutableBytes out);
// Lower-case digits, two per byte; `out` holds 2 * in.size() characters.
Error encode_hex(Bytes in, std::span<char> out);

}  // namespace tl::wire
