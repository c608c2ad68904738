/* Output and exit through ARM semihosting, without newlib's stdio (whose printf links malloc).
 * QEMU is started with -semihosting-config enable=on,target=native. */
#ifndef TL_SEMIHOST_H
#define TL_SEMIHOST_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
void sh_puts(const char *s);                       /* writes s as is (no newline added) */
void sh_put_u64(uint64_t v);                       /* decimal */
void sh_put_i64(int64_t v);                        /* decimal, with '-' */
void sh_put_hex(const uint8_t *data, uint32_t n);  /* lowercase hex, no separators */
void sh_figure(const char *name, uint64_t value, const char *unit); /* "name: value unit\n" */
void sh_exit(int code) __attribute__((noreturn));
#ifdef __cplusplus
}
#endif
#endif
