// LwM2M TLV (content format 11542, TS 1.1 7.4.3): nested binary records.
//
// Record header: a type byte, an 8- or 16-bit identifier, then 0..3 length bytes.
//   type bits 7-6: 00 object instance, 01 resource instance, 10 multiple resource, 11 resource
//   type bit 5:    identifier length (0: 8 bits, 1: 16 bits)
//   type bits 4-3: length field size (0: length in bits 2-0, 1..3: that many length bytes)
// The model allows object instance > (resource | multiple resource > resource instance), so a
// payload nests at most two containers deep.
//
// Neither the writer nor the reader allocates: the writer streams into the caller's buffer and the
// reader walks the caller's bytes, yielding views into them.
#pragma once
#include <cstddef>
#include <cstdint>

#include "wire/bytes.hpp"
#include "wire/lwm2m/path.hpp"
#include "wire/lwm2m/value.hpp"

namespace tl::wire::lwm2m::tlv {

inline constexpr uint16_t kContentFormat = 11542;

enum class Kind : uint8_t {
  object_instance = 0,
  resource_instance = 1,
  multiple_resource = 2,
  resource = 3,
};

constexpr bool is_container(Kind k) {
  return k == Kind::object_instance || k == Kind::multiple_resource;
}

// Streams records into `out`. Containers are written incrementally: begin_*() reserves the
// longest (3-byte) length field, end() writes the real length with the shortest field and moves
// the content left over the unused bytes, so nested output is as small as if lengths were known
// up front. Errors are sticky: after the first one every call is ignored and status() reports it.
class Writer {
 public:
  explicit Writer(ByteWriter& out) : out_(out) {}

  // A resource with a value, at the top level or inside an object instance.
  void resource(uint16_t id, const Value& v) { leaf(Kind::resource, id, v); }
  // A resource instance, at the top level or inside a multiple resource.
  void resource_instance(uint16_t id, const Value& v) { leaf(Kind::resource_instance, id, v); }
  // An object instance, at the top level only.
  void begin_object_instance(uint16_t id) { begin(Kind::object_instance, id); }
  // A multiple resource, at the top level or inside an object instance.
  void begin_multiple_resource(uint16_t id) { begin(Kind::multiple_resource, id); }
  // Closes the innermost open container.
  void end();

  // First error so far: bad_path (id 65535), malformed (record in the wrong context, end()
  // without begin), nesting_too_deep (container inside a container that cannot hold it),
  // invalid_utf8 (string value), out_of_range (container above 16 MiB), buffer_too_small.
  Error status() const { return error_ != Error::ok ? error_ : out_.status(); }
  // status(), and Error::malformed if a container is still open.
  Error finish() const;

 private:
  struct Open {
    size_t header;   // offset of the type byte
    size_t content;  // offset of the first content byte (after the 3 reserved length bytes)
    Kind kind;
  };
  void leaf(Kind kind, uint16_t id, const Value& v);
  void begin(Kind kind, uint16_t id);
  Error check_context(Kind kind, uint16_t id) const;
  void header(Kind kind, uint16_t id, size_t length);
  void fail(Error e) {
    if (error_ == Error::ok) error_ = e;
  }

  ByteWriter& out_;
  Open open_[2] = {};
  uint8_t depth_ = 0;
  Error error_ = Error::ok;
};

// One record. For a container, `value` holds its children's bytes.
struct Record {
  Kind kind = Kind::resource;
  Path path;  // full path: the base path plus the record's identifiers
  Bytes value;
};

// Walks a payload received for (or sent from) the request path `base`, resolving each record's
// full path. At the top level the base decides what may appear: under /o object instances,
// under /o/i resources, under /o/i/r resource instances; a record repeating the base's own last
// id (e.g. a resource 1 record for /3/0/1) resolves to the base itself.
// Errors are sticky: truncated (input ends inside a top-level record), inconsistent_length (a
// child runs past its parent), nesting_too_deep (object instance in a container, multiple resource
// in a multiple resource), malformed (record kind not allowed where it is), bad_path (id 65535).
class Reader {
 public:
  Reader(Bytes in, const Path& base);
  // The next leaf (resource with a value or resource instance), depth first; Error::end after
  // the last one.
  Result<Record> next();
  // The next record of any kind; a container comes before its children.
  Result<Record> next_record();

 private:
  struct Frame {
    const uint8_t* end;
    Path path;
    Kind kind;
  };
  struct Header {
    Kind kind;
    uint16_t id;
    size_t length;
  };
  Result<Header> read_header();
  Result<Path> resolve(Kind kind, uint16_t id) const;
  Result<Path> resolve_top(Kind kind, uint16_t id) const;
  Error fail(Error e) { return error_ = e; }

  const uint8_t* pos_;
  Frame frames_[3];  // [0]: the whole payload at `base`; [1], [2]: the open containers
  uint8_t depth_ = 0;
  Error error_ = Error::ok;
};

// Decodes a leaf's value bytes as `expected`: integer, time and unsigned of 1/2/4/8 bytes,
// float of 4 or 8 bytes, boolean one byte 0 or 1, objlnk 4 bytes, string/corelnk UTF-8, none
// empty. A size or content that does not fit the type -> Error::malformed (invalid_utf8 for text).
Result<Value> decode(Bytes raw, ValueType expected);

}  // namespace tl::wire::lwm2m::tlv
