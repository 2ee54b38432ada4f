#!/usr/bin/env bash
# Interrupts chapter runs at random moments and checks what is left on disk.
#
#   scripts/kill-loop.sh [--interrupts N] [--pairs M] [--seed S] [--debug]
#
# For several chapters, two configurations each (different --eta, so the pages and figures
# differ but the file names do not) are first run to the end into reference folders. Then a
# target folder per chapter starts with one complete set, and N times (default 150) a run
# with either configuration is started into it and sent SIGINT or SIGTERM: a third after a
# delay uniform over the run's length, a third after a delay in its last fifth, and a third
# as soon as the first new file appears in the run's staging folder (polled without
# forking), so that many signals land while the page and figures are being written. After
# every interrupt the target must hold exactly one of the two
# complete reference sets, byte for byte, and neither it nor its parent folder may hold a
# hidden (temporary) entry. Then M times (default 20) two runs with different
# configurations are started into one folder at once: each must finish or be refused, and
# the folder must end with one complete set.
#
# Runs with OPTIMBOOK_MASK_VOLATILE=1, so equal configurations give equal bytes. Uses the
# release build (--debug: the debug build). Exit status 0 when every check held.
set -euo pipefail
cd "$(dirname "$0")/.."
interrupts=150 pairs=20 seed=18 configuration=release
while [ $# -gt 0 ]; do
  case "$1" in
    --interrupts) interrupts=$2; shift ;;
    --pairs) pairs=$2; shift ;;
    --seed) seed=$2; shift ;;
    --debug) configuration=debug ;;
    *) echo "usage: scripts/kill-loop.sh [--interrupts N] [--pairs M] [--seed S] [--debug]" >&2; exit 2 ;;
  esac
  shift
done
RANDOM=$seed

swift build -c "$configuration" >/dev/null
bin=$(swift build -c "$configuration" --show-bin-path)
work=$(mktemp -d "${TMPDIR:-/tmp}/optimbook-kill-loop.XXXXXX")
trap 'rm -rf "$work"' EXIT
export OPTIMBOOK_MASK_VOLATILE=1 NO_COLOR=1

chapters=(Ch11_3_GradientDescent Ch11_6_Momentum Ch11_7_Adagrad Ch11_10_Adam)
config_a=("--eta 0.1" "--eta 0.3 --beta 0.5" "--eta 0.4" "--eta 0.3")
config_b=("--eta 0.3" "--eta 0.2 --beta 0.9" "--eta 2" "--eta 0.05")

now_ms() {
  if [ -n "${EPOCHREALTIME:-}" ]; then local t=${EPOCHREALTIME/[.,]/}; echo $(( t / 1000 )); else echo $(( $(date +%s) * 1000 )); fi
}

# manifest DIR: one line per file, "name checksum", sorted.
manifest() {
  ( cd "$1" && for f in $(ls -A | sort); do printf '%s %s\n' "$f" "$(cksum < "$f")"; done )
}

hidden_entries() { ls -A "$1" 2>/dev/null | grep '^\.' || true; }

declare -a duration_ms
for i in "${!chapters[@]}"; do
  c=${chapters[$i]}
  start=$(now_ms)
  # shellcheck disable=SC2086
  "$bin/$c" --output "$work/ref/$c/a" ${config_a[$i]} >/dev/null
  duration_ms[$i]=$(( $(now_ms) - start ))
  # shellcheck disable=SC2086
  "$bin/$c" --output "$work/ref/$c/b" ${config_b[$i]} >/dev/null
  manifest "$work/ref/$c/a" > "$work/ref/$c/a.manifest"
  manifest "$work/ref/$c/b" > "$work/ref/$c/b.manifest"
  cmp -s "$work/ref/$c/a.manifest" "$work/ref/$c/b.manifest" && { echo "$c: the two configurations give the same files" >&2; exit 1; }
  mkdir -p "$work/out"
  cp -R "$work/ref/$c/a" "$work/out/$c"
  echo "$c: a full run takes ${duration_ms[$i]} ms"
done

