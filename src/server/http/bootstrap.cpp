#include "server/http/bootstrap.hpp"

#include <set>

#include "server/http/crypto.hpp"

namespace tl::server::http {

namespace {

Problem bad(std::string error, std::string hint = {}) {
  return Problem{400, std::move(error), std::move(hint)};
}

const char* kShapeHint =
    "send {\"servers\":[{\"uri\":\"coap://host:5683\",\"security_mode\":\"nosec\","
    "\"short_server_id\":1,\"lifetime\":300,\"binding\":\"U\"}]}; for DTLS: "
    "\"uri\":\"coaps://host:5684\",\"security_mode\":\"psk\",\"psk\":\"generate\"";

std::optional<std::int64_t> integer(const Json& json) {
  if (json.is_number_unsigned()) {
    const auto v = json.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(v);
  }
  if (json.is_number_integer()) return json.get<std::int64_t>();
  return std::nullopt;
}

bool valid_uri(std::string_view uri, bool& secure) {
  std::string_view rest;
  if (uri.starts_with("coaps://")) {
    secure = true;
    rest = uri.substr(8);
  } else if (uri.starts_with("coap://")) {
    secure = false;
    rest = uri.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == ':' || rest.front() == '/' || uri.size() > 255) return false;
  for (char c : rest) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool valid_endpoint_name(std::string_view endpoint) {
  if (endpoint.empty() || endpoint.size() > 255) return false;
  for (char c : endpoint) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '/' || c == '?' || c == '#') return false;
  }
  return true;
}

std::variant<Json, Problem> validate_bootstrap_config(const Json& body, std::string_view endpoint) {
  if (!body.is_object()) return bad("the body must be a JSON object", kShapeHint);
  for (const auto& [key, value] : body.items()) {
    if (key != "servers") return bad("unknown field \"" + key + "\"", kShapeHint);
  }
  const auto servers = body.find("servers");
  if (servers == body.end() || !servers->is_array() || servers->empty()) {
    return bad("\"servers\" must be a non-empty array", kShapeHint);
  }
  if (servers->size() > 16) return bad("at most 16 servers");
  Json out_servers = Json::array();
  std::set<std::int64_t> ids;
  std::size_t index = 0;
  for (const auto& server : *servers) {
    const std::string where = "servers[" + std::to_string(index++) + "]";
    if (!server.is_object()) return bad(where + " must be an object", kShapeHint);
    for (const auto& [key, value] : server.items()) {
      static const std::set<std::string> kKnown = {"uri",      "security_mode", "short_server_id",
                                                   "lifetime", "binding",       "psk_identity",
                                                   "psk"};
      if (!kKnown.contains(key)) return bad(where + ": unknown field \"" + key + "\"", kShapeHint);
    }
    Json out;
    const auto uri = server.find("uri");
    bool secure = false;
    if (uri == server.end() || !uri->is_string() || !valid_uri(uri->get<std::string>(), secure)) {
      return bad(where + ".uri must be coap://host[:port] or coaps://host[:port]", kShapeHint);
    }
    out["uri"] = *uri;
    const std::string mode = server.value("security_mode", std::string{secure ? "psk" : "nosec"});
    if (mode != "nosec" && mode != "psk") {
      return bad(where + ".security_mode must be \"nosec\" or \"psk\"");
    }
    if ((mode == "psk") != secure) {
      return bad(where + ": security_mode \"" + mode + "\" does not fit the uri's scheme",
                 "psk goes with coaps://, nosec with coap://");
    }
    out["security_mode"] = mode;
    const auto ssid = server.find("short_server_id");
    const auto ssid_value = ssid == server.end() ? std::nullopt : integer(*ssid);
    if (!ssid_value || *ssid_value < 1 || *ssid_value > 65534) {
      return bad(where + ".short_server_id must be an integer 1..65534");
    }
    if (!ids.insert(*ssid_value).second) {
      return bad(where + ".short_server_id " + std::to_string(*ssid_value) + " is used twice");
    }
    out["short_server_id"] = *ssid_value;
    std::int64_t lifetime = 86400;
    if (const auto it = server.find("lifetime"); it != server.end()) {
      const auto v = integer(*it);
      if (!v || *v < 1 || *v > 0xFFFFFFFFLL) {
        return bad(where + ".lifetime must be an integer 1..4294967295 (seconds)");
      }
      lifetime = *v;
    }
    out["lifetime"] = lifetime;
    std::string binding = "U";
    if (const auto it = server.find("binding"); it != server.end()) {
      if (!it->is_string()) return bad(where + ".binding must be a string such as \"U\" or \"UQ\"");
      binding = it->get<std::string>();
      if (binding.empty() || binding.size() > 6 ||
          binding.find_first_not_of("UTSNQ") != std::string::npos) {
        return bad(where + ".binding must be letters of U, T, S, N, Q (e.g. \"U\", \"UQ\")");
      }
    }
    out["binding"] = binding;
    if (mode == "psk") {
      std::string identity(endpoint);
      if (const auto it = server.find("psk_identity"); it != server.end()) {
        if (!it->is_string() || it->get<std::string>().empty() ||
            it->get<std::string>().size() > 128) {
          return bad(where + ".psk_identity must be a string of 1 to 128 bytes");
        }
        identity = it->get<std::string>();
      }
      const auto psk = server.find("psk");
      if (psk == server.end() || !psk->is_string()) {
        return bad(where + ".psk is missing", "give the key as hex, or \"generate\"");
      }
      std::string key = psk->get<std::string>();
      if (key == "generate") {
        key = to_hex(random_bytes(16));
      } else {
        std::vector<std::uint8_t> bytes;
        if (!from_hex(key, bytes) || bytes.empty() || bytes.size() > 64) {
          return bad(where + ".psk must be 1 to 64 bytes as hex, or \"generate\"");
        }
        key = to_hex(bytes);
      }
      out["psk_identity"] = identity;
      out["psk"] = key;
    } else if (server.contains("psk") || server.contains("psk_identity")) {
      return bad(where + ": psk and psk_identity belong to security_mode \"psk\"");
    }
    out_servers.push_back(std::move(out));
  }
  return Json{{"servers", std::move(out_servers)}};
}

}  // namespace tl::server::http
