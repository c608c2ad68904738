#include "server/http/router.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "model/object_def.hpp"
#include "server/http/bootstrap.hpp"
#include "server/http/links.hpp"

namespace tl::server::http {

namespace {

using core::DeviceInfo;
using core::DeviceRequest;
using core::Operation;
using core::Outcome;
using core::OutcomeStatus;
using store::Path;

constexpr unsigned kCodes[] = {200, 201, 202, 204, 400, 401, 404, 405,
                               413, 415, 431, 500, 502, 503, 504};

store::TimeMs now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; '+' is a space in queries only. nullopt on a bad escape.
std::optional<std::string> decode(std::string_view text, bool query) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_digit(text[i + 1]);
      const int lo = hex_digit(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi << 4 | lo);
      i += 2;
    } else if (c == '+' && query) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

template <class T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view coap_status_name(std::uint8_t code) {
  switch (code) {
    case 0x41: return "CREATED";
    case 0x42: return "DELETED";
    case 0x43: return "VALID";
    case 0x44: return "CHANGED";
    case 0x45: return "CONTENT";
    case 0x5F: return "CONTINUE";
    case 0x80: return "BAD_REQUEST";
    case 0x81: return "UNAUTHORIZED";
    case 0x82: return "BAD_OPTION";
    case 0x83: return "FORBIDDEN";
    case 0x84: return "NOT_FOUND";
    case 0x85: return "METHOD_NOT_ALLOWED";
    case 0x86: return "NOT_ACCEPTABLE";
    case 0x88: return "REQUEST_ENTITY_INCOMPLETE";
    case 0x8C: return "PRECONDITION_FAILED";
    case 0x8D: return "REQUEST_ENTITY_TOO_LARGE";
    case 0x8F: return "UNSUPPORTED_CONTENT_FORMAT";
    case 0xA0: return "INTERNAL_SERVER_ERROR";
    case 0xA1: return "NOT_IMPLEMENTED";
    case 0xA2: return "BAD_GATEWAY";
    case 0xA3: return "SERVICE_UNAVAILABLE";
    case 0xA4: return "GATEWAY_TIMEOUT";
    case 0xA5: return "PROXYING_NOT_SUPPORTED";
    default: return "";
  }
}

std::optional<core::Format> format_from_name(std::string_view name) {
  if (name == "TLV") return core::Format::tlv;
  if (name == "SENML_CBOR") return core::Format::senml_cbor;
  if (name == "SENML_JSON") return core::Format::senml_json;
  if (name == "TEXT") return core::Format::text;
  if (name == "OPAQUE") return core::Format::opaque;
  if (name == "JSON") return core::Format::lwm2m_json;
  return std::nullopt;
}

std::string_view model_type_name(model::ValueType type) {
  using W = model::ValueType;
  switch (type) {
    case W::none: return "none";
    case W::string: return "string";
    case W::integer: return "integer";
    case W::unsigned_integer: return "unsigned";
    case W::floating: return "float";
    case W::boolean: return "boolean";
    case W::opaque: return "opaque";
    case W::time: return "time";
    case W::objlnk: return "objlnk";
    case W::corelnk: return "corelnk";
  }
  return "none";
}

std::string operations_text(model::Operations ops) {
  std::string out;
  if (model::has(ops, model::Operations::R)) out += 'R';
  if (model::has(ops, model::Operations::W)) out += 'W';
  if (model::has(ops, model::Operations::E)) out += 'E';
  return out;
}

// Names exist only in the host layout of the model tables (the fuzz preset builds the compact one).
template <class Def>
std::string_view def_name([[maybe_unused]] const Def& def) {
#if TL_MODEL_COMPACT
  return {};
#else
  return def.name;
#endif
}

Json links_json(std::string_view text) {
  Json out = Json::array();
  for (const auto& link : parse_links(text)) {
    Json attributes = Json::object();
    for (const auto& [name, value] : link.attributes) {
      attributes[name] = value.empty() ? Json(nullptr) : Json(value);
    }
    out.push_back({{"url", link.url}, {"attributes", std::move(attributes)}});
  }
  return out;
}

std::string root_path(const std::vector<Link>& links) {
  for (const auto& link : links) {
    for (const auto& [name, value] : link.attributes) {
      if (name == "rt" && value == "oma.lwm2m") return link.url;
    }
  }
  return "/";
}

// GET /api/clients/{ep}/objects: the tree of the device's object links, named from the DDF tables.
Json objects_json(const DeviceInfo& device) {
  const auto links = parse_links(device.object_links);
  std::string root = root_path(links);
  if (root.size() > 1 && root.back() == '/') root.pop_back();
  std::map<std::uint16_t, std::pair<std::set<std::uint16_t>, std::string>> objects;
  for (const auto& link : links) {
    std::string_view url = link.url;
    if (root != "/" && url.starts_with(root)) url.remove_prefix(root.size());
    const auto path = Path::parse(url);
    if (!path || path->depth() < 1 || path->depth() > 2) continue;
    auto& entry = objects[path->id(0)];
    if (path->depth() == 2) entry.first.insert(path->id(1));
    for (const auto& [name, value] : link.attributes) {
      if (name == "ver") entry.second = value;
    }
  }
  Json out = Json::array();
  for (const auto& [id, entry] : objects) {
    Json object;
    object["id"] = id;
    const auto* def = model::find_object(id);
    object["name"] = def != nullptr ? Json(std::string(def_name(*def))) : Json(nullptr);
    object["version"] = !entry.second.empty() ? entry.second
                        : def != nullptr      ? std::string(def->version)
                                              : std::string("1.0");
    object["multiple"] = def != nullptr ? def->multiple_instances : false;
    object["instances"] = Json(std::vector<std::uint16_t>(entry.first.begin(), entry.first.end()));
    Json resources = Json::array();
    if (def != nullptr) {
      for (const auto& r : def->resources) {
        resources.push_back({{"id", r.id},
                             {"name", std::string(def_name(r))},
                             {"type", model_type_name(r.type)},
                             {"operations", operations_text(r.operations)},
                             {"multiple", r.multiple},
                             {"mandatory", r.mandatory}});
      }
    }
    object["resources"] = std::move(resources);
    out.push_back(std::move(object));
  }
  return out;
}

Json request_json(const store::PendingRequest& r) {
  return {{"id", r.id},
          {"kind", store::to_string(r.kind)},
          {"path", r.path.to_string()},
          {"body", r.body},
          {"created", iso_time(r.created_ms)},
          {"expires", iso_time(r.expires_ms)},
          {"state", store::to_string(r.state)},
          {"result", r.result}};
}

Response json_response(unsigned status, const Json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

std::string_view action_of(Operation op) {
  switch (op) {
    case Operation::read: return "read";
    case Operation::write_replace: return "write";
    case Operation::write_update: return "write-update";
    case Operation::execute: return "execute";
    case Operation::create: return "create";
    case Operation::delete_instance: return "delete";
    case Operation::discover: return "discover";
    case Operation::write_attributes: return "write-attributes";
    case Operation::observe: return "observe";
    case Operation::cancel_observe: return "cancel-observe";
  }
  return "request";
}

bool mutating(Operation op) {
  return op != Operation::read && op != Operation::discover;
}

}  // namespace

Response error_response(unsigned status, std::string_view error, std::string_view hint) {
  Json body = {{"error", error}};
  if (!hint.empty()) body["hint"] = hint;
  return json_response(status, body);
}

std::string iso_time(store::TimeMs ms) {
  const auto seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  const auto millis = static_cast<int>(ms - static_cast<store::TimeMs>(seconds) * 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[48];
  const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03dZ", millis);
  return out + frac;
}

Json registration_json(const DeviceInfo& d) {
  const auto links = parse_links(d.object_links);
  return {{"endpoint", d.endpoint},
          {"registrationId", d.registration_id},
          {"registrationDate", iso_time(d.registered_ms)},
          {"lastUpdate", iso_time(d.updated_ms)},
          {"address", d.address},
          {"lwM2mVersion", d.lwm2m_version},
          {"lifetime", d.lifetime_s},
          {"bindingMode", d.binding},
          {"rootPath", root_path(links)},
          {"queuemode", d.queue_mode},
          {"sleeping", d.sleeping},
          {"secure", d.secure},
          {"objectLinks", links_json(d.object_links)}};
}

std::string_view event_name(core::EventKind kind) {
  switch (kind) {
    case core::EventKind::registered: return "REGISTRATION";
    case core::EventKind::updated: return "UPDATED";
    case core::EventKind::deregistered: return "DEREGISTRATION";
    case core::EventKind::expired: return "EXPIRED";
    case core::EventKind::notification: return "NOTIFICATION";
    case core::EventKind::send: return "SEND";
    case core::EventKind::sleeping: return "SLEEPING";
    case core::EventKind::awake: return "AWAKE";
    case core::EventKind::request_done: return "REQUEST";
  }
  return "EVENT";
}

std::string event_data(const core::Event& event, const DeviceInfo* device) {
  Json data = {{"ep", event.endpoint}, {"time", iso_time(event.time_ms)}};
  switch (event.kind) {
    case core::EventKind::registered:
    case core::EventKind::updated:
      if (device != nullptr) data["registration"] = registration_json(*device);
      break;
    case core::EventKind::notification:
      data["res"] = event.path.to_string();
      data["val"] = event.path.depth() > 0 ? node_from_samples(event.path, event.values)
                                           : Json(nullptr);
      data["values"] = samples_to_json(event.values);
      break;
    case core::EventKind::send:
      data["values"] = samples_to_json(event.values);
      break;
    case core::EventKind::request_done:
      data["requestId"] = event.request_id;
      data["status"] = event.detail;
      break;
    default:
      break;
  }
  return data.dump(-1, ' ', false, Json::error_handler_t::replace);
}

struct Router::Context {
  Request request;
  std::string path;
  std::map<std::string, std::string> query;
  std::string actor;
  std::chrono::steady_clock::time_point start;
  Respond respond_fn;
  Router* router = nullptr;

  void respond(Response response) {
    if (!respond_fn) return;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    router->count(response.status, seconds);
    auto fn = std::move(respond_fn);
    respond_fn = nullptr;
    fn(std::move(response));
  }
  void fail(unsigned status, std::string_view error, std::string_view hint = {}) {
    respond(error_response(status, error, hint));
  }
  void fail(const Problem& p) { fail(p.status, p.error, p.hint); }
  void method_not_allowed(std::string_view allow) {
    Response r = error_response(405, "method " + request.method + " not allowed on " + path,
                                "allowed: " + std::string(allow));
    r.headers.emplace_back("Allow", std::string(allow));
    respond(std::move(r));
  }
  std::optional<std::string> param(const std::string& name) const {
    const auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
  // A JSON body: 415 for another content type, 400 for bad JSON (responded; nullopt).
  std::optional<Json> json_body() {
    std::string_view type = request.content_type;
    const auto semi = type.find(';');
    if (semi != std::string_view::npos) type = type.substr(0, semi);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    std::string lower(type);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    if (!lower.empty() && lower != "application/json") {
      fail(415, "expected Content-Type application/json, got " + request.content_type,
           "send the body as JSON with -H 'Content-Type: application/json'");
      return std::nullopt;
    }
    Json body = Json::parse(request.body, nullptr, false);
    if (body.is_discarded()) {
      fail(400, "the body is not valid JSON", "check quotes, commas and brackets");
      return std::nullopt;
    }
    return body;
  }
};

Router::Router(core::ServerApi& api, const TokenStore& tokens, metrics::Registry& registry,
               Post post, RouterOptions options)
    : api_(api),
      tokens_(tokens),
      registry_(registry),
      post_(std::move(post)),
      options_(options),
      duration_(registry.histogram("tl_http_request_duration_seconds",
                                   "Time from a parsed HTTP request to its response.",
                                   metrics::latency_buckets())) {
  for (unsigned code : kCodes) {
    by_code_.emplace_back(code, &registry.counter("tl_http_requests_total",
                                                  "HTTP responses by status code.",
                                                  {{"code", std::to_string(code)}}));
  }
  other_code_ = &registry.counter("tl_http_requests_total", "HTTP responses by status code.",
                                  {{"code", "other"}});
}

void Router::count(unsigned status, double seconds) {
  metrics::Counter* counter = other_code_;
  for (const auto& [code, c] : by_code_) {
    if (code == status) counter = c;
  }
  counter->inc();
  duration_.observe(seconds);
}

void Router::handle(const Request& request, Respond respond) {
  auto ctx = std::make_shared<Context>();
  ctx->request = request;
  ctx->start = std::chrono::steady_clock::now();
  ctx->respond_fn = std::move(respond);
  ctx->router = this;
  try {
    route(ctx);
  } catch (const store::StoreError& error) {
    ctx->fail(503, std::string("storage failed: ") + error.what(),
              "see the server's log; retry later");
  } catch (const std::exception& error) {
    ctx->fail(500, std::string("internal error: ") + error.what(),
              "this is a bug: please report it with the request");
  }
}

void Router::audit(const std::string& actor, std::string action, std::string detail) {
  store::WriteBatch batch;
  batch.audit(store::AuditEntry{now_ms(), actor, std::move(action), std::move(detail)});
  api_.storage().submit(std::move(batch));
}

void Router::route(const std::shared_ptr<Context>& ctx) {
  const std::string& target = ctx->request.target;
  const auto qmark = target.find('?');
  const std::string_view raw_path = std::string_view(target).substr(0, qmark);
  if (raw_path.empty() || raw_path.front() != '/') {
    return ctx->fail(400, "the request target must be an absolute path", "e.g. /api/clients");
  }
  if (qmark != std::string::npos) {
    std::string_view query = std::string_view(target).substr(qmark + 1);
    while (!query.empty()) {
      const auto amp = query.find('&');
      const std::string_view item = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
      if (item.empty()) continue;
      const auto eq = item.find('=');
      auto name = decode(item.substr(0, eq), true);
      auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                                : decode(item.substr(eq + 1), true);
      if (!name || !value) return ctx->fail(400, "bad percent-escape in the query");
      ctx->query[*name] = *value;
    }
  }
  std::vector<std::string> segments;
  {
    std::string_view rest = raw_path.substr(1);
    while (true) {
      const auto slash = rest.find('/');
      const auto piece = rest.substr(0, slash);
      auto decoded = decode(piece, false);
      if (!decoded) return ctx->fail(400, "bad percent-escape in the path");
      segments.push_back(std::move(*decoded));
      if (slash == std::string_view::npos) break;
      rest = rest.substr(slash + 1);
    }
    if (segments.size() > 1 && segments.back().empty()) segments.pop_back();  // trailing '/'
  }
  ctx->path = std::string(raw_path);
  const std::string& method = ctx->request.method;

  if (segments.size() == 1 && segments[0] == "health") {
    if (method != "GET") return ctx->method_not_allowed("GET");
    return ctx->respond(
        json_response(200, {{"status", "ok"}, {"devices", api_.device_count()}}));
  }

  // Everything else needs a token.
  if (options_.require_auth) {
    auto name = tokens_.verify(ctx->request.authorization);
    if (!name) {
      Response r = error_response(
          401,
          ctx->request.authorization.empty() ? "missing bearer token" : "invalid bearer token",
          "create a token with `tinyloop server token add NAME` and send it as "
          "'Authorization: Bearer <token>'");
      r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"tinyloop\"");
      return ctx->respond(std::move(r));
    }
    ctx->actor = "http:" + *name;
  } else {
    ctx->actor = "http:anonymous";
  }

  if (segments.size() == 1 && segments[0] == "metrics") {
    if (method != "GET") return ctx->method_not_allowed("GET");
    Response r;
    r.content_type = std::string(metrics::kContentType);
    r.body = registry_.render();
    return ctx->respond(std::move(r));
  }
  if (segments.empty() || segments[0] != "api" || segments.size() < 2) {
    return ctx->fail(404, "no route " + ctx->path, "the API is under /api; see docs/server-api.yaml");
  }
  const std::string& area = segments[1];
  if (area == "clients") return clients(ctx, segments);
  if (area == "bootstrap") return bootstrap(ctx, segments);
  if (area == "requests" && segments.size() == 3) {
    if (method != "GET") return ctx->method_not_allowed("GET");
    const auto id = all_digits(segments[2]) ? parse_number<std::uint64_t>(segments[2]) : std::nullopt;
    if (!id) return ctx->fail(400, "a request id is a positive integer");
    const auto r = api_.storage().request(*id);
    if (!r) return ctx->fail(404, "no request " + segments[2], "ids come from a 202 answer");
    return ctx->respond(json_response(200, request_json(*r)));
  }
  if (area == "audit" && segments.size() == 2) {
    if (method != "GET") return ctx->method_not_allowed("GET");
    std::size_t limit = 100;
    if (auto l = ctx->param("limit")) {
      const auto v = parse_number<std::size_t>(*l);
      if (!v || *v == 0 || *v > 10'000) return ctx->fail(400, "limit must be 1..10000");
      limit = *v;
    }
    Json out = Json::array();
    for (const auto& e : api_.storage().audit_log(limit)) {
      out.push_back({{"time", iso_time(e.time_ms)},
                     {"actor", e.actor},
                     {"action", e.action},
                     {"detail", e.detail}});
    }
    return ctx->respond(json_response(200, out));
  }
  if (area == "event" && segments.size() == 2) {
    if (method != "GET") return ctx->method_not_allowed("GET");
    Response r;
    r.event_stream = true;
    r.content_type = "text/event-stream";
    r.event_endpoint = ctx->param("ep").value_or("");
    return ctx->respond(std::move(r));
  }
  return ctx->fail(404, "no route " + ctx->path, "see docs/server-api.yaml for the routes");
}

void Router::clients(const std::shared_ptr<Context>& ctx, const std::vector<std::string>& segments) {
  const std::string& method = ctx->request.method;
  if (segments.size() == 2) {
    if (method != "GET") return ctx->method_not_allowed("GET");
    core::DeviceQuery query;
    query.endpoint_prefix = ctx->param("prefix").value_or("");
    query.after_endpoint = ctx->param("after").value_or("");
    query.limit = 100;
    if (auto l = ctx->param("limit")) {
      const auto v = parse_number<std::size_t>(*l);
      if (!v || *v == 0 || *v > options_.max_page) {
        return ctx->fail(400, "limit must be 1.." + std::to_string(options_.max_page));
      }
      query.limit = *v;
    }
    const auto devices = api_.devices(query);
    Json out = Json::array();
    for (const auto& d : devices) out.push_back(registration_json(d));
    Response r = json_response(200, out);
    if (devices.size() == query.limit && !devices.empty()) {
      // Leshan's shape is a bare array: the next page is announced in a header.
      r.headers.emplace_back("X-Next-After", devices.back().endpoint);
    }
    return ctx->respond(std::move(r));
  }
  device_route(ctx, segments);
}

void Router::device_route(const std::shared_ptr<Context>& ctx,
                          const std::vector<std::string>& segments) {
  const std::string& method = ctx->request.method;
  const std::string& endpoint = segments[2];
  const auto device = api_.device(endpoint);
  auto not_registered = [&] {
    ctx->fail(404, "no device registered as '" + endpoint + "'",
              "GET /api/clients lists the registered devices");
  };

  if (segments.size() == 3) {
    if (method != "GET") return ctx->method_not_allowed("GET");
    if (!device) return not_registered();
    return ctx->respond(json_response(200, registration_json(*device)));
  }
  const std::string& what = segments[3];
  if (segments.size() == 4 && (what == "objects" || what == "timeseries" || what == "values" ||
                               what == "requests")) {
    if (method != "GET") return ctx->method_not_allowed("GET");
    // Stored data stays readable after a device left: fall back to its stored registration.
    store::DeviceId id = 0;
    if (device) {
      id = device->device;
    } else if (what != "objects") {
      const auto stored = api_.storage().registration(endpoint);
      if (!stored) return not_registered();
      id = stored->device;
    } else {
      return not_registered();
    }
    if (what == "objects") return ctx->respond(json_response(200, objects_json(*device)));
    if (what == "requests") {
      std::map<store::RequestId, store::PendingRequest> all;
      for (auto& r : api_.storage().requests_of(id)) all[r.id] = std::move(r);
      if (device) {
        for (auto& r : api_.pending_requests(endpoint)) all[r.id] = std::move(r);
      }
      Json out = Json::array();
      for (const auto& [rid, r] : all) out.push_back(request_json(r));
      return ctx->respond(json_response(200, out));
    }
    Path path;
    if (auto p = ctx->param("path")) {
      const auto parsed = Path::parse(*p);
      if (!parsed) return ctx->fail(400, "bad path '" + *p + "'", "e.g. path=/33650/0/2001");
      path = *parsed;
    } else if (what == "timeseries") {
      return ctx->fail(400, "timeseries needs ?path=", "e.g. ?path=/33650/0/2001");
    }
    if (what == "values") {
      return ctx->respond(json_response(200, samples_to_json(api_.storage().latest_values(id, path))));
    }
    if (path.depth() < 3) {
      return ctx->fail(400, "timeseries needs a resource path", "e.g. ?path=/33650/0/2001");
    }
    store::SeriesQuery query;
    query.device = id;
    query.path = path;
    if (auto f = ctx->param("from")) {
      const auto v = parse_number<store::TimeMs>(*f);
      if (!v) return ctx->fail(400, "from must be milliseconds since 1970");
      query.from_ms = *v;
    }
    if (auto t = ctx->param("to")) {
      const auto v = parse_number<store::TimeMs>(*t);
      if (!v) return ctx->fail(400, "to must be milliseconds since 1970");
      query.to_ms = *v;
    }
    if (auto l = ctx->param("limit")) {
      const auto v = parse_number<std::size_t>(*l);
      if (!v || *v == 0 || *v > 100'000) return ctx->fail(400, "limit must be 1..100000");
      query.limit = *v;
    }
    if (auto o = ctx->param("order")) {
      if (*o != "asc" && *o != "desc") return ctx->fail(400, "order must be asc or desc");
      query.newest_first = *o == "desc";
    }
    Json samples = Json::array();
    for (const auto& s : api_.storage().series(query)) {
      samples.push_back({{"t", s.time_ms}, {"type", type_name(store::type_of(s.value))},
                         {"value", value_to_json(s.value)}});
    }
    return ctx->respond(json_response(
        200, {{"endpoint", endpoint}, {"path", path.to_string()}, {"samples", std::move(samples)}}));
  }

  // /api/clients/{ep}/{object}[/{instance}[/{resource}[/{ri}]]][/discover|/attributes|/observe]
  std::size_t last = segments.size();
  std::string suffix;
  if (segments.back() == "discover" || segments.back() == "attributes" ||
      segments.back() == "observe") {
    suffix = segments.back();
    --last;
  }
  if (last <= 3 || last - 3 > 4) {
    return ctx->fail(404, "no route " + ctx->path,
                     "device paths look like /api/clients/{endpoint}/3/0/1");
  }
  std::string path_text;
  for (std::size_t i = 3; i < last; ++i) {
    if (!all_digits(segments[i]) || segments[i].size() > 5) {
      return ctx->fail(404, "no route " + ctx->path,
                       "'" + segments[i] + "' is not an LwM2M id; device paths look like "
                       "/api/clients/{endpoint}/3/0/1");
    }
    path_text += '/' + segments[i];
  }
  const auto path = Path::parse(path_text);
  if (!path) return ctx->fail(400, "bad LwM2M path " + path_text, "ids are 0..65534");
  if (!device) return not_registered();

  DeviceRequest request;
  request.path = *path;
  request.timeout_ms = options_.default_timeout_s * 1000;
  if (auto t = ctx->param("timeout")) {
    const auto v = parse_number<std::uint32_t>(*t);
    if (!v || *v == 0 || *v > options_.max_timeout_s) {
      return ctx->fail(400, "timeout must be 1.." + std::to_string(options_.max_timeout_s) +
                                " seconds");
    }
    request.timeout_ms = *v * 1000;
  }
  if (auto f = ctx->param("format")) {
    const auto format = format_from_name(*f);
    if (!format) {
      return ctx->fail(400, "unknown format '" + *f + "'",
                       "one of TLV, SENML_CBOR, SENML_JSON, TEXT, OPAQUE, JSON");
    }
    request.format = *format;
  }

  if (suffix == "discover") {
    if (method != "GET") return ctx->method_not_allowed("GET");
    request.op = Operation::discover;
    return device_request(ctx, endpoint, std::move(request), "discover");
  }
  if (suffix == "attributes") {
    if (method != "PUT") return ctx->method_not_allowed("PUT");
    static const std::set<std::string> kNames = {"pmin", "pmax", "gt",  "lt",  "st",
                                                 "epmin", "epmax", "edge", "con", "hqmax"};
    for (const auto& [name, value] : ctx->query) {
      if (name == "timeout" || name == "format") continue;
      if (!kNames.contains(name)) {
        return ctx->fail(400, "unknown attribute '" + name + "'",
                         "one of pmin, pmax, gt, lt, st, epmin, epmax, edge, con, hqmax");
      }
      if (value.empty()) {
        request.attributes.push_back(name);  // removes the attribute
        continue;
      }
      const bool integral = name == "pmin" || name == "pmax" || name == "epmin" ||
                            name == "epmax" || name == "edge" || name == "con" || name == "hqmax";
      if (integral ? !parse_number<std::uint32_t>(value) : !parse_number<double>(value)) {
        return ctx->fail(400, "attribute " + name + " has a bad value '" + value + "'",
                         integral ? "an integer >= 0" : "a number");
      }
      request.attributes.push_back(name + "=" + value);
    }
    if (request.attributes.empty()) {
      return ctx->fail(400, "no attributes given", "e.g. ?pmin=10&pmax=60&gt=20.5");
    }
    request.op = Operation::write_attributes;
    return device_request(ctx, endpoint, std::move(request), "write-attributes");
  }
  if (suffix == "observe") {
    if (method == "POST") {
      request.op = Operation::observe;
    } else if (method == "DELETE") {
      request.op = Operation::cancel_observe;
    } else {
      return ctx->method_not_allowed("POST, DELETE");
    }
    return device_request(ctx, endpoint, std::move(request), std::string(action_of(request.op)));
  }

  const int depth = path->depth();
  if (method == "GET") {
    request.op = Operation::read;
    return device_request(ctx, endpoint, std::move(request), "read");
  }
  if (method == "PUT") {
    if (depth < 2) {
      return ctx->fail(400, "write needs an instance or resource path",
                       "e.g. PUT /api/clients/{endpoint}/3/0/14");
    }
    const auto replace = ctx->param("replace").value_or("true");
    if (replace != "true" && replace != "false") {
      return ctx->fail(400, "replace must be true or false");
    }
    auto body = ctx->json_body();
    if (!body) return;
    auto samples = samples_from_node(*path, *body);
    if (auto* problem = std::get_if<Problem>(&samples)) return ctx->fail(*problem);
    request.op = replace == "true" ? Operation::write_replace : Operation::write_update;
    request.values = std::move(std::get<std::vector<store::Sample>>(samples));
    return device_request(ctx, endpoint, std::move(request), std::string(action_of(request.op)));
  }
  if (method == "POST") {
    if (depth == 3) {
      std::string_view type = ctx->request.content_type;
      if (!type.empty() && !type.starts_with("text/plain")) {
        return ctx->fail(415, "execute arguments are text/plain",
                         "send the arguments (e.g. 0='a',1) as text/plain or no body");
      }
      if (ctx->request.body.size() > 4096) {
        return ctx->fail(400, "execute arguments longer than 4096 bytes");
      }
      request.op = Operation::execute;
      request.arguments = ctx->request.body;
      return device_request(ctx, endpoint, std::move(request), "execute");
    }
    if (depth == 1) {
      auto body = ctx->json_body();
      if (!body) return;
      auto samples = samples_from_node(*path, *body);
      if (auto* problem = std::get_if<Problem>(&samples)) return ctx->fail(*problem);
      request.op = Operation::create;
      request.values = std::move(std::get<std::vector<store::Sample>>(samples));
      return device_request(ctx, endpoint, std::move(request), "create");
    }
    return ctx->fail(400, "POST executes a resource (/O/I/R) or creates an instance (/O)",
                     "for a partial update of an instance use PUT ...?replace=false");
  }
  if (method == "DELETE") {
    if (depth != 2) {
      return ctx->fail(400, "delete needs an object instance path", "e.g. /api/clients/{endpoint}/3303/1");
    }
    request.op = Operation::delete_instance;
    return device_request(ctx, endpoint, std::move(request), "delete");
  }
  return ctx->method_not_allowed("GET, PUT, POST, DELETE");
}

void Router::device_request(const std::shared_ptr<Context>& ctx, const std::string& endpoint,
                            DeviceRequest request, std::string action) {
  const Operation op = request.op;
  const Path path = request.path;
  const std::uint32_t timeout_s = request.timeout_ms / 1000;
  // The outcome arrives on the core's network thread: hand it to ours at once.
  // Only `post` (a copy) is touched on the network thread: the router may be gone by then, and
  // `post` then drops the closure.
  auto on_outcome = [this, post = post_, ctx, endpoint, op, path, timeout_s,
                     action = std::move(action)](Outcome outcome) mutable {
    post([this, ctx, endpoint = std::move(endpoint), op, path, timeout_s,
           action = std::move(action), outcome = std::move(outcome)]() mutable {
      try {
        finish(ctx, endpoint, op, path, timeout_s, action, outcome);
      } catch (const std::exception& error) {
        ctx->fail(500, std::string("internal error: ") + error.what(),
                  "this is a bug: please report it with the request");
      }
    });
  };
  api_.request(endpoint, std::move(request), std::move(on_outcome));
}

void Router::finish(const std::shared_ptr<Context>& ctx, const std::string& endpoint,
                    core::Operation op, store::Path path, std::uint32_t timeout_s,
                    const std::string& action, const core::Outcome& outcome) {
  {
      Response response;
      switch (outcome.status) {
        case OutcomeStatus::done: {
          const std::string_view name = coap_status_name(outcome.coap_code);
          const bool success = (outcome.coap_code >> 5) == 2;
          Json body = {{"status", name.empty() ? std::to_string(outcome.coap_code >> 5) + "." +
                                                     std::to_string(outcome.coap_code & 0x1F)
                                               : std::string(name)},
                       {"valid", !name.empty()},
                       {"success", success},
                       {"failure", !success}};
          if (success && (op == Operation::read || op == Operation::observe)) {
            body["content"] = node_from_samples(path, outcome.values);
          }
          if (success && op == Operation::discover) {
            body["objectLinks"] = links_json(outcome.link_format);
          }
          if (!success && !outcome.detail.empty()) body["errormessage"] = outcome.detail;
          response = json_response(200, body);
          break;
        }
        case OutcomeStatus::queued:
          response = json_response(
              202, {{"status", "QUEUED"},
                    {"requestId", outcome.request_id},
                    {"detail", outcome.detail.empty()
                                   ? "the device sleeps: the request waits for its next update"
                                   : outcome.detail},
                    {"hint", "GET /api/requests/" + std::to_string(outcome.request_id) +
                                 " for its state"}});
          break;
        case OutcomeStatus::expired:
          response = error_response(504, "the request expired before the device woke up",
                                    "queue it again, or wait for the device's next update");
          break;
        case OutcomeStatus::timeout:
          response = error_response(
              504, "the device did not answer within " + std::to_string(timeout_s) + " s",
              "retry, or give it longer with ?timeout=S");
          break;
        case OutcomeStatus::not_registered:
          response = error_response(404, "no device registered as '" + endpoint + "'",
                                    "GET /api/clients lists the registered devices");
          break;
        case OutcomeStatus::bad_request:
          response = error_response(400, outcome.detail.empty() ? "bad request" : outcome.detail,
                                    "check the path, the values and the format");
          break;
        case OutcomeStatus::failed:
          response = error_response(502, outcome.detail.empty() ? "the request failed" : outcome.detail,
                                    "see the server's log");
          break;
      }
      if (mutating(op) && outcome.status != OutcomeStatus::not_registered &&
          outcome.status != OutcomeStatus::bad_request) {
        try {
          audit(ctx->actor, action,
                endpoint + " " + path.to_string() + " -> " +
                    (outcome.status == OutcomeStatus::done
                         ? std::string(coap_status_name(outcome.coap_code))
                         : outcome.status == OutcomeStatus::queued ? std::string("queued")
                                                                  : std::string("failed")));
        } catch (const std::exception&) {
          // The audit log is best effort here: the device already acted.
        }
      }
      ctx->respond(std::move(response));
  }
}

void Router::bootstrap(const std::shared_ptr<Context>& ctx,
                       const std::vector<std::string>& segments) {
  const std::string& method = ctx->request.method;
  auto config_json = [](const store::BootstrapConfig& c) {
    Json config = Json::parse(c.config_json, nullptr, false);
    return Json{{"endpoint", c.endpoint},
                {"updated", iso_time(c.updated_ms)},
                {"config", config.is_discarded() ? Json(nullptr) : config}};
  };
  if (segments.size() == 2) {
    if (method != "GET") return ctx->method_not_allowed("GET");
    Json out = Json::array();
    for (const auto& c : api_.storage().bootstrap_configs()) out.push_back(config_json(c));
    return ctx->respond(json_response(200, out));
  }
  if (segments.size() != 3) return ctx->fail(404, "no route " + ctx->path);
  const std::string& endpoint = segments[2];
  if (!valid_endpoint_name(endpoint)) {
    return ctx->fail(400, "bad endpoint name", "1 to 255 printable characters, no '/', '?', '#'");
  }
  if (method == "GET") {
    const auto c = api_.storage().bootstrap_config(endpoint);
    if (!c) {
      return ctx->fail(404, "no bootstrap configuration for '" + endpoint + "'",
                       "create one with PUT /api/bootstrap/" + endpoint);
    }
    return ctx->respond(json_response(200, config_json(*c)));
  }
  if (method == "PUT") {
    auto body = ctx->json_body();
    if (!body) return;
    auto validated = validate_bootstrap_config(*body, endpoint);
    if (auto* problem = std::get_if<Problem>(&validated)) return ctx->fail(*problem);
    const bool existed = api_.storage().bootstrap_config(endpoint).has_value();
    store::BootstrapConfig config{endpoint, std::get<Json>(validated).dump(), now_ms()};
    const Json answer = config_json(config);
    store::WriteBatch batch;
    batch.put_bootstrap_config(std::move(config));
    batch.audit(store::AuditEntry{now_ms(), ctx->actor, "bootstrap-config", endpoint});
    api_.storage().submit(std::move(batch), [post = post_, ctx, answer, existed](bool durable) {
      post([ctx, answer, existed, durable] {
        if (!durable) {
          return ctx->fail(503, "the configuration could not be stored",
                           "see the server's log; retry later");
        }
        ctx->respond(json_response(existed ? 200 : 201, answer));
      });
    });
    return;
  }
  if (method == "DELETE") {
    if (!api_.storage().bootstrap_config(endpoint)) {
      return ctx->fail(404, "no bootstrap configuration for '" + endpoint + "'");
    }
    store::WriteBatch batch;
    batch.delete_bootstrap_config(endpoint);
    batch.audit(store::AuditEntry{now_ms(), ctx->actor, "bootstrap-delete", endpoint});
    api_.storage().submit(std::move(batch), [post = post_, ctx, endpoint](bool durable) {
      post([ctx, endpoint, durable] {
        if (!durable) {
          return ctx->fail(503, "the deletion could not be stored", "retry later");
        }
        ctx->respond(json_response(200, {{"deleted", endpoint}}));
      });
    });
    return;
  }
  return ctx->method_not_allowed("GET, PUT, DELETE");
}

}  // namespace tl::server::http
