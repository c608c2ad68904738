#include "server/http/crypto.hpp"

#include <mbedtls/base64.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#include <mutex>
#include <stdexcept>

namespace tl::server::http {

namespace {

class Drbg {
 public:
  Drbg() {
    mbedtls_entropy_init(&entropy_);
    mbedtls_ctr_drbg_init(&drbg_);
    static constexpr unsigned char kPersonalization[] = "tinyloop-http";
    if (mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, kPersonalization,
                              sizeof kPersonalization - 1) != 0) {
      mbedtls_ctr_drbg_free(&drbg_);
      mbedtls_entropy_free(&entropy_);
      throw std::runtime_error("cannot seed the random generator (no entropy source?)");
    }
  }
  ~Drbg() {
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
  }
  Drbg(const Drbg&) = delete;
  Drbg& operator=(const Drbg&) = delete;

  void fill(std::uint8_t* out, std::size_t count) {
    std::lock_guard lock(mutex_);
    while (count > 0) {
      const std::size_t chunk = count < MBEDTLS_CTR_DRBG_MAX_REQUEST ? count
                                                                     : MBEDTLS_CTR_DRBG_MAX_REQUEST;
      if (mbedtls_ctr_drbg_random(&drbg_, out, chunk) != 0) {
        throw std::runtime_error("the random generator failed");
      }
      out += chunk;
      count -= chunk;
    }
  }

 private:
  std::mutex mutex_;
  mbedtls_entropy_context entropy_;
  mbedtls_ctr_drbg_context drbg_;
};

Drbg& drbg() {
  static Drbg instance;
  return instance;
}

}  // namespace

std::vector<std::uint8_t> random_bytes(std::size_t count) {
  std::vector<std::uint8_t> out(count);
  if (count > 0) drbg().fill(out.data(), count);
  return out;
}

std::array<std::uint8_t, 32> sha256(std::string_view data) {
  std::array<std::uint8_t, 32> out{};
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
  const int rc = mbedtls_sha256(in, data.size(), out.data(), 0);
#else
  const int rc = mbedtls_sha256_ret(in, data.size(), out.data(), 0);
#endif
  if (rc != 0) throw std::runtime_error("SHA-256 failed");
  return out;
}

std::string base64url(std::span<const std::uint8_t> bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  std::size_t written = 0;
  if (mbedtls_base64_encode(reinterpret_cast<unsigned char*>(out.data()), out.size(), &written,
                            bytes.data(), bytes.size()) != 0) {
    throw std::runtime_error("base64 encoding failed");
  }
  out.resize(written);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  if (a.size() != b.size()) return false;
  volatile std::uint8_t diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff = static_cast<std::uint8_t>(diff | (a[i] ^ b[i]));
  return diff == 0;
}

}  // namespace tl::server::http
