// LwM2M paths: /o, /o/i, /o/i/r, /o/i/r/ri (and the root "/"), each id 0..65534.
// 65535 is reserved by LwM2M (TS 1.1 7.4.2 "ID:65535 is reserved") and is never a valid id here.
#pragma once
#include <cstdint>
#include <string_view>

#include "wire/bytes.hpp"

namespace tl::wire::lwm2m {

struct Path {
  static constexpr uint16_t kInvalidId = 0xFFFF;
  uint16_t ids[4] = {kInvalidId, kInvalidId, kInvalidId, kInvalidId};
  uint8_t depth = 0;  // 0 = root, 1 = object, 2 = instance, 3 = resource, 4 = resource instance

  static constexpr Path root() { return {}; }
  static constexpr Path object(uint16_t o) { return {{o, kInvalidId, kInvalidId, kInvalidId}, 1}; }
  static constexpr Path instance(uint16_t o, uint16_t i) { return {{o, i, kInvalidId, kInvalidId}, 2}; }
  static constexpr Path resource(uint16_t o, uint16_t i, uint16_t r) { return {{o, i, r, kInvalidId}, 3}; }
  static constexpr Path resource_instance(uint16_t o, uint16_t i, uint16_t r, uint16_t ri) {
    return {{o, i, r, ri}, 4};
  }

  uint16_t object_id() const { return ids[0]; }
  uint16_t instance_id() const { return ids[1]; }
  uint16_t resource_id() const { return ids[2]; }
  uint16_t resource_instance_id() const { return ids[3]; }
  bool is_root() const { return depth == 0; }

  // A path with one more level (depth must be < 4; otherwise returns *this unchanged).
  Path child(uint16_t id) const;
  // The path one level up (root stays root).
  Path parent() const;
  // True when `other` equals this path or lies below it.
  bool contains(const Path& other) const;

  friend bool operator==(const Path& a, const Path& b);
  // Total order: by ids level by level, a parent before its children.
  friend bool operator<(const Path& a, const Path& b);
};

// Parses "/3/0/1", "3/0/1", "/" (root). Trailing slash is rejected except for the root.
Result<Path> parse_path(std::string_view text);

// parse_path over text that arrives in pieces, without joining them: SenML names are a base name
// and a name concatenated, and a reader keeps the state after the base name to resume from for
// every record instead of copying and re-parsing the joined text.
class PathParser {
 public:
  void feed(std::string_view piece);
  // The path of everything fed, as parse_path reads it; with `drop_trailing_slash` one final '/'
  // after at least one other character is ignored first ("/3/0/" reads as /3/0, "//" as /).
  Result<Path> finish(bool drop_trailing_slash = false) const;

 private:
  Path path_;
  uint32_t id_ = 0;          // the segment being read
  bool chars_ = false;       // any character fed
  bool digits_ = false;      // the segment being read has a digit
  bool slash_ = false;       // the last character was a '/' that ends a segment
  bool bad_ = false;
};
// Builds a path from CoAP Uri-Path segments (each segment a decimal id).
Result<Path> path_from_segments(const std::string_view* segments, size_t count);
// Writes "/3/0/1" ("/" for the root). Returns Error::buffer_too_small when out is too small.
Error format_path(const Path& p, ByteWriter& out);
// Longest text format_path can produce: "/65534/65534/65534/65534".
inline constexpr size_t kMaxPathText = 24;

}  // namespace tl::wire::lwm2m
