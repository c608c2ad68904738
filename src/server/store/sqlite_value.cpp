#include "server/store/sqlite_value.hpp"

#include <type_traits>

namespace tl::server::store::sqlite {

namespace {

constexpr std::int64_t pack(ObjLink link) {
  return std::int64_t{link.object} << 16 | std::int64_t{link.instance};
}
constexpr ObjLink unpack_objlnk(std::int64_t packed) {
  return ObjLink{static_cast<std::uint16_t>(packed >> 16), static_cast<std::uint16_t>(packed)};
}

}  // namespace

void bind_value(Statement& statement, int type_index, const Value& value) {
  statement.bind(type_index, static_cast<std::int64_t>(value.index()));
  const int at = type_index + 1;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::int64_t>) {
          statement.bind(at, v);
        } else if constexpr (std::is_same_v<T, std::uint64_t>) {
          statement.bind(at, static_cast<std::int64_t>(v));  // same bits; `type` says unsigned
        } else if constexpr (std::is_same_v<T, double>) {
          statement.bind(at, v);
        } else if constexpr (std::is_same_v<T, bool>) {
          statement.bind(at, std::int64_t{v ? 1 : 0});
        } else if constexpr (std::is_same_v<T, std::string>) {
          statement.bind(at, std::string_view(v));
        } else if constexpr (std::is_same_v<T, Opaque>) {
          statement.bind_blob(at, v);
        } else if constexpr (std::is_same_v<T, Time>) {
          statement.bind(at, v.seconds);
        } else {
          static_assert(std::is_same_v<T, ObjLink>);
          statement.bind(at, pack(v));
        }
      },
      value);
}

Value read_value(const Statement& statement, int type_column) {
  const int at = type_column + 1;
  switch (static_cast<ValueType>(statement.int64(type_column))) {
    case ValueType::integer: return statement.int64(at);
    case ValueType::unsigned_integer: return static_cast<std::uint64_t>(statement.int64(at));
    case ValueType::floating: return statement.real(at);
    case ValueType::boolean: return statement.int64(at) != 0;
    case ValueType::string: return std::string(statement.text(at));
    case ValueType::opaque: {
      const auto bytes = statement.blob(at);
      return Opaque(bytes.begin(), bytes.end());
    }
    case ValueType::time: return Time{statement.int64(at)};
    case ValueType::objlnk: return unpack_objlnk(statement.int64(at));
  }
  // Written by a newer build with a type this one does not know: keep it as its text.
  return std::string(statement.text(at));
}

}  // namespace tl::server::store::sqlite
