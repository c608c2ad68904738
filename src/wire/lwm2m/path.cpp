#include "wire/lwm2m/path.hpp"

#include <algorithm>

namespace tl::wire::lwm2m {

namespace {

// One decimal id: digits only, at least one, value <= 65534. Leading zeros are accepted
// ("/03" is /3) because the LwM2M TS does not forbid them and CoAP carries segments as text.
Result<uint16_t> parse_id(std::string_view s) {
  if (s.empty()) return Error::bad_path;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return Error::bad_path;
    v = v * 10 + static_cast<uint32_t>(c - '0');
    // Checked per digit so a long run of digits cannot overflow the accumulator.
    if (v >= Path::kInvalidId) return Error::bad_path;
  }
  return static_cast<uint16_t>(v);
}

}  // namespace

Path Path::child(uint16_t id) const {
  if (depth >= 4) return *this;
  Path p = *this;
  p.ids[depth] = id;
  ++p.depth;
  return p;
}

Path Path::parent() const {
  if (depth == 0) return *this;
  Path p = *this;
  --p.depth;
  p.ids[p.depth] = kInvalidId;
  return p;
}

bool Path::contains(const Path& other) const {
  if (other.depth < depth) return false;
  return std::equal(ids, ids + depth, other.ids);
}

bool operator==(const Path& a, const Path& b) {
  return a.depth == b.depth && std::equal(a.ids, a.ids + a.depth, b.ids);
}

bool operator<(const Path& a, const Path& b) {
  uint8_t common = std::min(a.depth, b.depth);
  for (uint8_t k = 0; k < common; ++k) {
    if (a.ids[k] != b.ids[k]) return a.ids[k] < b.ids[k];
  }
  return a.depth < b.depth;
}

void PathParser::feed(std::string_view piece) {
  // The state lives in locals for the loop: stores through `this` may alias the chars read.
  uint32_t id = id_;
  bool chars = chars_, digits = digits_, slash = slash_, bad = bad_;
  for (const char c : piece) {
    if (!chars) {
      chars = true;
      if (c == '/') continue;  // the optional leading '/'
    }
    if (c == '/') {
      // Two in a row leave an empty segment; only a dropped final '/' can excuse the second one.
      bad |= slash;
      slash = true;
      continue;
    }
    if (slash) {  // a digit after '/' closes the segment before it
      if (!digits || path_.depth == 4) {
        bad = true;
      } else {
        path_.ids[path_.depth++] = static_cast<uint16_t>(id);
      }
      id = 0;
      digits = false;
      slash = false;
    }
    // Checked per digit so a long run of (leading zero) digits cannot overflow the accumulator.
    id = id * 10 + static_cast<uint32_t>(c - '0');
    bad |= c < '0' || c > '9' || id >= Path::kInvalidId;
    digits = true;
  }
  id_ = id;
  chars_ = chars;
  digits_ = digits;
  slash_ = slash;
  bad_ = bad;
}

Result<Path> PathParser::finish(bool drop_trailing_slash) const {
  if (bad_ || (slash_ && !drop_trailing_slash)) return Error::bad_path;
  // Nothing after the leading '/' (or the dropped final one): "/" is the root, "" nothing.
  if (!digits_) return chars_ ? Result<Path>(Path::root()) : Error::bad_path;
  if (path_.depth == 4) return Error::bad_path;
  return path_.child(static_cast<uint16_t>(id_));
}

Result<Path> parse_path(std::string_view text) {
  PathParser p;
  p.feed(text);
  return p.finish();
}

Result<Path> path_from_segments(const std::string_view* segments, size_t count) {
  if (count > 4) return Error::bad_path;
  Path p;
  for (size_t k = 0; k < count; ++k) {
    Result<uint16_t> id = parse_id(segments[k]);
    if (!id) return id.error();
    p = p.child(*id);
  }
  return p;
}

Error format_path(const Path& p, ByteWriter& out) {
  if (p.depth == 0) {
    out.put(static_cast<uint8_t>('/'));
    return out.status();
  }
  for (uint8_t k = 0; k < p.depth && k < 4; ++k) {
    out.put(static_cast<uint8_t>('/'));
    // Ids are at most five digits: write them most significant first without numtext.
    char digits[5];
    unsigned n = 0;
    unsigned v = p.ids[k];
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0) out.put(static_cast<uint8_t>(digits[--n]));
  }
  return out.status();
}

}  // namespace tl::wire::lwm2m
