#!/usr/bin/env bash
# Time ratios that hold on a shared machine: for every rule set, evpattern, the quamina crate and
# the serde_json floor are run in turn (examples/profile_match.rs, ROUNDS rounds of
# SECONDS_PER_ROUND each, A B C A B C ...), and each one's best round is kept. A round that another process slowed down
# is not the best one, and the three are measured within seconds of each other, so their ratios
# move far less than those of rates measured minutes apart.
#
#   tools/ratios.sh > target/ratios.md   # ROUNDS=8 SECONDS_PER_ROUND=0.3 by default (about 5 min)
#   tools/ratios.sh saasus-object          # only the sets of a data set (or: DATASET SET)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-8}"
seconds="${SECONDS_PER_ROUND:-0.3}"
cargo build --release --quiet --example profile_match --example gen_events
bin=target/release/examples
rate() {
  "$bin/profile_match" "$1" "$2" "$3" "$seconds" 2>/dev/null | sed -n 's/.*: \([0-9]*\) events\/s.*/\1/p'
}
echo "Best of $rounds alternated rounds of $seconds s each; events per second. trusted is"
echo "evpattern with Matcher::set_trusted_input(true); q+v is quamina followed by serde_json's"
echo "validation of the same event (the peer with the default mode's guarantee)."
echo
echo "| data set | category | evpattern | trusted | quamina | q+v | floor | evpattern ÷ quamina | evpattern ÷ q+v | trusted ÷ quamina | evpattern time ÷ floor time |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
"$bin/gen_events" list | grep -E "^${1:-[^ ]+} ${2:-[^ ]+} " | while read -r dataset set _; do
  best_e=0 best_t=0 best_q=0 best_v=0 best_f=0
  for _ in $(seq "$rounds"); do
    e=$(rate "$dataset" "$set" evpattern); t=$(rate "$dataset" "$set" evpattern-trusted)
    q=$(rate "$dataset" "$set" quamina || true); v=$(rate "$dataset" "$set" quamina+validation || true)
    f=$(rate "$dataset" "$set" floor)
    [ "${e:-0}" -gt "$best_e" ] && best_e=$e
    [ "${t:-0}" -gt "$best_t" ] && best_t=$t
    [ "${q:-0}" -gt "$best_q" ] && best_q=$q
    [ "${v:-0}" -gt "$best_v" ] && best_v=$v
    [ "${f:-0}" -gt "$best_f" ] && best_f=$f
  done
  awk -v d="$dataset" -v s="$set" -v e="$best_e" -v t="$best_t" -v q="$best_q" -v v="$best_v" -v f="$best_f" '
  function k(x) { return x > 0 ? sprintf("%.0f k", x / 1e3) : "unsupported" }
  function r(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f×", a / b) : "–" }
  BEGIN {
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f |\n", d, s, k(e), k(t), k(q), k(v), k(f),
      r(e, q), r(e, v), r(t, q), f / e
  }'
done
