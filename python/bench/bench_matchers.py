"""evpattern's Python package against the Python engines of LocalStack and moto, on the same
SaaSus events and rules, after checking that the answers agree.

    python bench_matchers.py EVENTS.ndjson RULES.json [--peer-events N] [--rounds R]

EVENTS.ndjson: one event a line (examples/gen_events.rs, `events saasus-string 100000`).
RULES.json: one JSON object {name: pattern} (`rules saasus-string SAASUS_MIXED_20`).
Prints a Markdown table (BENCHMARKS.md) and, per peer, the rules on which its answers differ.
Wall-clock times, best of R rounds, one thread; the machine may be shared, see BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import sys
import time
from typing import Callable

import evpattern


def best_of(rounds: int, run: Callable[[], list[list[str]]]) -> tuple[float, list[list[str]]]:
    best, answers = float("inf"), []
    for _ in range(rounds):
        # The previous round's answers are freed first, so that no round pays for growing
        # the heap while another round's 100,000 lists are still alive.
        answers = []
        gc.collect()
        start = time.perf_counter()
        answers = run()
        best = min(best, time.perf_counter() - start)
    return best, answers


def evpattern_engines(rules: dict[str, str], texts: list[str], dicts: list[dict]):
    matcher = evpattern.Matcher()
    for name, pattern in rules.items():
        matcher.add(name, pattern)
    yield "evpattern `Matcher.matches_many` (str events)", texts, lambda: matcher.matches_many(texts)
    yield "evpattern `Matcher.matches_many` (dict events)", dicts, lambda: matcher.matches_many(dicts)
    yield ("evpattern `Matcher.matches` per event (str)", texts,
           lambda: [matcher.matches(e) for e in texts])


def localstack_engines(rules: dict[str, str], texts: list[str], dicts: list[dict]):
    try:
        from localstack.services.events.event_rule_engine import EventPatternCompiler, EventRuleEngine
        from localstack.utils.event_matcher import matches_event
    except ImportError as error:
        print(f"localstack-core is not installed: {error}", file=sys.stderr)
        return
    items = list(rules.items())

    def per_call():
        # What LocalStack's EventBridge provider does: matches_event(pattern str, event str)
        # for each rule, compiling the pattern on every call.
        return [[name for name, p in items if matches_event(p, e)] for e in texts]

    compiler, engine = EventPatternCompiler(), EventRuleEngine()
    compiled = [(name, compiler.compile_event_pattern(p)) for name, p in items]

    def precompiled():
        # LocalStack's engine at its best: patterns compiled once, events already dicts.
        return [[name for name, c in compiled if engine.evaluate_pattern_on_event(c, e)] for e in dicts]

    yield "LocalStack `matches_event(str, str)`", texts, per_call
    yield "LocalStack engine, patterns compiled once, dict events", dicts, precompiled


def moto_engines(rules: dict[str, str], texts: list[str], dicts: list[dict]):
    try:
        from moto.events.models import EventPattern
    except ImportError as error:
        print(f"moto is not installed: {error}", file=sys.stderr)
        return
    loaded = [(name, EventPattern.load(p)) for name, p in rules.items()]

    def run():
        # What moto's Rule does: EventPattern.load once, matches_event(event dict) per event.
        return [[name for name, p in loaded if p.matches_event(e)] for e in dicts]

    yield "moto `EventPattern.matches_event(dict)`", dicts, run


def differences(names: list[str], reference: list[list[str]], answers: list[list[str]]) -> dict[str, int]:
    """Per rule, on how many events the answer differs from evpattern's."""
    out = {}
    for name in names:
        wrong = sum((name in a) != (name in r) for a, r in zip(answers, reference))
        if wrong:
            out[name] = wrong
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("events")
    parser.add_argument("rules")
    parser.add_argument("--peer-events", type=int, default=0,
                        help="match the peers on only the first N events (0: all)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds for evpattern (best kept)")
    parser.add_argument("--peer-rounds", type=int, default=1)
    args = parser.parse_args()

    with open(args.events, encoding="utf-8") as f:
        texts = [line for line in f.read().splitlines() if line.strip()]
    with open(args.rules, encoding="utf-8") as f:
        rules = {name: json.dumps(pattern) for name, pattern in json.load(f).items()}
    dicts = [json.loads(t) for t in texts]
    names = list(rules)
    peer_n = args.peer_events or len(texts)

    print(f"python {platform.python_version()}, {len(texts)} events, {len(rules)} rules, "
          f"peers on {peer_n} events", file=sys.stderr)
    rows = []
    reference = None
    for label, events, run in evpattern_engines(rules, texts, dicts):
        seconds, answers = best_of(args.rounds, run)
        if reference is None:
            reference = answers
        assert answers == reference, f"{label} differs from matches_many on str"
        rows.append((label, len(events), seconds, {}))
        print(f"{label}: {seconds:.3f} s", file=sys.stderr)
    assert reference is not None
    matched = sum(bool(a) for a in reference)
    print(f"evpattern: {matched} of {len(texts)} events match some rule, "
          f"{sum(len(a) for a in reference)} matches", file=sys.stderr)

    for engines in (localstack_engines, moto_engines):
        for label, events, run in engines(rules, texts[:peer_n], dicts[:peer_n]):
            seconds, answers = best_of(args.peer_rounds, run)
            diff = differences(names, reference[:peer_n], answers)
            rows.append((label, len(events), seconds, diff))
            print(f"{label}: {seconds:.3f} s, differs on {diff or 'no rule'}", file=sys.stderr)

    base_rate = rows[0][1] / rows[0][2]
    print("| engine | events | seconds | events/s | evpattern `matches_many` (str) is faster by | rules with identical answers |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, n, seconds, diff in rows:
        rate = n / seconds
        print(f"| {label} | {n} | {seconds:.3f} | {rate:,.0f} | {base_rate / rate:.1f}x | "
              f"{len(names) - len(diff)}/{len(names)} |")
    for label, _, _, diff in rows:
        for name, wrong in diff.items():
            print(f"- {label} differs from evpattern on `{name}` ({rules[name]}): {wrong} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
