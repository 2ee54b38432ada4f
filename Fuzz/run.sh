#!/usr/bin/env bash
# Builds one libFuzzer target from a few OptimKit sources and runs it.
#
#   Fuzz/run.sh <airfoil|arguments|idx> [seconds] [extra libFuzzer flags…]
#
# Linux only: needs the Swift toolchain's libFuzzer (`swiftc -sanitize=fuzzer`). Built with
# AddressSanitizer and optimisation, outside SwiftPM. The working corpus lives in
# .build/fuzz/<target>/corpus (not in git); crashes are written to .build/fuzz/<target>/.
# A crash makes the script exit non-zero: minimise it (`-minimize_crash=1`), copy it to
# Tests/OptimKitTests/Regressions/<target>-<name>.bin and add a test that loads it.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: Fuzz/run.sh <airfoil|arguments|idx> [seconds] [libFuzzer flags]}
seconds=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))

src=Sources/OptimKit
case "$target" in
  airfoil)   files=("$src/Data/AirfoilData.swift" "$src/Data/AirfoilDataError.swift" "$src/Hashing/SHA1.swift"
                    "$src/IO/BoundedFile.swift" "$src/IO/SystemError.swift" "$src/Data/DataLimits.swift") ;;
  arguments) files=("$src"/CLI/*.swift "$src"/Notebook/*.swift "$src"/IO/*.swift "$src/Random/SeededGenerator.swift"
                    "$src"/Objectives/*.swift "$src/LinearAlgebra/SymmetricEigenvalues.swift" "$src/Data/DataLimits.swift") ;;
  idx)       files=("$src"/Data/IDX.swift "$src"/Data/IDXError.swift "$src"/Data/IDXCheckedRead.swift "$src"/Data/DataLimits.swift
                    "$src"/Data/ImageDataset.swift "$src"/Random/SeededGenerator.swift "$src"/Compression/*.swift
                    "$src/IO/BoundedFile.swift" "$src/IO/SystemError.swift") ;;
  *) echo "unknown fuzz target '$target' (airfoil, arguments, idx)" >&2; exit 2 ;;
esac
entry="Fuzz/Fuzz$(tr '[:lower:]' '[:upper:]' <<< "${target:0:1}")${target:1}.swift"

work=.build/fuzz/$target
mkdir -p "$work/corpus"
# Hand-written seeds and every earlier crash start the corpus.
for seeds in "Fuzz/Seeds/$target" "Fuzz/Crashes/$target"; do
  if [ -d "$seeds" ]; then cp -n "$seeds"/* "$work/corpus/" 2>/dev/null || true; fi
done

binary="$work/fuzz-$target"
echo "building $binary"
swiftc -O -swift-version 6 -parse-as-library -sanitize=fuzzer,address \
  -module-name OptimKit "${files[@]}" Fuzz/BundleShim.swift "$entry" -o "$binary" 2> "$work/build.log" \
  || { cat "$work/build.log" >&2; exit 1; }

export SWIFT_BACKTRACE=enable=no   # libFuzzer prints its own report
echo "running $target for $seconds s"
exec "$binary" "$work/corpus" -max_total_time="$seconds" -artifact_prefix="$work/" -print_final_stats=1 "$@"
