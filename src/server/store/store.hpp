// Store: the server's persistent state behind one interface, so that an engine for clusters
// (PostgreSQL) can come later beside SqliteStore.
//
// Writes are asynchronous: the network thread, which must never wait for a disk, hands over a
// WriteBatch and is told later, on the store's writer thread, whether it is durable. Reads are
// synchronous and may be called from any thread at the same time (the HTTP thread, startup).
#pragma once
#include <cstddef>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/path.hpp"
#include "server/store/records.hpp"
#include "server/store/write_batch.hpp"

namespace tl::server::store {

// A store that cannot be opened or read. The message names the file and says what to do.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Called once per submitted batch, on the writer thread: true when the batch is durable, false
// when it was not stored at all (the failure is logged). Keep it short: the next group waits.
using DurableCallback = std::function<void(bool durable)>;

struct DeviceFilter {
  std::string endpoint_prefix;  // "" for every device
  std::string after_endpoint;   // keyset pagination: the last endpoint of the previous page
  std::size_t limit = 100;
};

struct SeriesQuery {
  DeviceId device = 0;
  Path path;
  TimeMs from_ms = std::numeric_limits<TimeMs>::min();  // inclusive
  TimeMs to_ms = std::numeric_limits<TimeMs>::max();    // inclusive
  std::size_t limit = 1000;
  bool newest_first = false;  // with a limit: the latest samples of the range
};

class Store {
 public:
  virtual ~Store() = default;

  // --- writes (any thread; never blocks on the disk) ---
  // Queues the batch; it is stored atomically, after every batch submitted before it.
  virtual void submit(WriteBatch batch, DurableCallback on_durable = {}) = 0;
  // Returns once every batch submitted before the call is durable or has failed. Not from a
  // DurableCallback (the writer would wait for itself).
  virtual void flush() = 0;

  // --- reads (any thread, concurrently; throw StoreError when the database fails) ---
  // Every registration, in no particular order, one at a time (the server's startup). Do not
  // call the store from `visit`.
  virtual void for_each_registration(
      const std::function<void(const Registration&)>& visit) const = 0;
  std::vector<Registration> load_registrations() const;
  virtual std::optional<Registration> registration(std::string_view endpoint) const = 0;
  // Ordered by endpoint.
  virtual std::vector<Registration> list_registrations(const DeviceFilter& filter) const = 0;
  // The latest value of each path of the device under `under` (the root: all), by path.
  virtual std::vector<Sample> latest_values(DeviceId device, Path under = {}) const = 0;
  // Samples of one path in [from_ms, to_ms], by time (oldest first unless newest_first).
  virtual std::vector<Sample> series(const SeriesQuery& query) const = 0;
  // By request id.
  virtual std::vector<PendingRequest> requests_of(DeviceId device) const = 0;
  // Every request still pending, of every device, by id (the server's startup).
  virtual std::vector<PendingRequest> pending_requests() const = 0;
  // Every stored observation, by device and path (the server's startup).
  virtual std::vector<Observation> observations() const = 0;
  virtual std::optional<PendingRequest> request(RequestId id) const = 0;
  virtual std::optional<BootstrapConfig> bootstrap_config(std::string_view endpoint) const = 0;
  // By endpoint.
  virtual std::vector<BootstrapConfig> bootstrap_configs() const = 0;
  // The latest `count` entries, newest first.
  virtual std::vector<AuditEntry> audit_log(std::size_t count) const = 0;
};

}  // namespace tl::server::store
