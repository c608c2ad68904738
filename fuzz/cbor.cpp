// libFuzzer target for the CBOR pull reader. Walks every token; when the whole input reads
// cleanly, writes the token stream back with cbor::Writer (shortest heads, so possibly other
// bytes) and requires the re-read stream to be the same tokens, and requires skip() over the
// top-level items to end the same way. Any mismatch aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "wire/senml/cbor.hpp"

using namespace tl::wire;
using namespace tl::wire::cbor;

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

// Every token up to the end or the first error; returns that error.
Error walk(Bytes in, std::vector<Token>& tokens) {
  Reader r(in);
  for (;;) {
    Result<Token> t = r.next();
    if (!t) return t.error();
    require(r.depth() <= Reader::kMaxDepth);
    tokens.push_back(*t);
  }
}

void write(const Token& t, Writer& w) {
  switch (t.type) {
    case Type::unsigned_integer: w.unsigned_integer(t.u); break;
    case Type::negative_integer: w.negative_integer(t.u); break;
    case Type::bytes: w.bytes(t.bytes); break;
    case Type::text: w.text(as_text(t.bytes)); break;
    case Type::array: t.indefinite ? w.array_start() : w.array(t.u); break;
    case Type::map: t.indefinite ? w.map_start() : w.map(t.u); break;
    case Type::boolean: w.boolean(t.b); break;
    case Type::null: w.null(); break;
    case Type::undefined:
    case Type::simple: w.null(); break;  // the writer has no form for these; see same()
    case Type::floating: w.float_bits(t.u); break;
    case Type::break_mark: w.end(); break;
  }
}

bool same(const Token& a, const Token& b) {
  if (a.type == Type::undefined || a.type == Type::simple) return b.type == Type::null;
  if (a.type != b.type || a.indefinite != b.indefinite || a.b != b.b || a.u != b.u) return false;
  if (a.bytes.size() != b.bytes.size()) return false;
  for (size_t i = 0; i < a.bytes.size(); ++i) {
    if (a.bytes[i] != b.bytes[i]) return false;
  }
  return true;
}

void check_skip(Bytes in) {
  Reader r(in);
  Error e = Error::ok;
  while (e == Error::ok) e = r.skip();
  require(e == Error::end);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Bytes in(data, size);
  std::vector<Token> tokens;
  if (walk(in, tokens) != Error::end) return 0;
  check_skip(in);

  std::vector<uint8_t> buf(size * 2 + 16);
  ByteWriter out(buf.data(), buf.size());
  Writer w(out);
  for (const Token& t : tokens) write(t, w);
  require(w.status() == Error::ok);
  std::vector<Token> again;
  require(walk(out.written(), again) == Error::end);
  require(again.size() == tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) require(same(tokens[i], again[i]));
  return 0;
}
