#!/usr/bin/env bash
# Instructions per event for every rule set and matcher, counted by callgrind over one batch of
# 1,000 events (examples/profile_match.rs, counting only inside run_batch / run_floor). Unlike
# time, the count does not depend on what else the machine is running, so it compares the
# matchers reliably on a shared machine; it is not a time (cache misses and branch
# mispredictions are not in it).
#
#   tools/instructions.sh > target/instructions.md
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example profile_match --example gen_events
bin=target/release/examples
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    --toggle-collect='*run_batch*' --toggle-collect='*run_floor*' \
    "$bin/profile_match" "$1" "$2" "$3" 0 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([1-9][0-9]*\).*/\1/p'
}
# An empty count: the matcher refused the rules (quamina lacks some operators).
per_event() { [ -n "$1" ] && echo $(( $1 / 1000 )) || echo "unsupported"; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo "–"; }

echo "| data set | category | evpattern | trusted | quamina | quamina+validation | floor | quamina ÷ evpattern | quamina+validation ÷ evpattern | quamina ÷ trusted | evpattern ÷ floor |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
"$bin/gen_events" list | while read -r dataset set _; do
  ev=$(count "$dataset" "$set" evpattern || true)
  tr=$(count "$dataset" "$set" evpattern-trusted || true)
  q=$(count "$dataset" "$set" quamina || true)
  qv=$(count "$dataset" "$set" quamina+validation || true)
  fl=$(count "$dataset" "$set" floor || true)
  echo "| $dataset | $set | $(per_event "$ev") | $(per_event "$tr") | $(per_event "$q") | $(per_event "$qv") | $(per_event "$fl") | $(ratio "$q" "$ev") | $(ratio "$qv" "$ev") | $(ratio "$q" "$tr") | $(ratio "$ev" "$fl") |"
done
