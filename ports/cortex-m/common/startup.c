/* Reset handler for QEMU mps2-an386 (Cortex-M4F) with the memory map of shared/cortex-m/link.ld.
 * Unlike the harness's example start-up it does not call newlib's exit() or stdio set-up, so a
 * firmware image links nothing it does not use itself. */
#include <stdint.h>

#include "semihost.h"

extern uint32_t _etext, _sdata, _edata, _sbss, _ebss, __StackTop;
extern int main(void);

void Reset_Handler(void) {
  uint32_t *src = &_etext;
  uint32_t *dst = &_sdata;
  while (dst < &_edata) *dst++ = *src++;
  for (dst = &_sbss; dst < &_ebss;) *dst++ = 0;
  *(volatile uint32_t *)0xE000ED88 |= (0xFu << 20); /* CPACR: enable the FPU */
  __asm volatile("dsb; isb");
  sh_exit(main());
}

void Default_Handler(void) {
  sh_puts("fault\n");
  sh_exit(3);
}

__attribute__((section(".vectors"), used)) const void *const tl_vectors[16] = {
    &__StackTop, (const void *)Reset_Handler, (const void *)Default_Handler,
    (const void *)Default_Handler, (const void *)Default_Handler, (const void *)Default_Handler,
    (const void *)Default_Handler};
