// Fuzzes link format: walks every link and parameter, runs every typed getter, rewrites the links
// with the writer and checks that the copy reads back the same; also parses the input as a
// Write-Attributes query and round-trips what parses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "wire/lwm2m/link_format.hpp"

using namespace tl::wire;
using namespace tl::wire::lwm2m;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// Unescaped text of a parameter value (quoted or not) into `buf`.
std::string_view plain_value(const link::Param& p, std::vector<uint8_t>& buf) {
  if (!p.quoted) return p.value;
  ByteWriter out(buf.data(), buf.size());
  check(link::unquote(p.value, out) == Error::ok);
  return as_text(out.written());
}

void copy_param(const link::Param& p, link::Writer& w, std::vector<uint8_t>& buf) {
  if (!p.has_value) {
    w.attr(p.key);
  } else if (p.quoted) {
    w.attr_quoted(p.key, plain_value(p, buf));
  } else {
    w.attr_token(p.key, p.value);
  }
}

// Walks all links; copies them into `w` when given. Returns the number of links, -1 on error.
long walk(std::string_view text, link::Writer* w, std::vector<uint8_t>& buf) {
  link::Reader r(text);
  long count = 0;
  while (true) {
    Result<link::Link> l = r.next();
    if (!l) return l.error() == Error::end ? count : -1;
    ++count;
    (void)l->path();
    (void)l->attributes();
    (void)l->get_uint("pmin");
    (void)l->get_float_bits("gt");
    if (w != nullptr) w->link_uri(l->uri);
    link::ParamReader params = l->param_reader();
    // The reader checked every parameter before yielding the link.
    for (Result<link::Param> p = params.next(); p.ok(); p = params.next()) {
      if (w != nullptr) copy_param(*p, *w, buf);
    }
  }
}

void query_round_trip(std::string_view text) {
  Result<link::Attributes> a = link::parse_query(text);
  if (!a) return;
  uint8_t buf[256];
  ByteWriter out(buf, sizeof buf);
  check(link::write_query(*a, out) == Error::ok);
  Result<link::Attributes> back = link::parse_query(as_text(out.written()));
  check(back.ok() && back->present == a->present && back->unset == a->unset);
  check(back->pmin == a->pmin && back->pmax == a->pmax && back->gt == a->gt &&
        back->lt == a->lt && back->st == a->st && back->epmin == a->epmin &&
        back->epmax == a->epmax);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<uint8_t> buf(size + 1);
  query_round_trip(text);
  std::vector<uint8_t> copy(size * 2 + 16);
  ByteWriter out(copy.data(), copy.size());
  link::Writer w(out);
  long links = walk(text, &w, buf);
  if (links < 0) return 0;
  check(w.status() == Error::ok);
  check(walk(as_text(out.written()), nullptr, buf) == links);
  return 0;
}
