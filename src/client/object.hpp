// The data model API: what an LwM2M object implementation derives from. The engine (client.hpp)
// checks every request against the object's ObjectDef (generated from the DDF: types, operations,
// multiplicity) before it calls the object, so an implementation only stores and produces values.
//
// Freestanding: virtual functions only (no RTTI), no heap. Values handed to the object point into
// the request datagram or a block; the object copies what it keeps. Values the object returns may
// point into its own storage or into the scratch buffer it is given, and must stay valid until
// the next call on the object.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/object_def.hpp"
#include "wire/bytes.hpp"
#include "wire/lwm2m/path.hpp"
#include "wire/lwm2m/value.hpp"

namespace tl::client {

using wire::lwm2m::Path;
using wire::lwm2m::Value;

// What an object answers; the engine maps it onto the CoAP response code.
enum class Status : uint8_t {
  ok,
  not_found,      // 4.04: no such instance / resource (instance)
  not_allowed,    // 4.05: the operation is not possible on this target now
  bad_request,    // 4.00: a value out of range or of a wrong shape
  too_large,      // 4.13: more data than the object can keep
  internal,       // 5.00
  not_implemented,  // 5.01: a feature this build does not have (yet)
};

// Write replace (PUT) or partial update (POST), TS 1.1 5.4.3.
enum class WriteMode : uint8_t { replace, partial };

inline constexpr uint16_t kNoId = Path::kInvalidId;

class Object;

// Receives the objects' change notifications: the engine, which re-evaluates the observations
// covering the path.
class ChangeListener {
 public:
  virtual void on_changed(const Object& object, const Path& path) = 0;

 protected:
  ~ChangeListener() = default;
};

class Object {
 public:
  explicit Object(const model::ObjectDef& def) : def_(def) {}
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  const model::ObjectDef& def() const { return def_; }
  uint16_t id() const { return def_.id; }

  // Instance enumeration: the id of the index-th instance, ascending, kNoId past the last.
  virtual uint16_t instance(size_t index) const = 0;
  // Whether the instance has a value for this resource (optional resources may be absent).
  // Default: every resource the ObjectDef lists.
  virtual bool has_resource(uint16_t iid, uint16_t rid) const;
  // Instance enumeration of a multiple resource: the index-th resource instance id, ascending,
  // kNoId past the last. Default: none.
  virtual uint16_t resource_instance(uint16_t iid, uint16_t rid, size_t index) const;

  // Reads one value: `path` is a single resource (depth 3) or a resource instance (depth 4).
  // The value's type must be the ObjectDef's; strings/opaque may be written into `scratch`.
  virtual Status read(const Path& path, Value& out, wire::MutableBytes scratch) = 0;
  // Reads up to out.size() bytes of an opaque resource from `offset`, for block-wise reads of
  // values larger than a datagram (a model blob in flash). Returns the bytes copied; fewer than
  // out.size() means the value ends there. Default: read() and copy the slice.
  virtual wire::Result<size_t> read_chunk(const Path& path, size_t offset, wire::MutableBytes out);

  // Called once before the values of a Write on `target` (an instance or a resource). With
  // WriteMode::replace the object drops what the payload will restate (e.g. the instances of a
  // multiple resource). Default: ok.
  virtual Status write_begin(const Path& target, WriteMode mode);
  // Writes one value (depth 3, or depth 4 for a resource instance); the engine has checked the
  // type against the ObjectDef. Default: not_allowed.
  virtual Status write(const Path& path, const Value& value);
  // One piece of an opaque value arriving block by block (Block1, Content-Format 42): `offset`
  // is where `data` starts, `last` marks the final piece. The object streams it to its store, so
  // a blob of tens of KB never needs a RAM copy of itself. Default: a value that arrives in one
  // piece goes to write(); a multi-block value is too_large.
  virtual Status write_chunk(const Path& path, size_t offset, wire::Bytes data, bool last);

  // Execute on a resource (depth 3) with the raw argument text (TS 1.1 5.4.5).
  virtual Status execute(const Path& path, std::string_view args);
  // Creates instance `iid` (chosen by the server or the engine); the engine then writes the
  // payload's values into it. Default: not_allowed.
  virtual Status create(uint16_t iid);
  virtual Status remove(uint16_t iid);

  // Call when a value changed (depth 1..4), so that observers are notified.
  void changed(const Path& path) const {
    if (listener_ != nullptr) listener_->on_changed(*this, path);
  }
  // Convenience: the instance exists.
  bool has_instance(uint16_t iid) const;

  // Set by the engine that serves the object.
  void set_listener(ChangeListener* listener) { listener_ = listener; }

 protected:
  ~Object() = default;

 private:
  const model::ObjectDef& def_;
  ChangeListener* listener_ = nullptr;
};

// An object that always has exactly instance 0 (e.g. Device, the TinyML objects).
class SingleInstanceObject : public Object {
 public:
  using Object::Object;
  uint16_t instance(size_t index) const override { return index == 0 ? 0 : kNoId; }

 protected:
  ~SingleInstanceObject() = default;
};

}  // namespace tl::client
