#include "client/accounts.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

namespace tl::client {
namespace {

using wire::lwm2m::ValueType;

// Objects 0 and 1 must be in the firmware's object table; this stands in when they are not, so
// a misconfigured build fails requests instead of dereferencing null.
constexpr model::ObjectDef kMissing{0xFFFF, true, false, "", "", "1.0", "1.0", {}};

const model::ObjectDef& def_of(uint16_t id) {
  const model::ObjectDef* def = model::find_object(id);
  return def != nullptr ? *def : kMissing;
}

// Storage layout: a format tag, then the raw record table. The tag changes with the layout, so a
// firmware update with other records starts from factory bootstrap instead of misreading.
template <class Record>
constexpr uint32_t layout_tag() {
  return 0x544C0000u | static_cast<uint32_t>(sizeof(std::array<Record, kMaxAccounts>) & 0xFFFFu);
}

Status copy_bytes(const Value& v, uint8_t* dst, size_t cap, uint8_t& len) {
  if (v.bytes.size() > cap) return Status::too_large;
  if (!v.bytes.empty()) std::memcpy(dst, v.bytes.data(), v.bytes.size());
  len = static_cast<uint8_t>(v.bytes.size());
  return Status::ok;
}

// Integer resources that must fit 16 or 32 bits unsigned.
template <class T>
Status set_uint(const Value& v, T& out) {
  if (v.i < 0 || static_cast<uint64_t>(v.i) > std::numeric_limits<T>::max()) return Status::bad_request;
  out = static_cast<T>(v.i);
  return Status::ok;
}

// Used records first, by ascending iid (instance() enumerates in this order). An insertion sort:
// the table holds kMaxAccounts records, and std::sort cost about 1 KB of code per call site.
template <class Record>
void sort_records(std::array<Record, kMaxAccounts>& records) {
  for (size_t i = 1; i < records.size(); ++i) {
    for (size_t j = i; j > 0; --j) {
      const Record& a = records[j];
      const Record& b = records[j - 1];
      if (a.used == b.used ? a.iid >= b.iid : !a.used) break;
      std::swap(records[j], records[j - 1]);
    }
  }
}

}  // namespace

template <class Record>
uint16_t AccountObject<Record>::instance(size_t index) const {
  // Records are kept sorted by iid (create() inserts in order), so enumeration is ascending.
  for (const Record& r : records_) {
    if (!r.used) continue;
    if (index-- == 0) return r.iid;
  }
  return kNoId;
}

template <class Record>
Record* AccountObject<Record>::find(uint16_t iid) {
  for (Record& r : records_) {
    if (r.used && r.iid == iid) return &r;
  }
  return nullptr;
}

template <class Record>
const Record* AccountObject<Record>::find(uint16_t iid) const {
  for (const Record& r : records_) {
    if (r.used && r.iid == iid) return &r;
  }
  return nullptr;
}

template <class Record>
Status AccountObject<Record>::create(uint16_t iid) {
  if (find(iid) != nullptr) return Status::bad_request;
  Record* slot = std::find_if(records_.begin(), records_.end(), [](const Record& r) { return !r.used; });
  if (slot == records_.end()) return Status::too_large;
  *slot = Record{};
  slot->used = true;
  slot->iid = iid;
  sort_records(records_);
  return Status::ok;
}

template <class Record>
Status AccountObject<Record>::remove(uint16_t iid) {
  Record* r = find(iid);
  if (r == nullptr) return Status::not_found;
  *r = Record{};
  sort_records(records_);
  return Status::ok;
}

template <class Record>
Error AccountObject<Record>::save(Platform& platform, std::string_view key) const {
  uint8_t buf[4 + sizeof(records_)];
  const uint32_t tag = layout_tag<Record>();
  std::memcpy(buf, &tag, 4);
  std::memcpy(buf + 4, records_.data(), sizeof(records_));
  return platform.store(key, {buf, sizeof(buf)});
}

template <class Record>
bool AccountObject<Record>::load(Platform& platform, std::string_view key) {
  uint8_t buf[4 + sizeof(records_)];
  const Result<size_t> n = platform.load(key, {buf, sizeof(buf)});
  uint32_t tag = 0;
  if (!n || *n != sizeof(buf)) return false;
  std::memcpy(&tag, buf, 4);
  if (tag != layout_tag<Record>()) return false;
  std::memcpy(records_.data(), buf + 4, sizeof(records_));
  return true;
}

template class AccountObject<SecurityRecord>;
template class AccountObject<ServerRecord>;

// ---- Object 0 ----

SecurityObject::SecurityObject() : AccountObject(def_of(0)) {}

bool SecurityObject::has_resource(uint16_t, uint16_t rid) const {
  return rid <= 5 || rid == 10 || rid == 11;
}

Status SecurityObject::read(const Path& path, Value& out, wire::MutableBytes) {
  const SecurityRecord* r = find(path.instance_id());
  if (r == nullptr) return Status::not_found;
  switch (path.resource_id()) {
    case 0: out = Value::string(r->uri_text()); break;
    case 1: out = Value::boolean(r->bootstrap); break;
    case 2: out = Value::integer(r->mode); break;
    case 3: out = Value::opaque({r->identity, r->identity_len}); break;
    case 4: out = Value::opaque({}); break;
    case 5: out = Value::opaque({r->key, r->key_len}); break;
    case 10: out = Value::integer(r->short_server_id); break;
    case 11: out = Value::integer(r->hold_off_s); break;
    default: return Status::not_found;
  }
  return Status::ok;
}

Status SecurityObject::write(const Path& path, const Value& v) {
  SecurityRecord* r = find(path.instance_id());
  if (r == nullptr) return Status::not_found;
  switch (path.resource_id()) {
    case 0: return copy_bytes(v, reinterpret_cast<uint8_t*>(r->uri), kMaxUri, r->uri_len);
    case 1: r->bootstrap = v.b; return Status::ok;
    case 2:
      if (v.i != static_cast<int64_t>(SecurityMode::psk) && v.i != static_cast<int64_t>(SecurityMode::nosec)) {
        return Status::bad_request;
      }
      r->mode = static_cast<uint8_t>(v.i);
      return Status::ok;
    case 3: return copy_bytes(v, r->identity, kMaxSecret, r->identity_len);
    case 5: return copy_bytes(v, r->key, kMaxSecret, r->key_len);
    case 10: return set_uint(v, r->short_server_id);
    case 11: return set_uint(v, r->hold_off_s);
    default: return Status::ok;  // kept by no one: see the header
  }
}

const SecurityRecord* SecurityObject::bootstrap_account() const {
  for (const SecurityRecord& r : records_) {
    if (r.used && r.bootstrap) return &r;
  }
  return nullptr;
}

const SecurityRecord* SecurityObject::server_account() const {
  for (const SecurityRecord& r : records_) {
    if (r.used && !r.bootstrap) return &r;
  }
  return nullptr;
}

void SecurityObject::add(const ServerAccount& a, uint16_t iid) {
  if (create(iid) != Status::ok) return;
  SecurityRecord& r = *find(iid);
  r.bootstrap = a.bootstrap;
  r.mode = static_cast<uint8_t>(a.mode);
  r.short_server_id = a.bootstrap ? 0 : a.short_server_id;
  r.hold_off_s = a.hold_off_s;
  (void)copy_bytes(Value::string(a.uri), reinterpret_cast<uint8_t*>(r.uri), kMaxUri, r.uri_len);
  (void)copy_bytes(Value::opaque(a.identity), r.identity, kMaxSecret, r.identity_len);
  (void)copy_bytes(Value::opaque(a.key), r.key, kMaxSecret, r.key_len);
}

// ---- Object 1 ----

ServerObject::ServerObject() : AccountObject(def_of(1)) {}

bool ServerObject::has_resource(uint16_t, uint16_t rid) const { return rid <= 9; }

Status ServerObject::read(const Path& path, Value& out, wire::MutableBytes) {
  const ServerRecord* r = find(path.instance_id());
  if (r == nullptr) return Status::not_found;
  switch (path.resource_id()) {
    case 0: out = Value::integer(r->short_server_id); break;
    case 1: out = Value::integer(r->lifetime_s); break;
    case 2: out = Value::integer(r->pmin_s); break;
    case 3: out = Value::integer(r->pmax_s); break;
    case 5: out = Value::integer(r->disable_timeout_s); break;
    case 6: out = Value::boolean(r->storing); break;
    case 7: out = Value::string({r->binding, r->binding_len}); break;
    default: return Status::not_found;
  }
  return Status::ok;
}

Status ServerObject::write(const Path& path, const Value& v) {
  ServerRecord* r = find(path.instance_id());
  if (r == nullptr) return Status::not_found;
  switch (path.resource_id()) {
    case 0: return set_uint(v, r->short_server_id);
    case 1:
      events_ |= kParamsChanged;
      return set_uint(v, r->lifetime_s);
    case 2: return set_uint(v, r->pmin_s);
    case 3: return set_uint(v, r->pmax_s);
    case 5: return set_uint(v, r->disable_timeout_s);
    case 6: r->storing = v.b; return Status::ok;
    case 7:
      // Only UDP, with or without queue mode, is implemented (TS 1.1 6.2.1.1).
      if (v.text() != "U" && v.text() != "UQ") return Status::bad_request;
      events_ |= kParamsChanged;
      return copy_bytes(v, reinterpret_cast<uint8_t*>(r->binding), sizeof(r->binding), r->binding_len);
    default: return Status::ok;
  }
}

Status ServerObject::execute(const Path& path, std::string_view) {
  if (find(path.instance_id()) == nullptr) return Status::not_found;
  switch (path.resource_id()) {
    case 4: events_ |= kDisable; return Status::ok;
    case 8: events_ |= kUpdateTrigger; return Status::ok;
    case 9: events_ |= kBootstrapTrigger; return Status::ok;
    default: return Status::not_allowed;
  }
}

const ServerRecord* ServerObject::by_short_id(uint16_t ssid) const {
  for (const ServerRecord& r : records_) {
    if (r.used && r.short_server_id == ssid) return &r;
  }
  return nullptr;
}

void ServerObject::add(const ServerAccount& a, uint16_t iid, bool queue_mode) {
  if (create(iid) != Status::ok) return;
  ServerRecord& r = *find(iid);
  r.short_server_id = a.short_server_id;
  r.lifetime_s = a.lifetime_s;
  r.pmin_s = a.default_pmin_s;
  r.pmax_s = a.default_pmax_s;
  r.binding[1] = queue_mode ? 'Q' : 0;
  r.binding_len = queue_mode ? 2 : 1;
}

}  // namespace tl::client
