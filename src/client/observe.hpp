// Information reporting state (TS 1.1 5.1.2, 6.4): the notification attributes a server wrote
// (Write-Attributes) and the fixed table of observations, with the rules that decide when a
// notification is due. Pure logic over times and values: the engine reads the values and sends.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "wire/coap/observe.hpp"
#include "wire/lwm2m/link_format.hpp"
#include "wire/lwm2m/path.hpp"

namespace tl::client {

using wire::lwm2m::Path;
using wire::lwm2m::link::Attr;
using wire::lwm2m::link::Attributes;

// Attributes written for one path (object, instance, resource or resource instance).
struct AttributeEntry {
  bool used = false;
  Path path;
  Attributes attrs;
};

// Attributes in force for an observation: the levels merged (the most specific wins), the
// server's default pmin/pmax (object 1 resources 2 and 3) below them all.
struct Effective {
  uint32_t pmin_s = 0;
  uint32_t pmax_s = 0;  // 0: none
  uint32_t epmin_s = 0;
  uint32_t epmax_s = 0;  // 0: none
  bool has_gt = false;
  bool has_lt = false;
  bool has_st = false;
  float gt = 0;
  float lt = 0;
  float st = 0;
  bool has_threshold() const { return has_gt || has_lt || has_st; }
};

class AttributeTable {
 public:
  explicit AttributeTable(std::span<AttributeEntry> entries) : entries_(entries) {}
  // Applies a Write-Attributes: set values replace, unset names remove. Error::too_many_items
  // when no entry is free for a new path.
  wire::Error apply(const Path& path, const Attributes& update);
  // The attributes stored at exactly `path` (none when there are none).
  Attributes at(const Path& path) const;
  Effective effective(const Path& path, uint32_t default_pmin_s, uint32_t default_pmax_s) const;
  // Drops the entries at or below `path` (instance deleted, bootstrap delete).
  void remove_under(const Path& path);

 private:
  AttributeEntry* find(const Path& path);
  std::span<AttributeEntry> entries_;
};

struct Observation {
  bool used = false;
  bool dirty = false;    // a change in scope not evaluated yet
  bool ready = false;    // a notification is due as soon as pmin (or sleep) allows
  bool numeric = false;  // a numeric resource: gt/lt/st apply to `last_sent`
  uint8_t token_length = 0;
  uint8_t token[8] = {};
  Path path;
  uint16_t format = 0;    // Content-Format of the notifications
  uint16_t last_mid = 0;  // of the last notification, to match an RST
  wire::coap::ObserveCounter counter{2};  // 0 and 1 are what the registration response used
  uint64_t last_notify_ms = 0;
  uint64_t last_eval_ms = 0;
  float last_sent = 0;
};

// Whether a new value passes the change conditions against the last notified one: any change
// without thresholds; with gt/lt a crossing of the threshold, with st a step of at least st.
bool passes_thresholds(const Effective& e, float last_sent, float value);

// The notification rules of one observation at `now_ms`.
struct NotifyPlan {
  bool evaluate = false;  // read the value now (a change after epmin, or epmax elapsed)
  bool send = false;      // a notification is due now (ready after pmin, or pmax elapsed)
  uint64_t next_ms = UINT64_MAX;  // when to look again
};
NotifyPlan plan_notification(const Observation& o, const Effective& e, uint64_t now_ms);

}  // namespace tl::client
