#ifndef OPTIM_PREFETCH_H
#define OPTIM_PREFETCH_H
// A cache prefetch for the GEMM macro-kernels, which Swift cannot express: asks for the
// line holding `address` ahead of a write (rw = 1) and keeps it in every cache level
// (locality 3). A prefetch is a hint: it never faults, even past the end of an array, and
// changes no value. Header-only, so the Swift optimiser inlines it into the kernels.
static inline void optimkit_prefetch_for_write(const void *address) { __builtin_prefetch(address, 1, 3); }
#endif
