// CoRE link format (RFC 6690, content format 40) as LwM2M uses it (TS 1.1 5.3.1 Register,
// 5.4.2 Discover, 5.4.4 Write-Attributes):
//
//   Register:  </>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>,</33650>;ver=1.0,</33650/0>
//   Discover:  </3/0>;pmin=10,</3/0/7>;dim=8;gt=50;lt=42.2,</3/0/13>
//   Write-Attributes (Uri-Query options): pmin=10&pmax=60&gt=20.5, "pmin" alone = unset pmin
//
// Grammar (RFC 6690 2): link = "<" URI ">" *( ";" parmname [ "=" ( ptoken / quoted-string ) ] ),
// links separated by ",". No whitespace is allowed anywhere. Nothing here allocates: the reader
// yields views into the caller's text.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wire/bytes.hpp"
#include "wire/lwm2m/path.hpp"

namespace tl::wire::lwm2m::link {

inline constexpr uint16_t kContentFormat = 40;

// The LwM2M notification attributes a client stores per path (TS 1.1 5.1.2).
enum class Attr : uint8_t { pmin, pmax, gt, lt, st, epmin, epmax };
inline constexpr size_t kAttrCount = 7;
// Attribute name as it appears on the wire ("pmin").
std::string_view attr_name(Attr a);

struct Attributes {
  uint16_t present = 0;  // bit (1 << Attr): the attribute has the value stored below
  uint16_t unset = 0;    // bit (1 << Attr): named without a value, i.e. remove it
  uint32_t pmin = 0;     // seconds
  uint32_t pmax = 0;
  uint32_t epmin = 0;
  uint32_t epmax = 0;
  uint64_t gt = 0;       // binary64 bits
  uint64_t lt = 0;
  uint64_t st = 0;

  static constexpr uint16_t bit(Attr a) { return static_cast<uint16_t>(1u << static_cast<unsigned>(a)); }
  bool has(Attr a) const { return (present & bit(a)) != 0; }
  bool is_unset(Attr a) const { return (unset & bit(a)) != 0; }
  void set_seconds(Attr a, uint32_t seconds);  // pmin, pmax, epmin, epmax
  void set_float_bits(Attr a, uint64_t bits);  // gt, lt, st
};

// Applies one attribute: value text (has_value) or bare name (unset). Unknown name ->
// Error::unsupported; the same attribute twice -> malformed; bad number -> bad_number /
// out_of_range (seconds above 2^32-1).
Error apply_attribute(Attributes& a, std::string_view key, std::string_view value, bool has_value);

// Write-Attributes: each Uri-Query option ("pmin=10", "gt=20.5", "pmin"), as CoAP delivers them.
// Errors of apply_attribute(), and malformed for an empty option.
Result<Attributes> parse_query(const std::string_view* items, size_t count);
// The same from one query string joined with '&' ("pmin=10&pmax=60"). Empty text: no attributes.
// More items than there are attributes -> Error::too_many_items.
Result<Attributes> parse_query(std::string_view query);
// The inverse of parse_query: "pmin=10&gt=20.5&pmax" (set attributes first, then unset ones).
Error write_query(const Attributes& a, ByteWriter& out);

class Writer {
 public:
  explicit Writer(ByteWriter& out) : out_(out) {}
  // Starts a link to an LwM2M path: "</3/0>", separated from the previous link by ','.
  void link(const Path& p);
  // Starts a link to a URI given as text, e.g. "/" for the Register prefix or an alternate path.
  // The URI must not contain '>' (Error::malformed).
  void link_uri(std::string_view uri);
  // Parameters of the current link. Keys must be RFC 6690 parmnames; tokens ptokens.
  void attr(std::string_view key);                               // ;key
  void attr_uint(std::string_view key, uint64_t v);              // ;key=10
  void attr_int(std::string_view key, int64_t v);                // ;key=-3
  void attr_float_bits(std::string_view key, uint64_t bits);     // ;key=20.5
  void attr_token(std::string_view key, std::string_view value); // ;ver=1.0
  void attr_quoted(std::string_view key, std::string_view value);// ;rt="oma.lwm2m" ('"', '\' escaped)
  // Every attribute present in `a`, in Attr order (unset ones have no link-format form).
  void attributes(const Attributes& a);
  // First error: malformed (bad key/token/URI, parameter before any link), the float formatter's
  // error for NaN or infinity (out_of_range), buffer_too_small.
  Error status() const { return error_ != Error::ok ? error_ : out_.status(); }

 private:
  bool start_param(std::string_view key);
  void fail(Error e) {
    if (error_ == Error::ok) error_ = e;
  }

  ByteWriter& out_;
  bool any_link_ = false;
  Error error_ = Error::ok;
};

// One link parameter. A quoted value is given without its quotes but with its escapes (see
// unquote()).
struct Param {
  std::string_view key;
  std::string_view value;
  bool has_value = false;
  bool quoted = false;
};

// Walks the parameters of one link (the text after '>', starting with ';').
class ParamReader {
 public:
  explicit ParamReader(std::string_view params) : text_(params) {}
  // The next parameter; Error::end after the last; malformed on a syntax error.
  Result<Param> next();

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

struct Link {
  std::string_view uri;     // between '<' and '>'
  std::string_view params;  // everything after '>' up to the next link: ";a=1;b"

  Result<Path> path() const { return parse_path(uri); }
  ParamReader param_reader() const { return ParamReader(params); }
  // The first parameter named `key`; Error::end when there is none.
  Result<Param> find(std::string_view key) const;
  // Typed values: Error::end when absent, bad_number when not an (unquoted) number.
  Result<uint64_t> get_uint(std::string_view key) const;
  Result<uint64_t> get_float_bits(std::string_view key) const;
  // The LwM2M notification attributes among the parameters; other parameters are ignored.
  Result<Attributes> attributes() const;
};

// Walks the links of a link-format payload, checking each link's whole syntax before yielding
// it. Errors (sticky): malformed for an unterminated '<' or quoted string, a missing '<', a
// parameter without a name, a bad ptoken, a stray character or a trailing ','.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  // The next link; Error::end after the last one.
  Result<Link> next();

 private:
  std::string_view text_;
  size_t pos_ = 0;
  Error error_ = Error::ok;
};

// Resolves the quoted-pair escapes ("\x" -> "x") of a quoted parameter value into `out`.
Error unquote(std::string_view quoted_value, ByteWriter& out);

}  // namespace tl::wire::lwm2m::link
