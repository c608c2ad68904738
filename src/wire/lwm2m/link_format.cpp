#include "wire/lwm2m/link_format.hpp"

#include "wire/numtext.hpp"

namespace tl::wire::lwm2m::link {

namespace {

constexpr Attr kAllAttrs[kAttrCount] = {Attr::pmin, Attr::pmax, Attr::gt,   Attr::lt,
                                        Attr::st,   Attr::epmin, Attr::epmax};

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5987 attr-char without '*' (RFC 6690 parmname).
bool is_parmname_char(char c) {
  return is_alnum(c) || std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 6690 ptokenchar.
bool is_ptoken_char(char c) {
  return is_alnum(c) || std::string_view("!#$%&'()*+-./:<=>?@[]^_`{|}~").find(c) != std::string_view::npos;
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return !s.empty();
}

bool is_float_attr(Attr a) { return a == Attr::gt || a == Attr::lt || a == Attr::st; }

bool attr_from_name(std::string_view name, Attr& out) {
  for (Attr a : kAllAttrs) {
    if (attr_name(a) == name) {
      out = a;
      return true;
    }
  }
  return false;
}

uint64_t attr_value(const Attributes& a, Attr which) {
  switch (which) {
    case Attr::pmin: return a.pmin;
    case Attr::pmax: return a.pmax;
    case Attr::epmin: return a.epmin;
    case Attr::epmax: return a.epmax;
    case Attr::gt: return a.gt;
    case Attr::lt: return a.lt;
    case Attr::st: return a.st;
  }
  return 0;
}

// Index just past the quoted string opening at text[pos] ('"'), or npos when it never closes.
size_t skip_quoted(std::string_view text, size_t pos) {
  for (size_t k = pos + 1; k < text.size(); ++k) {
    if (text[k] == '\\') {
      ++k;  // quoted-pair: the next character is literal, even '"'
    } else if (text[k] == '"') {
      return k + 1;
    }
  }
  return std::string_view::npos;
}

size_t skip_while(std::string_view text, size_t pos, bool (*pred)(char)) {
  while (pos < text.size() && pred(text[pos])) ++pos;
  return pos;
}

std::string_view slice(std::string_view text, size_t from, size_t to) {
  return std::string_view(text.data() + from, to - from);
}

// Scans one ";name[=value]" starting at text[pos] == ';' and advances pos past it.
Error scan_param(std::string_view text, size_t& pos, Param& out) {
  size_t name_end = skip_while(text, pos + 1, is_parmname_char);
  if (name_end == pos + 1) return Error::malformed;
  out = Param{slice(text, pos + 1, name_end), {}, false, false};
  pos = name_end;
  if (pos == text.size() || text[pos] != '=') return Error::ok;
  ++pos;
  out.has_value = true;
  if (pos < text.size() && text[pos] == '"') {
    size_t end = skip_quoted(text, pos);
    if (end == std::string_view::npos) return Error::malformed;
    out.value = slice(text, pos + 1, end - 1);
    out.quoted = true;
    pos = end;
    return Error::ok;
  }
  size_t end = skip_while(text, pos, is_ptoken_char);
  if (end == pos) return Error::malformed;
  out.value = slice(text, pos, end);
  pos = end;
  return Error::ok;
}

Error apply_number(Attributes& a, Attr which, std::string_view text) {
  if (is_float_attr(which)) {
    Result<uint64_t> bits = parse_double_bits(text);
    if (!bits) return bits.error();
    a.set_float_bits(which, *bits);
    return Error::ok;
  }
  Result<uint64_t> seconds = parse_uint(text);
  if (!seconds) return seconds.error();
  if (*seconds > UINT32_MAX) return Error::out_of_range;
  a.set_seconds(which, static_cast<uint32_t>(*seconds));
  return Error::ok;
}

}  // namespace

std::string_view attr_name(Attr a) {
  switch (a) {
    case Attr::pmin: return "pmin";
    case Attr::pmax: return "pmax";
    case Attr::gt: return "gt";
    case Attr::lt: return "lt";
    case Attr::st: return "st";
    case Attr::epmin: return "epmin";
    case Attr::epmax: return "epmax";
  }
  return {};
}

// ---- Attributes ----

void Attributes::set_seconds(Attr a, uint32_t seconds) {
  uint32_t* field = a == Attr::pmin    ? &pmin
                    : a == Attr::pmax  ? &pmax
                    : a == Attr::epmin ? &epmin
                    : a == Attr::epmax ? &epmax
                                       : nullptr;
  if (field == nullptr) return;
  *field = seconds;
  present = static_cast<uint16_t>(present | bit(a));
}

void Attributes::set_float_bits(Attr a, uint64_t bits) {
  uint64_t* field = a == Attr::gt ? &gt : a == Attr::lt ? &lt : a == Attr::st ? &st : nullptr;
  if (field == nullptr) return;
  *field = bits;
  present = static_cast<uint16_t>(present | bit(a));
}

Error apply_attribute(Attributes& a, std::string_view key, std::string_view value, bool has_value) {
  Attr which = Attr::pmin;
  if (!attr_from_name(key, which)) return Error::unsupported;
  if (((a.present | a.unset) & Attributes::bit(which)) != 0) return Error::malformed;
  if (!has_value) {
    a.unset = static_cast<uint16_t>(a.unset | Attributes::bit(which));
    return Error::ok;
  }
  return apply_number(a, which, value);
}

Result<Attributes> parse_query(const std::string_view* items, size_t count) {
  Attributes a;
  for (size_t k = 0; k < count; ++k) {
    std::string_view item = items[k];
    if (item.empty()) return Error::malformed;
    size_t eq = item.find('=');
    bool has_value = eq != std::string_view::npos;
    std::string_view key = has_value ? slice(item, 0, eq) : item;
    std::string_view value = has_value ? slice(item, eq + 1, item.size()) : std::string_view{};
    Error e = apply_attribute(a, key, value, has_value);
    if (e != Error::ok) return e;
  }
  return a;
}

Result<Attributes> parse_query(std::string_view query) {
  if (query.empty()) return Attributes{};
  // At most one item per attribute is valid, so a small fixed table is enough; a longer query
  // necessarily repeats or invents names.
  std::string_view items[kAttrCount];
  size_t count = 0;
  size_t start = 0;
  while (true) {
    size_t amp = query.find('&', start);
    size_t end = amp == std::string_view::npos ? query.size() : amp;
    if (count == kAttrCount) return Error::too_many_items;
    items[count++] = slice(query, start, end);
    if (amp == std::string_view::npos) return parse_query(items, count);
    start = amp + 1;
  }
}

Error write_query(const Attributes& a, ByteWriter& out) {
  bool first = true;
  auto separate = [&] {
    if (!first) out.put(static_cast<uint8_t>('&'));
    first = false;
  };
  for (Attr which : kAllAttrs) {
    if (!a.has(which)) continue;
    separate();
    out.put(attr_name(which));
    out.put(static_cast<uint8_t>('='));
    uint64_t v = attr_value(a, which);
    Error e = is_float_attr(which) ? format_double_bits(v, out) : format_uint(v, out);
    if (e != Error::ok) return e;
  }
  for (Attr which : kAllAttrs) {
    if (!a.is_unset(which)) continue;
    separate();
    out.put(attr_name(which));
  }
  return out.status();
}

// ---- Writer ----

void Writer::link(const Path& p) {
  if (error_ != Error::ok) return;
  if (any_link_) out_.put(static_cast<uint8_t>(','));
  out_.put(static_cast<uint8_t>('<'));
  format_path(p, out_);
  out_.put(static_cast<uint8_t>('>'));
  any_link_ = true;
}

void Writer::link_uri(std::string_view uri) {
  if (error_ != Error::ok) return;
  if (uri.find('>') != std::string_view::npos) return fail(Error::malformed);
  if (any_link_) out_.put(static_cast<uint8_t>(','));
  out_.put(static_cast<uint8_t>('<'));
  out_.put(uri);
  out_.put(static_cast<uint8_t>('>'));
  any_link_ = true;
}

bool Writer::start_param(std::string_view key) {
  if (error_ != Error::ok) return false;
  if (!any_link_ || !all_of(key, is_parmname_char)) {
    fail(Error::malformed);
    return false;
  }
  out_.put(static_cast<uint8_t>(';'));
  out_.put(key);
  return true;
}

void Writer::attr(std::string_view key) { start_param(key); }

void Writer::attr_uint(std::string_view key, uint64_t v) {
  if (!start_param(key)) return;
  out_.put(static_cast<uint8_t>('='));
  format_uint(v, out_);
}

void Writer::attr_int(std::string_view key, int64_t v) {
  if (!start_param(key)) return;
  out_.put(static_cast<uint8_t>('='));
  format_int(v, out_);
}

void Writer::attr_float_bits(std::string_view key, uint64_t bits) {
  if (!start_param(key)) return;
  out_.put(static_cast<uint8_t>('='));
  Error e = format_double_bits(bits, out_);
  // buffer_too_small is already recorded by out_; anything else is the value's fault.
  if (e != Error::ok && e != Error::buffer_too_small) fail(e);
}

void Writer::attr_token(std::string_view key, std::string_view value) {
  if (!all_of(value, is_ptoken_char)) return fail(Error::malformed);
  if (!start_param(key)) return;
  out_.put(static_cast<uint8_t>('='));
  out_.put(value);
}

void Writer::attr_quoted(std::string_view key, std::string_view value) {
  if (!start_param(key)) return;
  out_.put(static_cast<uint8_t>('='));
  out_.put(static_cast<uint8_t>('"'));
  for (char c : value) {
    if (c == '"' || c == '\\') out_.put(static_cast<uint8_t>('\\'));
    out_.put(static_cast<uint8_t>(c));
  }
  out_.put(static_cast<uint8_t>('"'));
}

void Writer::attributes(const Attributes& a) {
  for (Attr which : kAllAttrs) {
    if (!a.has(which)) continue;
    uint64_t v = attr_value(a, which);
    if (is_float_attr(which)) {
      attr_float_bits(attr_name(which), v);
    } else {
      attr_uint(attr_name(which), v);
    }
  }
}

// ---- Reader ----

Result<Param> ParamReader::next() {
  if (pos_ == text_.size()) return Error::end;
  if (text_[pos_] != ';') return Error::malformed;
  Param p;
  Error e = scan_param(text_, pos_, p);
  if (e != Error::ok) {
    pos_ = text_.size();  // stop: the rest cannot be split reliably
    return e;
  }
  return p;
}

Result<Param> Link::find(std::string_view key) const {
  ParamReader r = param_reader();
  while (true) {
    Result<Param> p = r.next();
    if (!p || p->key == key) return p;
  }
}

Result<uint64_t> Link::get_uint(std::string_view key) const {
  Result<Param> p = find(key);
  if (!p) return p.error();
  if (!p->has_value || p->quoted) return Error::bad_number;
  return parse_uint(p->value);
}

Result<uint64_t> Link::get_float_bits(std::string_view key) const {
  Result<Param> p = find(key);
  if (!p) return p.error();
  if (!p->has_value || p->quoted) return Error::bad_number;
  return parse_double_bits(p->value);
}

Result<Attributes> Link::attributes() const {
  Attributes a;
  ParamReader r = param_reader();
  while (true) {
    Result<Param> p = r.next();
    if (!p) return p.error() == Error::end ? Result<Attributes>(a) : p.error();
    // Numbers are ptokens, as get_uint() and get_float_bits() require too.
    Attr which = Attr::pmin;
    if (p->quoted && attr_from_name(p->key, which)) return Error::bad_number;
    Error e = apply_attribute(a, p->key, p->value, p->has_value);
    // Discover also carries dim, ver, ssid, ...: not notification attributes, not an error.
    if (e != Error::ok && e != Error::unsupported) return e;
  }
}

Result<Link> Reader::next() {
  if (error_ != Error::ok) return error_;
  if (pos_ == text_.size()) return error_ = Error::end;
  // Every link but the first follows a ','; the previous call stopped right before it.
  if (pos_ != 0 && text_[pos_++] != ',') return error_ = Error::malformed;
  if (pos_ == text_.size() || text_[pos_] != '<') return error_ = Error::malformed;
  size_t close = text_.find('>', pos_);
  if (close == std::string_view::npos) return error_ = Error::malformed;
  Link link;
  link.uri = slice(text_, pos_ + 1, close);
  size_t params = close + 1;
  pos_ = params;
  while (pos_ < text_.size() && text_[pos_] == ';') {
    Param ignored;
    Error e = scan_param(text_, pos_, ignored);
    if (e != Error::ok) return error_ = e;
  }
  if (pos_ < text_.size() && text_[pos_] != ',') return error_ = Error::malformed;
  link.params = slice(text_, params, pos_);
  return link;
}

Error unquote(std::string_view quoted_value, ByteWriter& out) {
  for (size_t k = 0; k < quoted_value.size(); ++k) {
    if (quoted_value[k] == '\\') {
      if (++k == quoted_value.size()) return Error::malformed;
    }
    out.put(static_cast<uint8_t>(quoted_value[k]));
  }
  return out.status();
}

}  // namespace tl::wire::lwm2m::link