# check CHAPTER LABEL: the target holds one complete reference set and nothing hidden.
violations=0
check() {
  local c=$1 label=$2 m
  m=$(manifest "$work/out/$c")
  if [ "$m" != "$(cat "$work/ref/$c/a.manifest")" ] && [ "$m" != "$(cat "$work/ref/$c/b.manifest")" ]; then
    echo "VIOLATION ($label): $c holds neither complete set:" >&2
    diff <(echo "$m") "$work/ref/$c/a.manifest" >&2 || true
    violations=$((violations + 1))
  fi
  local hidden
  hidden=$( (hidden_entries "$work/out"; hidden_entries "$work/out/$c") | tr '\n' ' ')
  if [ -n "$hidden" ]; then
    echo "VIOLATION ($label): temporary entries left: $hidden" >&2
    violations=$((violations + 1))
  fi
}

killed=0 finished=0 other=0 sigint=0 sigterm=0 late=0 triggered=0 writing=0
for n in $(seq 1 "$interrupts"); do
  i=$(( RANDOM % ${#chapters[@]} ))
  c=${chapters[$i]}
  if [ $(( RANDOM % 2 )) = 0 ]; then args=${config_a[$i]}; else args=${config_b[$i]}; fi
  if [ $(( RANDOM % 2 )) = 0 ]; then signal=INT; sigint=$((sigint + 1)); else signal=TERM; sigterm=$((sigterm + 1)); fi
  d=${duration_ms[$i]}
  # shellcheck disable=SC2086
  "$bin/$c" --output "$work/out/$c" $args >/dev/null 2>"$work/stderr" &
  pid=$!
  staging="$work/out/.$c.staging-$pid"
  case $(( n % 3 )) in
    0) delay=$(( RANDOM % (d + 1) )); sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))" ;;
    1) delay=$(( d * 4 / 5 + RANDOM % (d / 4 + 1) )); late=$((late + 1))
       sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))" ;;
    2) delay="first file"; triggered=$((triggered + 1))
       # Busy-wait on a glob (no fork) until the staging folder holds a file or the run ends.
       while kill -0 "$pid" 2>/dev/null; do
         files=("$staging"/*)
         [ -e "${files[0]}" ] && break
       done ;;
  esac
  files=("$staging"/*)
  if [ -e "${files[0]}" ]; then writing=$((writing + 1)); fi
  kill -s "$signal" "$pid" 2>/dev/null || true
  status=0
  wait "$pid" || status=$?
  case $status in
    0) finished=$((finished + 1)) ;;
    130|143) killed=$((killed + 1)) ;;
    *) other=$((other + 1)); echo "run $n ($c $args, SIG$signal): status $status: $(head -c 300 "$work/stderr")" >&2 ;;
  esac
  check "$c" "interrupt $n, SIG$signal after $delay (ms)"
done
echo "interrupts: $interrupts ($sigint SIGINT, $sigterm SIGTERM; $late aimed at the last fifth of the run, $triggered at the first new file)"
echo "  ended by the signal: $killed; finished before it: $finished; other status: $other"
echo "  signal sent while the new files were being written (staging folder not empty): $writing"

refused=0 both=0
for n in $(seq 1 "$pairs"); do
  i=$(( RANDOM % ${#chapters[@]} ))
  c=${chapters[$i]}
  # shellcheck disable=SC2086
  "$bin/$c" --output "$work/out/$c" ${config_a[$i]} >/dev/null 2>"$work/stderr-a" &
  first=$!
  # shellcheck disable=SC2086
  "$bin/$c" --output "$work/out/$c" ${config_b[$i]} >/dev/null 2>"$work/stderr-b" &
  second=$!
  sa=0; sb=0
  wait "$first" || sa=$?
  wait "$second" || sb=$?
  if [ "$sa" = 0 ] && [ "$sb" = 0 ]; then both=$((both + 1))
  elif { [ "$sa" = 1 ] && grep -q "another run is writing" "$work/stderr-a"; } || { [ "$sb" = 1 ] && grep -q "another run is writing" "$work/stderr-b"; }; then refused=$((refused + 1))
  else echo "pair $n ($c): statuses $sa and $sb" >&2; violations=$((violations + 1)); fi
  check "$c" "pair $n"
done
echo "concurrent pairs: $pairs ($refused with one run refused, $both with both finishing one after the other)"
echo "violations: $violations"
[ "$violations" = 0 ]
