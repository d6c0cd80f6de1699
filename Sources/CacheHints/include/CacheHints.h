// Cache hints for the matrix kernel (GEMM.swift), which Swift has no
// spelling for: clang's `__builtin_prefetch`, one instruction (PREFETCHT0
// on x86-64, PRFM on ARM), inlined into the Swift code that calls it.
#ifndef CACHE_HINTS_H
#define CACHE_HINTS_H

/// Asks the CPU to bring the cache line holding `address` into L1 without
/// waiting for it: the instruction retires at once, where a load that
/// misses holds up every instruction after it.
static inline void prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
