// bench_store: SqliteStore's write and load rates on disk, in a temporary directory.
// Prints one `figure: value unit` line per figure (see bench/store/run).
//
//   bench_store [--values N] [--devices N] [--registrations N] [--batch N] [--dir PATH]
//
// Values: one producer thread submits batches of --batch notifications, each from a different
// device of --devices in turn, three resources per device (float, integer, boolean), time
// advancing one second per round over the fleet, devices scattered (--order sequential: in id
// order, which is kinder to the B-trees than a real fleet): what a fleet of devices observed at
// once looks like to the store. The producer keeps at most 8 batches queued (back-pressure), so the rate is
// the writer's sustained rate, not the queue's.
#include <stdlib.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "server/store/sqlite_store.hpp"

namespace store = tl::server::store;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  long values = 3'000'000;
  long devices = 100'000;
  long registrations = 1'000'000;
  long batch = 1000;
  long checkpoint_pages = 0;  // 0: the store's default
  long cache_kib = 0;         // 0: the store's default
  bool sequential = false;    // devices in id order (kind to the B-tree) instead of scattered
  std::string dir;
};

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--values") args.values = std::atol(value);
    else if (flag == "--devices") args.devices = std::atol(value);
    else if (flag == "--registrations") args.registrations = std::atol(value);
    else if (flag == "--batch") args.batch = std::atol(value);
    else if (flag == "--dir") args.dir = value;
    else if (flag == "--checkpoint-pages") args.checkpoint_pages = std::atol(value);
    else if (flag == "--cache-kib") args.cache_kib = std::atol(value);
    else if (flag == "--order") args.sequential = std::strcmp(value, "sequential") == 0;
    else std::fprintf(stderr, "bench_store: unknown option %s\n", flag.c_str());
  }
  return args;
}

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

Args tuning;  // the store options given on the command line

store::SqliteOptions options(const std::filesystem::path& dir) {
  store::SqliteOptions o;
  o.data_dir = dir;
  if (tuning.checkpoint_pages > 0) o.wal_autocheckpoint_pages = int(tuning.checkpoint_pages);
  if (tuning.cache_kib > 0) o.writer_cache_kib = int(tuning.cache_kib);
  return o;
}

// Keeps at most `depth` batches queued, so the producer runs at the writer's pace.
void wait_for_room(const store::SqliteStore& s, std::size_t depth) {
  while (s.queued() >= depth) std::this_thread::sleep_for(std::chrono::microseconds(200));
}

void bench_values(const Args& args, const std::filesystem::path& dir) {
  const store::Path paths[3] = {*store::Path::parse("/3303/0/5700"),
                                *store::Path::parse("/3/0/9"),
                                *store::Path::parse("/33650/0/1")};
  long stored = 0;
  double elapsed = 0;
  double cpu = 0;  // both threads: the figure that does not depend on other load on the machine
  double producer_cpu = 0;
  {
    store::SqliteStore s(options(dir));
    const Clock::time_point start = Clock::now();
    const std::clock_t cpu_start = std::clock();
    std::thread producer([&] {
      const double producer_start = thread_cpu_seconds();
      long produced = 0;
      long device = 0;
      store::TimeMs now = 1'700'000'000'000;
      while (produced < args.values) {
        store::WriteBatch batch;
        batch.reserve_values(static_cast<std::size_t>(args.batch));
        for (long i = 0; i < args.batch && produced < args.values; i += 3, produced += 3) {
          // Devices notify in no particular order: a fixed permutation of the fleet (1000003 is
          // prime, so i -> i * 1000003 mod devices visits every device once a round).
          const auto id = static_cast<store::DeviceId>(
              args.sequential ? device : device * 1000003 % args.devices);
          batch.append_value(id, paths[0], now, store::Value{20.5 + double(i % 7)});
          batch.append_value(id, paths[1], now, store::Value{std::int64_t{i % 100}});
          batch.append_value(id, paths[2], now, store::Value{i % 2 == 0});
          if (++device == args.devices) {
            device = 0;
            now += 1000;
          }
        }
        wait_for_room(s, 8);
        s.submit(std::move(batch));
      }
      stored = produced;
      producer_cpu = thread_cpu_seconds() - producer_start;
    });
    producer.join();
    s.flush();
    elapsed = seconds_since(start);
    cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  }  // closed: the WAL is checkpointed into the database file and removed
  const auto bytes = std::filesystem::file_size(dir / "tinyloop.db");
  std::printf("values appended per second: %.0f values/s\n", double(stored) / elapsed);
  std::printf("values appended per process CPU second: %.0f values/s\n", double(stored) / cpu);
  // The process less the producer: the store's writer and checkpoint threads (the main thread
  // only waits).
  std::printf("values appended per store CPU second: %.0f values/s\n",
              double(stored) / (cpu - producer_cpu));
  std::printf("bytes on disk per stored value: %.1f B\n", double(bytes) / double(stored));
  std::fflush(stdout);
}

