// An LwM2M path (/object/instance/resource/resource-instance) packed into one 64-bit integer, so
// the store keys values with a single INTEGER column.
//
// Each level takes 16 bits, object highest, and holds id + 1 (LwM2M ids are 0..65534; 65535 is
// reserved), so 0 means "level absent". Hence a path sorts just before everything under it, and
// everything under a path is one contiguous range [packed, last_descendant].
#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tl::server::store {

class Path {
 public:
  static constexpr std::uint16_t kMaxId = 65534;

  // The root "/" (every path is under it).
  constexpr Path() = default;
  // A path of `depth` levels (0..4) from the ids given; ids beyond `depth` are ignored.
  static constexpr Path of(int depth, std::uint16_t object, std::uint16_t instance = 0,
                           std::uint16_t resource = 0, std::uint16_t resource_instance = 0) {
    const std::uint16_t ids[4] = {object, instance, resource, resource_instance};
    std::uint64_t packed = 0;
    for (int level = 0; level < depth && level < 4; ++level) {
      packed |= std::uint64_t{ids[level] + 1u} << (48 - 16 * level);
    }
    return Path(packed);
  }
  // "/", "/3", "/3/0", "/3/0/1", "/3/0/1/2" (a trailing "/" is accepted); nullopt otherwise.
  static std::optional<Path> parse(std::string_view text);
  static constexpr Path from_packed(std::uint64_t packed) { return Path(packed); }

  constexpr std::uint64_t packed() const { return packed_; }
  // Number of levels present: 0 for the root, 4 for a resource instance.
  constexpr int depth() const {
    int depth = 0;
    while (depth < 4 && level_field(depth) != 0) ++depth;
    return depth;
  }
  // The id at `level` (0 = object); only meaningful when level < depth().
  constexpr std::uint16_t id(int level) const {
    return static_cast<std::uint16_t>(level_field(level) - 1u);
  }
  // The greatest packed value of any path under this one (itself when depth() == 4).
  constexpr std::uint64_t last_descendant() const {
    const int d = depth();
    if (d == 0) return ~std::uint64_t{0};
    return d == 4 ? packed_ : packed_ | ((std::uint64_t{1} << (64 - 16 * d)) - 1);
  }
  constexpr bool contains(Path other) const {
    return other.packed_ >= packed_ && other.packed_ <= last_descendant();
  }
  std::string to_string() const;

  friend constexpr auto operator<=>(Path, Path) = default;

 private:
  constexpr explicit Path(std::uint64_t packed) : packed_(packed) {}
  constexpr std::uint64_t level_field(int level) const {
    return (packed_ >> (48 - 16 * level)) & 0xFFFFu;
  }

  std::uint64_t packed_ = 0;
};

}  // namespace tl::server::store
