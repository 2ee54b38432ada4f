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

src=Sources
case "$target" in
  airfoil)   files=("$src/OptimData/Data/AirfoilData.swift" "$src/OptimData/Data/AirfoilDataError.swift" "$src/OptimData/Hashing/SHA1.swift"
                    "$src"/OptimIO/*.swift "$src/OptimData/Data/DataLimits.swift") ;;
  arguments) files=("$src"/OptimBook/CLI/*.swift "$src"/OptimNotebook/Notebook/*.swift "$src"/OptimNotebook/IO/*.swift "$src"/OptimIO/*.swift
                    "$src/OptimPlot/Plot/SVGRenderable.swift" "$src"/OptimKit/Objectives/*.swift "$src"/OptimKit/Random/*.swift
                    "$src"/OptimKit/LinearAlgebra/*.swift "$src/OptimData/Data/DataLimits.swift") ;;
  idx)       files=("$src"/OptimData/Data/IDX.swift "$src"/OptimData/Data/IDXError.swift "$src"/OptimData/Data/IDXCheckedRead.swift
                    "$src"/OptimData/Data/DataLimits.swift "$src"/OptimData/Data/ImageDataset.swift
                    "$src"/OptimKit/Random/SeededGenerator.swift "$src"/OptimData/Compression/*.swift "$src"/OptimIO/*.swift) ;;
  *) echo "unknown fuzz target '$target' (airfoil, arguments, idx)" >&2; exit 2 ;;
esac
entry="Fuzz/Fuzz$(tr '[:lower:]' '[:upper:]' <<< "${target:0:1}")${target:1}.swift"

work=.build/fuzz/$target
mkdir -p "$work/corpus"
# Hand-written seeds and every earlier crash start the corpus.
for seeds in "Fuzz/Seeds/$target" "Fuzz/Crashes/$target"; do
  if [ -d "$seeds" ]; then cp -n "$seeds"/* "$work/corpus/" 2>/dev/null || true; fi
done

# The sources span several SwiftPM targets; the fuzz build compiles them as one module, so
# copies without the imports of the package's own modules go into the build folder.
rm -rf "$work/src" && mkdir -p "$work/src"
copies=()
for f in "${files[@]}"; do
  copy="$work/src/$(echo "$f" | tr / _)"
  sed '/^import Optim/d; /^@testable import Optim/d' "$f" > "$copy"
  copies+=("$copy")
done
files=("${copies[@]}")

binary="$work/fuzz-$target"
echo "building $binary"
swiftc -O -swift-version 6 -parse-as-library -sanitize=fuzzer,address \
  -module-name OptimKit "${files[@]}" Fuzz/BundleShim.swift "$entry" -o "$binary" 2> "$work/build.log" \
  || { cat "$work/build.log" >&2; exit 1; }

export SWIFT_BACKTRACE=enable=no   # libFuzzer prints its own report
echo "running $target for $seconds s"
exec "$binary" "$work/corpus" -max_total_time="$seconds" -artifact_prefix="$work/" -print_final_stats=1 "$@"
