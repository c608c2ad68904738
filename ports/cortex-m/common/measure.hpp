// Instruction counting for firmware benchmarks under QEMU -icount shift=0 (see shared/cortex-m).
#pragma once
#include <cstdint>

extern "C" {
#include "cycles.h"
}

namespace tl::cortexm {

// Instructions per call of `fn`, averaged over `reps` calls (a timer tick is 40 instructions, so
// many repetitions are needed). The loop overhead is measured with an empty body and subtracted.
template <class Fn>
uint64_t instructions_per_call(uint32_t reps, Fn&& fn) {
  cm_counter_start();
  uint32_t t0 = cm_ticks();
  for (uint32_t i = 0; i < reps; ++i) {
    __asm volatile("" ::: "memory");
  }
  uint32_t t1 = cm_ticks();
  for (uint32_t i = 0; i < reps; ++i) {
    fn();
    __asm volatile("" ::: "memory");
  }
  uint32_t t2 = cm_ticks();
  uint64_t empty = cm_instructions(t0, t1);
  uint64_t full = cm_instructions(t1, t2);
  return full > empty ? (full - empty + reps / 2) / reps : 0;
}

}  // namespace tl::cortexm
