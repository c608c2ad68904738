#include "server/store/path.hpp"

#include <charconv>

namespace tl::server::store {

std::optional<Path> Path::parse(std::string_view text) {
  if (text.empty() || text.front() != '/') return std::nullopt;
  text.remove_prefix(1);
  if (text.size() > 1 && text.back() == '/') text.remove_suffix(1);  // "/3/", not "//"
  std::uint16_t ids[4] = {};
  int depth = 0;
  while (!text.empty()) {
    if (depth == 4) return std::nullopt;
    const auto slash = text.find('/');
    const std::string_view part = text.substr(0, slash);
    unsigned value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || error != std::errc{} || end != part.data() + part.size() || value > kMaxId) {
      return std::nullopt;
    }
    ids[depth++] = static_cast<std::uint16_t>(value);
    text = slash == std::string_view::npos ? std::string_view{} : text.substr(slash + 1);
    if (slash != std::string_view::npos && text.empty()) return std::nullopt;  // "//" at the end
  }
  return of(depth, ids[0], ids[1], ids[2], ids[3]);
}

std::string Path::to_string() const {
  const int levels = depth();
  if (levels == 0) return "/";
  std::string text;
  for (int level = 0; level < levels; ++level) {
    text += '/';
    text += std::to_string(id(level));
  }
  return text;
}

}  // namespace tl::server::store
