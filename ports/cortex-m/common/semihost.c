#include "semihost.h"

enum { SYS_WRITE0 = 0x04, SYS_EXIT_EXTENDED = 0x20 };
enum { ADP_Stopped_ApplicationExit = 0x20026 };

static uint32_t semihost_call(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void sh_puts(const char *s) { semihost_call(SYS_WRITE0, s); }

void sh_put_u64(uint64_t v) {
  char buf[21];
  int i = 20;
  buf[i] = '\0';
  do {
    buf[--i] = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0u);
  sh_puts(&buf[i]);
}

void sh_put_i64(int64_t v) {
  if (v < 0) {
    sh_puts("-");
    sh_put_u64((uint64_t)0 - (uint64_t)v);
  } else {
    sh_put_u64((uint64_t)v);
  }
}

void sh_put_hex(const uint8_t *data, uint32_t n) {
  static const char digits[] = "0123456789abcdef";
  char buf[65];
  uint32_t used = 0;
  for (uint32_t i = 0; i < n; ++i) {
    buf[used++] = digits[data[i] >> 4];
    buf[used++] = digits[data[i] & 15u];
    if (used == 64u || i + 1u == n) {
      buf[used] = '\0';
      sh_puts(buf);
      used = 0;
    }
  }
}

void sh_figure(const char *name, uint64_t value, const char *unit) {
  sh_puts(name);
  sh_puts(": ");
  sh_put_u64(value);
  sh_puts(" ");
  sh_puts(unit);
  sh_puts("\n");
}

void sh_exit(int code) {
  /* On 32-bit ARM plain SYS_EXIT carries no status; SYS_EXIT_EXTENDED takes {reason, status}
   * and QEMU turns the status into its own exit code. */
  uint32_t block[2] = {ADP_Stopped_ApplicationExit, (uint32_t)code};
  semihost_call(SYS_EXIT_EXTENDED, block);
  for (;;) {
  }
}
