// How a Value is kept in SQLite: a `type` column (ValueType) and an untyped `value` column holding
// the natural SQLite form (INTEGER, REAL, TEXT or BLOB).
#pragma once
#include "server/store/records.hpp"
#include "server/store/sqlite_db.hpp"

namespace tl::server::store::sqlite {

// Binds `value` to parameters type_index and type_index + 1.
void bind_value(Statement& statement, int type_index, const Value& value);
// Reads the value from columns type_column and type_column + 1.
Value read_value(const Statement& statement, int type_column);

}  // namespace tl::server::store::sqlite
