#!/usr/bin/env bash
# Times `evpattern match` (one thread per CPU, and --jobs 1) against the quamina crate driven the
# same way (examples/quamina_match.rs, one thread) on generated events, after checking both print
# the same answers. Used for BENCHMARKS.md.
#
#   tools/cli-compare.sh [COUNT] [DATASET SET]...
#
# Defaults: 100000 events; the SaaSus string-form events with the 20 mixed rules, and the city
# lots with the EXACT rules. Needs hyperfine (apt-get install hyperfine) or falls back to
# /usr/bin/time -v. Work files go to target/cli-compare/.
set -euo pipefail
cd "$(dirname "$0")/.."

count="${1:-100000}"
shift || true
pairs=("$@")
if [ "${#pairs[@]}" -eq 0 ]; then
  pairs=(saasus-string SAASUS_MIXED_20 citylots EXACT)
fi

cargo build --release --quiet --bin evpattern --example quamina_match --example gen_events
bin=target/release
work=target/cli-compare
mkdir -p "$work"

for ((i = 0; i < ${#pairs[@]}; i += 2)); do
  dataset="${pairs[i]}"
  set_name="${pairs[i + 1]}"
  events="$work/$dataset-$count.ndjson"
  rules="$work/$dataset-$set_name.json"
  [ -f "$events" ] || "$bin/examples/gen_events" events "$dataset" "$count" > "$events"
  "$bin/examples/gen_events" rules "$dataset" "$set_name" > "$rules"
  echo "== $dataset / $set_name: $count events, $(wc -c < "$events") bytes, $(grep -c '' "$rules") rules"

  # Same answers first: a faster wrong program proves nothing.
  "$bin/evpattern" match --rules "$rules" --events "$events" > "$work/evpattern.out" || true
  "$bin/evpattern" match --trusted-input --rules "$rules" --events "$events" > "$work/trusted.out" || true
  cmp -s "$work/evpattern.out" "$work/trusted.out" || echo "trusted-input answers DIFFER from the default mode's"
  "$bin/examples/quamina_match" --rules "$rules" --events "$events" > "$work/quamina.out" || true
  if cmp -s "$work/evpattern.out" "$work/quamina.out"; then
    echo "outputs identical ($(grep -vc '^\[\]$' "$work/evpattern.out") events matched something)"
  else
    echo "outputs DIFFER on $(diff "$work/evpattern.out" "$work/quamina.out" | grep -c '^<') lines"
  fi

  if command -v hyperfine > /dev/null; then
    hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown "$work/$dataset-$set_name.md" \
      -n evpattern "$bin/evpattern match --rules $rules --events $events > /dev/null" \
      -n "evpattern --jobs 1" "$bin/evpattern match --jobs 1 --rules $rules --events $events > /dev/null" \
      -n "evpattern --trusted-input" "$bin/evpattern match --trusted-input --rules $rules --events $events > /dev/null" \
      -n "evpattern --trusted-input --jobs 1" "$bin/evpattern match --trusted-input --jobs 1 --rules $rules --events $events > /dev/null" \
      -n quamina_match "$bin/examples/quamina_match --rules $rules --events $events > /dev/null"
  fi
  # CPU time and peak memory of one run each (hyperfine reports wall time).
  for program in "$bin/evpattern match" "$bin/evpattern match --jobs 1" "$bin/evpattern match --trusted-input" \
    "$bin/evpattern match --trusted-input --jobs 1" "$bin/examples/quamina_match"; do
    echo "$program:"
    /usr/bin/time -v $program --rules "$rules" --events "$events" 2>&1 > /dev/null |
      grep -E 'User time|System time|Elapsed|Maximum resident' | sed 's/^\s*/  /'
  done
done
