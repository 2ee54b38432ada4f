#!/usr/bin/env bash
# Runs every chapter executable twice from a release build and compares what they print
# and write, byte for byte. Timings are masked with OPTIMBOOK_MASK_VOLATILE=1 (the same
# masking as the golden tests), so any difference is real nondeterminism.
#
#   scripts/check-determinism.sh            # release build, two runs each
#   scripts/check-determinism.sh --debug    # also one debug run, compared with release
#   scripts/check-determinism.sh --quick    # chapters with --epochs train for 2 epochs
#
# Options combine (`--quick --debug`). The default run of 11.11 trains LeNet for minutes;
# --quick keeps the whole check to seconds after the build.
#
# Exit status 0 when all runs agree; 1 with a diff otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
with_debug=0 quick=0
for option in "$@"; do
  case "$option" in
    --debug) with_debug=1 ;;
    --quick) quick=1 ;;
    *) echo "usage: scripts/check-determinism.sh [--quick] [--debug]" >&2; exit 2 ;;
  esac
done

chapters=$(ls -d Chapters/Ch11_*/ 2>/dev/null | xargs -n1 basename | sort -V)
[ -n "$chapters" ] || { echo "no chapters found under Chapters/" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/optimbook-determinism.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run <configuration> <label>: every chapter into $work/<label>/<chapter>/ plus its stdout.
run() {
  local bin=$1 label=$2
  mkdir -p "$work/scratch"
  for chapter in $chapters; do
    local extra=()
    if [ "$quick" = 1 ] && "$bin/$chapter" --help | grep -q -- '--epochs N'; then extra=(--epochs 2); fi
    # Same relative output path in every run, so the printed file names agree too.
    ( cd "$work/scratch" && OPTIMBOOK_MASK_VOLATILE=1 NO_COLOR=1 COLUMNS=100 \
        "$bin/$chapter" --output "out/$chapter" "${extra[@]}" > "out-$chapter.stdout" ) \
      || { echo "$chapter failed in the $label run" >&2; exit 1; }
  done
  mkdir -p "$work/$label"
  mv "$work/scratch"/* "$work/$label/"
  rmdir "$work/scratch"
}

start=$(date +%s)
swift build -c release
release_bin=$(swift build -c release --show-bin-path)
run "$release_bin" release-1
run "$release_bin" release-2
status=0
diff -r "$work/release-1" "$work/release-2" || { echo "release runs differ" >&2; status=1; }
if [ "$with_debug" = 1 ]; then
  swift build
  run "$(swift build --show-bin-path)" debug
  diff -r "$work/release-1" "$work/debug" || { echo "debug and release differ" >&2; status=1; }
fi
files=$(find "$work/release-1" -type f | wc -l)
echo "determinism: $(echo $chapters | wc -w) chapters, $files files compared, $(( $(date +%s) - start )) s: $([ $status = 0 ] && echo identical || echo DIFFERENT)"
exit $status
