#include "client/observe.hpp"

#include "wire/ieee754.hpp"

namespace tl::client {
namespace {

constexpr uint64_t ms(uint32_t seconds) { return uint64_t{seconds} * 1000u; }

// Copies every attribute `from` holds onto `into` (a more specific level overriding).
void overlay(Effective& into, const Attributes& from) {
  if (from.has(Attr::pmin)) into.pmin_s = from.pmin;
  if (from.has(Attr::pmax)) into.pmax_s = from.pmax;
  if (from.has(Attr::epmin)) into.epmin_s = from.epmin;
  if (from.has(Attr::epmax)) into.epmax_s = from.epmax;
  if (from.has(Attr::gt)) into.gt = wire::f32_from_f64_bits(from.gt), into.has_gt = true;
  if (from.has(Attr::lt)) into.lt = wire::f32_from_f64_bits(from.lt), into.has_lt = true;
  if (from.has(Attr::st)) into.st = wire::f32_from_f64_bits(from.st), into.has_st = true;
}

void copy_attr(Attributes& into, const Attributes& from, Attr a) {
  switch (a) {
    case Attr::pmin: into.pmin = from.pmin; break;
    case Attr::pmax: into.pmax = from.pmax; break;
    case Attr::epmin: into.epmin = from.epmin; break;
    case Attr::epmax: into.epmax = from.epmax; break;
    case Attr::gt: into.gt = from.gt; break;
    case Attr::lt: into.lt = from.lt; break;
    case Attr::st: into.st = from.st; break;
  }
}

bool crossed(float before, float after, float threshold) {
  return (before > threshold) != (after > threshold);
}

uint64_t earliest(uint64_t a, uint64_t b) { return a < b ? a : b; }

}  // namespace

wire::Error AttributeTable::apply(const Path& path, const Attributes& update) {
  AttributeEntry* e = find(path);
  if (e == nullptr) {
    if (update.present == 0) return wire::Error::ok;  // only removals of nothing
    for (AttributeEntry& free : entries_) {
      if (!free.used) {
        e = &free;
        *e = AttributeEntry{true, path, {}};
        break;
      }
    }
    if (e == nullptr) return wire::Error::too_many_items;
  }
  for (size_t i = 0; i < wire::lwm2m::link::kAttrCount; ++i) {
    const Attr a = static_cast<Attr>(i);
    if (update.has(a)) {
      e->attrs.present = static_cast<uint16_t>(e->attrs.present | Attributes::bit(a));
      copy_attr(e->attrs, update, a);
    } else if (update.is_unset(a)) {
      e->attrs.present = static_cast<uint16_t>(e->attrs.present & ~Attributes::bit(a));
    }
  }
  if (e->attrs.present == 0) e->used = false;
  return wire::Error::ok;
}

Attributes AttributeTable::at(const Path& path) const {
  for (const AttributeEntry& e : entries_) {
    if (e.used && e.path == path) return e.attrs;
  }
  return {};
}

Effective AttributeTable::effective(const Path& path, uint32_t default_pmin_s, uint32_t default_pmax_s) const {
  Effective e;
  e.pmin_s = default_pmin_s;
  e.pmax_s = default_pmax_s;
  // Object, instance, resource, resource instance: each level overrides the one above it.
  for (uint8_t depth = 1; depth <= path.depth; ++depth) {
    Path level = path;
    while (level.depth > depth) level = level.parent();
    overlay(e, at(level));
  }
  return e;
}

void AttributeTable::remove_under(const Path& path) {
  for (AttributeEntry& e : entries_) {
    if (e.used && path.contains(e.path)) e.used = false;
  }
}

AttributeEntry* AttributeTable::find(const Path& path) {
  for (AttributeEntry& e : entries_) {
    if (e.used && e.path == path) return &e;
  }
  return nullptr;
}

bool passes_thresholds(const Effective& e, float last_sent, float value) {
  if (!e.has_threshold()) return true;
  if (e.has_gt && crossed(last_sent, value, e.gt)) return true;
  if (e.has_lt && crossed(last_sent, value, e.lt)) return true;
  if (e.has_st) {
    const float step = value > last_sent ? value - last_sent : last_sent - value;
    if (step >= e.st) return true;
  }
  return false;
}

NotifyPlan plan_notification(const Observation& o, const Effective& e, uint64_t now_ms) {
  NotifyPlan p;
  // Evaluation periods (epmin/epmax) govern when a value is looked at.
  if (o.dirty) {
    const uint64_t at = o.last_eval_ms + ms(e.epmin_s);
    if (now_ms >= at) p.evaluate = true;
    p.next_ms = earliest(p.next_ms, at);
  }
  if (e.epmax_s != 0 && e.epmax_s >= e.epmin_s) {
    const uint64_t at = o.last_eval_ms + ms(e.epmax_s);
    if (now_ms >= at) p.evaluate = true;
    p.next_ms = earliest(p.next_ms, at);
  }
  // Notification periods (pmin/pmax) govern when a due notification goes out.
  if (o.ready) {
    const uint64_t at = o.last_notify_ms + ms(e.pmin_s);
    if (now_ms >= at) p.send = true;
    p.next_ms = earliest(p.next_ms, at);
  }
  // pmax below pmin is ignored (TS 1.1 5.1.2: pmax must be >= pmin to apply).
  if (e.pmax_s != 0 && e.pmax_s >= e.pmin_s) {
    const uint64_t at = o.last_notify_ms + ms(e.pmax_s);
    if (now_ms >= at) p.send = true;
    p.next_ms = earliest(p.next_ms, at);
  }
  if (p.evaluate || p.send) p.next_ms = now_ms;
  return p;
}

}  // namespace tl::client
