#include "wire/coap/option.hpp"

#include <algorithm>
#include <array>

#include "wire/coap/uint_value.hpp"

namespace tl::wire::coap {
namespace {

using F = OptionFormat;
using N = OptionNumber;

// RFC 7252 table 5.10, RFC 7641 (Observe), RFC 7959 (Block1/2, Size2); sorted by number.
constexpr std::array<OptionInfo, 19> kRegistry{{
    {N::if_match, F::opaque, true, 0, 8},
    {N::uri_host, F::string, false, 1, 255},
    {N::etag, F::opaque, true, 1, 8},
    {N::if_none_match, F::empty, false, 0, 0},
    {N::observe, F::uint, false, 0, 3},
    {N::uri_port, F::uint, false, 0, 2},
    {N::location_path, F::string, true, 0, 255},
    {N::uri_path, F::string, true, 0, 255},
    {N::content_format, F::uint, false, 0, 2},
    {N::max_age, F::uint, false, 0, 4},
    {N::uri_query, F::string, true, 0, 255},
    {N::accept, F::uint, false, 0, 2},
    {N::location_query, F::string, true, 0, 255},
    {N::block2, F::uint, false, 0, 3},
    {N::block1, F::uint, false, 0, 3},
    {N::size2, F::uint, false, 0, 4},
    {N::proxy_uri, F::string, false, 1, 1034},
    {N::proxy_scheme, F::string, false, 1, 255},
    {N::size1, F::uint, false, 0, 4},
}};

static_assert(std::is_sorted(kRegistry.begin(), kRegistry.end(),
                             [](const OptionInfo& a, const OptionInfo& b) { return a.number < b.number; }));

constexpr OptionSet set_of_registry() {
  OptionSet set;
  for (const OptionInfo& info : kRegistry) set = set.with(info.number);
  return set;
}
constexpr OptionSet kRegisteredSet = set_of_registry();

}  // namespace

const OptionInfo* find_option_info(OptionNumber n) {
  const auto* it = std::lower_bound(kRegistry.begin(), kRegistry.end(), n,
                                    [](const OptionInfo& info, OptionNumber x) { return info.number < x; });
  return it != kRegistry.end() && it->number == n ? it : nullptr;
}

Error check_length(OptionNumber n, size_t length) {
  const OptionInfo* info = find_option_info(n);
  if (info == nullptr) return Error::ok;
  if (length > info->max_length) return Error::option_too_long;
  if (length < info->min_length) return Error::bad_option;
  return Error::ok;
}

OptionSet registered_options() { return kRegisteredSet; }

Maybe<uint32_t> Option::as_uint() const {
  Result<uint32_t> v = detail::read_uint_value(value, 4);
  if (!v) return {};
  return {*v, true};
}

}  // namespace tl::wire::coap
