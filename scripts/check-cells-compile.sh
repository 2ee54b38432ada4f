#!/usr/bin/env bash
# Type-checks every ```swift block of the given chapters' Output/ pages the way a student would
# paste it: against the package's public modules only (no @testable), each statement block in
# its own throwing function with `nb: Notebook`, `ctx: ChapterContext` and `data: AirfoilData` (the
# airfoil data that 11.5's `let data = try AirfoilData.load()` cell reads) in scope, declaration
# blocks (helpers shown as cells: a doc comment, struct, func, enum) at the top level. A block that
# starts with `public` is a library excerpt (e.g. `AdaGrad.update`, a member of its type that uses
# the module's internals): it cannot be pasted on its own, is compiled where it stands, and is
# counted and skipped here.
# Uses the debug build's modules: run `swift build` first.
# Usage: scripts/check-cells-compile.sh Ch11_1_OptimizationAndDeepLearning [Ch11_…]
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: $0 Ch11_… [Ch11_…]" >&2; exit 2; }
modules="$(swift build --show-bin-path)/Modules"
[ -d "$modules" ] || { echo "no $modules: run swift build first" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
file="$scratch/Student.swift"
printf 'import %s\n' OptimKit OptimKernels OptimData OptimTraining OptimPlot OptimNotebook OptimBook Foundation > "$file"
for chapter in "$@"; do
  page="Output/$chapter/README.md"
  [ -f "$page" ] || { echo "no $page" >&2; exit 1; }
  awk -v chapter="$chapter" '
    # Pass 1: the library cells of the generated table (blocks under a "// from Sources/" line).
    FNR == NR {
      if ($0 ~ /^        \/\/ from Sources\//) { fromLibrary = 1; next }
      if ($0 ~ /^        \/\/ from /) { fromLibrary = 0; next }
      if (fromLibrary && !inCell && $0 ~ /^        "[^"]+": #+"""$/) { inCell = 1; text = ""; next }
      if (inCell && $0 ~ /^        """#+,?$/) { inCell = 0; library[text] = 1; next }
      if (inCell) { line = $0; sub(/^        /, "", line); text = text (text == "" ? "" : "\n") line }
      next
    }
    /^```swift$/ { inside = 1; n++; block = ""; next }
    inside && /^```$/ {
      inside = 0
      if (block in library) { printf "// %s block %d: library excerpt, compiled in its module\n\n", chapter, n; next }
      first = block; sub(/^(\/\/\/[^\n]*\n)*/, "", first)
      if (first ~ /^public /) {
        printf "// %s block %d: library excerpt, compiled in its module\n\n", chapter, n
      } else if (block ~ /^\/\/\// || first ~ /^(struct|func|enum|final class) /) {
        printf "// %s block %d\n%s\n\n", chapter, n, block
      } else {
        printf "// %s block %d\nfunc cell_%s_%d(nb: Notebook, ctx: ChapterContext, data: AirfoilData) throws {\n%s\n}\n\n", chapter, n, chapter, n, block
      }
      next
    }
    inside { block = block (block == "" ? "" : "\n") $0 }
  ' Chapters/Generated/Cells.swift "$page" >> "$file"
done
blocks=$(grep -c '^// Ch11_' "$file" || true)
excerpts=$(grep -c 'library excerpt, compiled in its module$' "$file" || true)
if swiftc -typecheck -swift-version 6 -suppress-warnings -I "$modules" "$file"; then
  echo "all $((blocks - excerpts)) code blocks of $* type-check against the public API ($excerpts library excerpts skipped)"
else
  echo "some code blocks do not compile as a student would paste them (source: $file)" >&2
  trap - EXIT
  exit 1
fi
