// Discover (TS 1.1 5.4.2) and Bootstrap-Discover (5.2.7.5) as link format.
#include "client/engine_internal.hpp"
#include "wire/lwm2m/link_format.hpp"

namespace tl::client {

using wire::lwm2m::link::Writer;

namespace {

size_t count_instances(const Object& o, uint16_t iid, uint16_t rid) {
  size_t n = 0;
  while (o.resource_instance(iid, rid, n) != kNoId) ++n;
  return n;
}

}  // namespace

Code Engine::write_discover(Object& o, const Path& path, ByteWriter& out) const {
  if (path.depth >= 2 && !o.has_instance(path.instance_id())) return Code::not_found;
  const model::ResourceDef* target = path.depth == 3 ? model::find_resource(o.def(), path.resource_id()) : nullptr;
  if (path.depth == 3 && (target == nullptr || !o.has_resource(path.instance_id(), target->id))) {
    return Code::not_found;
  }
  Writer links(out);
  if (path.depth == 1) {
    links.link(path);
    if (o.def().version != "1.0") links.attr_token("ver", o.def().version);
    links.attributes(attributes_.at(path));
  }
  for (size_t i = 0; o.instance(i) != kNoId; ++i) {
    const uint16_t iid = o.instance(i);
    if (path.depth >= 2 && iid != path.instance_id()) continue;
    if (path.depth <= 2) {
      links.link(Path::instance(o.id(), iid));
      links.attributes(attributes_.at(Path::instance(o.id(), iid)));
    }
    for (const model::ResourceDef& def : o.def().resources) {
      if ((target != nullptr && &def != target) || !o.has_resource(iid, def.id)) continue;
      const Path p = Path::resource(o.id(), iid, def.id);
      links.link(p);
      if (def.multiple) links.attr_uint("dim", count_instances(o, iid, def.id));
      links.attributes(attributes_.at(p));
    }
  }
  return links.status() == Error::ok ? Code::content : Code::request_entity_too_large;
}

Code Engine::write_bootstrap_discover(const Path& path, ByteWriter& out) {
  Writer links(out);
  links.link_uri("/");
  links.attr_token("lwm2m", "1.1");
  const auto list = [&](const Object& o) {
    if (path.depth == 1 && path.object_id() != o.id()) return;
    const bool versioned = o.def().version != "1.0";
    if (versioned || o.instance(0) == kNoId) {
      links.link(Path::object(o.id()));
      if (versioned) links.attr_token("ver", o.def().version);
    }
    for (size_t i = 0; o.instance(i) != kNoId; ++i) {
      const uint16_t iid = o.instance(i);
      links.link(Path::instance(o.id(), iid));
      // The accounts are told apart by their short server id and URI (TS 1.1 5.2.7.5).
      if (o.id() == 0) {
        const SecurityRecord* s = security_.find(iid);
        if (!s->bootstrap) links.attr_uint("ssid", s->short_server_id);
        links.attr_quoted("uri", s->uri_text());
      } else if (o.id() == 1) {
        links.attr_uint("ssid", server_.find(iid)->short_server_id);
      }
    }
  };
  list(security_);
  list(server_);
  for (const Object* o : objects_) list(*o);
  return links.status() == Error::ok ? Code::content : Code::request_entity_too_large;
}

}  // namespace tl::client
