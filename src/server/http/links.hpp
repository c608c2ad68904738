// CoRE link format (RFC 6690) as LwM2M devices send it in Register, Update and Discover:
// `</>;rt="oma.lwm2m";ct=110,</1/0>,</3/0>;ver=1.1`. Parsed leniently: a link that cannot be read
// is skipped, never an error (the text comes from devices).
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tl::server::http {

struct Link {
  std::string url;                                          // "/3/0"
  std::vector<std::pair<std::string, std::string>> attributes;  // ver=1.1 -> {"ver","1.1"}; a bare
                                                            // attribute has an empty value
};

std::vector<Link> parse_links(std::string_view text);

}  // namespace tl::server::http
