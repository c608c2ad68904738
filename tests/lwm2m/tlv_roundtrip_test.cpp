// Seeded random TLV trees: write -> read -> every leaf back with its path, value and the
// minimal encoded size.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "wire/lwm2m/tlv.hpp"

namespace tl::wire::lwm2m::tlv {
namespace {

struct Leaf {
  Path path;
  Value value;
};

class Tree {
 public:
  explicit Tree(uint64_t seed) : rng_(seed) {}

  // Writes random records below `base` (an object or an object instance) into `w`; returns the
  // payload size a minimal encoder produces.
  size_t write(Writer& w, const Path& base) {
    if (base.depth == 1) {
      size_t total = 0;
      for (uint16_t n = pick(1, 3); n-- > 0;) {
        uint16_t id = next_id();
        w.begin_object_instance(id);
        total += container(resources(w, base.child(id)), id);
        w.end();
      }
      return total;
    }
    return resources(w, base);
  }

  std::vector<Leaf> leaves;

 private:
  size_t resources(Writer& w, const Path& instance) {
    size_t total = 0;
    for (uint16_t n = pick(0, 6); n-- > 0;) {
      uint16_t id = next_id();
      if (pick(0, 3) == 0) {
        w.begin_multiple_resource(id);
        size_t inner = 0;
        for (uint16_t k = pick(0, 4); k-- > 0;) {
          uint16_t ri = next_id();
          inner += leaf(w, Kind::resource_instance, instance.child(id).child(ri), ri);
        }
        w.end();
        total += container(inner, id);
      } else {
        total += leaf(w, Kind::resource, instance.child(id), id);
      }
    }
    return total;
  }

  size_t leaf(Writer& w, Kind kind, const Path& path, uint16_t id) {
    Value v = random_value();
    if (kind == Kind::resource) {
      w.resource(id, v);
    } else {
      w.resource_instance(id, v);
    }
    leaves.push_back({path, v});
    return container(value_size(v), id);
  }

  // Record size for `length` value bytes: type, identifier, shortest length field, value.
  static size_t container(size_t length, uint16_t id) {
    size_t field = length <= 7 ? 0 : length <= 0xFF ? 1 : length <= 0xFFFF ? 2 : 3;
    return 1 + (id > 0xFF ? 2 : 1) + field + length;
  }

  static size_t int_size(int64_t v) {
    for (size_t n : {size_t{1}, size_t{2}, size_t{4}}) {
      int64_t lim = INT64_C(1) << (8 * n - 1);
      if (v >= -lim && v < lim) return n;
    }
    return 8;
  }

  static size_t value_size(const Value& v) {
    switch (v.type) {
      case ValueType::integer:
      case ValueType::time: return int_size(v.i);
      case ValueType::unsigned_integer: return v.u <= 0xFF ? 1 : v.u <= 0xFFFF ? 2 : v.u <= 0xFFFFFFFF ? 4 : 8;
      case ValueType::floating: {
        double d = std::bit_cast<double>(v.f64);
        return static_cast<double>(static_cast<float>(d)) == d ? 4 : 8;
      }
      case ValueType::boolean: return 1;
      case ValueType::objlnk: return 4;
      case ValueType::none: return 0;
      default: return v.bytes.size();
    }
  }

  uint16_t pick(uint16_t lo, uint16_t hi) {
    return static_cast<uint16_t>(lo + rng_() % static_cast<uint64_t>(hi - lo + 1));
  }
  // Mostly small ids, some needing the 16-bit identifier form.
  uint16_t next_id() { return pick(0, 3) == 0 ? pick(256, 65534) : pick(0, 255); }

  Value random_value() {
    switch (pick(0, 9)) {
      case 0: return Value::integer(static_cast<int64_t>(rng_()) >> pick(0, 63));
      case 1: return Value::unsigned_integer(rng_() >> pick(0, 63));
      case 2: {
        // Finite values only; half of them exact binary32 values.
        double d = pick(0, 1) == 0 ? static_cast<double>(static_cast<float>(rng_() % 100000) / 64.0f)
                                   : std::bit_cast<double>(rng_() & ~(UINT64_C(1) << 62));
        return Value::floating_bits(std::bit_cast<uint64_t>(d));
      }
      case 3: return Value::boolean(pick(0, 1) == 1);
      case 4: return Value::time(static_cast<int64_t>(rng_() % 4000000000ull));
      case 5: return Value::objlnk(static_cast<uint16_t>(rng_()), static_cast<uint16_t>(rng_()));
      case 6: return Value{};
      case 7: return Value::opaque(blob(pick(0, 1) == 0 ? pick(0, 20) : pick(200, 300)));
      default: return Value::string(text(pick(0, 1) == 0 ? pick(0, 10) : pick(250, 600)));
    }
  }

  // Strings and blobs live in store_: leaf values point into it.
  Bytes blob(size_t n) {
    store_.emplace_back(n, '\0');
    for (char& c : store_.back()) c = static_cast<char>(rng_());
    return as_bytes(store_.back());
  }
  std::string_view text(size_t n) {
    store_.emplace_back();
    while (store_.back().size() < n) store_.back() += pick(0, 7) == 0 ? "\xC3\xA9" : "x";
    return store_.back();
  }

  std::mt19937_64 rng_;
  std::deque<std::string> store_;  // a deque never moves its elements
};

void round_trip(uint64_t seed, const Path& base) {
  Tree tree(seed);
  std::vector<uint8_t> buf(1 << 20);
  ByteWriter out(buf);
  Writer w(out);
  size_t expected_size = tree.write(w, base);
  ASSERT_EQ(w.finish(), Error::ok) << seed;
  EXPECT_EQ(out.size(), expected_size) << seed;

  Reader r(out.written(), base);
  for (const Leaf& want : tree.leaves) {
    Result<Record> rec = r.next();
    ASSERT_TRUE(rec.ok()) << seed << " " << error_name(rec.error());
    EXPECT_EQ(rec->path, want.path) << seed;
    Result<Value> v = decode(rec->value, want.value.type);
    ASSERT_TRUE(v.ok()) << seed << " " << value_type_name(want.value.type);
    EXPECT_EQ(*v, want.value) << seed << " " << value_type_name(want.value.type);
  }
  EXPECT_EQ(r.next().error(), Error::end) << seed;
}

TEST(TlvRoundTrip, RandomObjectTrees) {
  for (uint64_t seed = 1; seed <= 300; ++seed) round_trip(seed, Path::object(33650));
}

TEST(TlvRoundTrip, RandomInstanceTrees) {
  for (uint64_t seed = 1000; seed < 1300; ++seed) round_trip(seed, Path::instance(3303, 7));
}

}  // namespace
}  // namespace tl::wire::lwm2m::tlv
