#include "server/http/links.hpp"

namespace tl::server::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' ||
                        s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Splits at `sep` outside double quotes and angle brackets.
std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  bool bracket = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' && !bracket) quoted = !quoted;
    if (!quoted && c == '<') bracket = true;
    if (!quoted && c == '>') bracket = false;
    if (c == sep && !quoted && !bracket) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

}  // namespace

std::vector<Link> parse_links(std::string_view text) {
  std::vector<Link> links;
  for (std::string_view item : split(text, ',')) {
    item = trim(item);
    if (item.size() < 2 || item.front() != '<') continue;
    const auto close = item.find('>');
    if (close == std::string_view::npos) continue;
    Link link;
    link.url = std::string(item.substr(1, close - 1));
    std::string_view rest = item.substr(close + 1);
    auto params = split(rest, ';');
    for (std::size_t i = 1; i < params.size(); ++i) {  // params[0] is what precedes the first ';'
      std::string_view p = trim(params[i]);
      if (p.empty()) continue;
      const auto eq = p.find('=');
      std::string name(trim(p.substr(0, eq)));
      std::string_view value = eq == std::string_view::npos ? std::string_view{} : trim(p.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (!name.empty()) link.attributes.emplace_back(std::move(name), std::string(value));
    }
    links.push_back(std::move(link));
  }
  return links;
}

}  // namespace tl::server::http
