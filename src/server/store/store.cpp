#include "server/store/store.hpp"

namespace tl::server::store {

std::vector<Registration> Store::load_registrations() const {
  std::vector<Registration> rows;
  for_each_registration([&](const Registration& row) { rows.push_back(row); });
  return rows;
}

}  // namespace tl::server::store
