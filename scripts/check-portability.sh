#!/usr/bin/env bash
# Checks that results do not depend on the CPU the kernels are compiled for: builds OptimKit
# for an AVX2-only CPU (default haswell: 256-bit vectors, no AVX-512 define) in a scratch
# directory, confirms that no 512-bit instruction made it into the kernels, and runs the
# golden tests (every chapter's transcript, page and figures) plus the LeNet and kernel
# tests against the goldens recorded on the development machine (AVX-512).
#
#   scripts/check-portability.sh               # haswell, scratch in $TMPDIR/optimbook-portability
#   scripts/check-portability.sh x86-64-v2     # any -target-cpu name (SSE4.2 only, say)
#   SCRATCH=/some/dir scripts/check-portability.sh
#
# Package.swift reads OPTIMKIT_TARGET_CPU and then compiles OptimKit with `-target-cpu <cpu>`
# and without -DOPTIMKIT_AVX512, whatever the building machine has. The goldens are never
# re-recorded here (OPTIMBOOK_RECORD is cleared). Exit status 0 when every test passes.
set -euo pipefail
cd "$(dirname "$0")/.."
cpu=${1:-haswell}
scratch=${SCRATCH:-${TMPDIR:-/tmp}/optimbook-portability-$cpu}
export OPTIMKIT_TARGET_CPU=$cpu
unset OPTIMBOOK_RECORD

echo "== building for -target-cpu $cpu in $scratch"
swift build --build-tests --scratch-path "$scratch"

# The flags really used, and no AVX-512 register in the kernels' object code (OptimKernels is
# the only target with CPU flags).
description=$(ls "$scratch"/debug.yaml 2>/dev/null || true)
if [ -n "$description" ]; then
  grep -q -- "-target-cpu\",\"$cpu\"\|-target-cpu $cpu" "$description" \
    || { echo "OptimKit was not compiled with -target-cpu $cpu" >&2; exit 1; }
  if grep -q -- "-DOPTIMKIT_AVX512" "$description"; then
    echo "OptimKit was compiled with -DOPTIMKIT_AVX512" >&2; exit 1
  fi
fi
objects=$(find "$scratch"/debug/OptimKernels.build -name '*.o')
if command -v objdump > /dev/null; then
  zmm=$(for o in $objects; do objdump -d --no-show-raw-insn "$o"; done | grep -c '%zmm' || true)
  echo "== 512-bit (zmm) instructions in OptimKernels: $zmm"
  [ "$zmm" = 0 ] || { echo "the $cpu build still uses AVX-512" >&2; exit 1; }
fi

echo "== golden and kernel tests"
swift test --skip-build --scratch-path "$scratch" \
  --filter 'ChapterTests|LeNetTests|DirectConvolutionTests|MaxPoolWindowsTests|GEMMTests|LayerGradientTests'
echo "== portable: the $cpu build reproduces the goldens"
