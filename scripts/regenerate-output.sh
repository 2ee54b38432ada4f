#!/usr/bin/env bash
# Regenerates every chapter's page and figures in Output/ (release build, default seeds).
# Usage: scripts/regenerate-output.sh [Ch11_…]   (no argument: every chapter)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release
chapters=("$@")
if [ ${#chapters[@]} -eq 0 ]; then
  for d in Chapters/*/main.swift; do chapters+=("$(basename "$(dirname "$d")")"); done
fi
bin=$(swift build -c release --show-bin-path)
for c in "${chapters[@]}"; do
  echo "== $c"
  NO_COLOR=1 "$bin/$c" > /dev/null
done
echo "Output/ regenerated for ${#chapters[@]} chapter(s)."