store::Registration registration(long i) {
  store::Registration r;
  r.device = static_cast<store::DeviceId>(i);
  r.endpoint = "urn:dev:ops:tinyloop-" + std::to_string(i);
  r.registration_id = std::to_string(i);
  r.address = "10." + std::to_string(i >> 16 & 255) + "." + std::to_string(i >> 8 & 255) + "." +
              std::to_string(i & 255) + ":56830";
  r.lifetime_s = 86400;
  r.binding = "UQ";
  r.lwm2m_version = "1.1";
  r.object_links = "</>;rt=\"oma.lwm2m\";ct=11543,</1/0>,</3/0>,</4/0>,</5/0>,</33650/0>,"
                   "</33651/0>,</33652/0>,</33653/0>,</33654/0>";
  r.registered_ms = 1'700'000'000'000 + i;
  r.updated_ms = r.registered_ms;
  r.psk_identity = "psk-" + std::to_string(i);
  r.queue_mode = true;
  return r;
}

void bench_registrations(const Args& args, const std::filesystem::path& dir) {
  {
    store::SqliteStore s(options(dir));
    const Clock::time_point start = Clock::now();
    for (long i = 0; i < args.registrations;) {
      store::WriteBatch batch;
      for (long end = std::min(i + args.batch, args.registrations); i < end; ++i) {
        batch.upsert_registration(registration(i));
      }
      wait_for_room(s, 8);
      s.submit(std::move(batch));
    }
    s.flush();
    std::printf("registrations upserted per second: %.0f registrations/s\n",
                double(args.registrations) / seconds_since(start));
    std::fflush(stdout);
  }
  // A restart: open the store again and rebuild the registry from it.
  const Clock::time_point open = Clock::now();
  store::SqliteStore s(options(dir));
  const auto rows = s.load_registrations();
  const double elapsed = seconds_since(open);
  // The store's own share: the rows visited, not copied.
  const Clock::time_point visit = Clock::now();
  std::size_t bytes = 0;
  s.for_each_registration([&](const store::Registration& r) { bytes += r.endpoint.size(); });
  std::printf("scan of %ld registrations (visited, not copied): %.2f s\n", args.registrations,
              seconds_since(visit));
  if (rows.size() != static_cast<std::size_t>(args.registrations)) {
    std::fprintf(stderr, "bench_store: loaded %zu registrations, expected %ld\n", rows.size(),
                 args.registrations);
  }
  std::printf("load of %ld registrations: %.2f s\n", args.registrations, elapsed);
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  tuning = args;
  std::filesystem::path root = args.dir;
  const bool temporary = root.empty();
  if (temporary) {
    std::string pattern = (std::filesystem::temp_directory_path() / "bench-store-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::perror("bench_store: mkdtemp");
      return 1;
    }
    root = pattern;
  }
  try {
    bench_values(args, root / "values");
    if (args.registrations > 0) bench_registrations(args, root / "registrations");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_store: %s\n", e.what());
    if (temporary) std::filesystem::remove_all(root);
    return 1;
  }
  if (temporary) std::filesystem::remove_all(root);
  return 0;
}
