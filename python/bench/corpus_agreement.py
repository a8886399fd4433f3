"""How many of the AWS-recorded answers (tests/data/aws-recorded/cases.jsonl: LocalStack's
event-pattern templates with the snapshot of AWS's answers) each Python engine reproduces:
evpattern's `test_event_pattern` and its LocalStack adapter, LocalStack's own
`matches_event`, and moto's `EventPattern`.

    python corpus_agreement.py [CASES.jsonl]

An answer agrees when the outcome does (match, no match, invalid pattern); for evpattern the
error message must also be AWS's (except the three JSON-syntax cases, whose AWS wording quotes
its Java parser). The three cases AWS refuses for the event's missing fields
(ValidationException) are TestEventPattern's request checks, which the emulators' matchers do
not make; they count for test_event_pattern only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import evpattern
from evpattern.compat import localstack_matches_event

SYNTAX_CASES = {"invalid_json_pattern_0", "invalid_json_pattern_1", "invalid_json_pattern_2"}
DEFAULT = Path(__file__).resolve().parents[2] / "tests/data/aws-recorded/cases.jsonl"


def evpattern_outcome(case):
    try:
        return ("match" if evpattern.test_event_pattern(case["pattern"], case["event"]) else "no_match"), None
    except evpattern.InvalidEventPatternException as e:
        return "invalid_pattern", e.message
    except evpattern.ValidationException as e:
        return "invalid_event", e.message


def matcher_outcome(matches, case):
    try:
        return "match" if matches(case["pattern"], case["event"]) else "no_match"
    except Exception as e:  # each engine raises its own class; the outcome is what counts
        if "InvalidEventPattern" in type(e).__name__:
            return "invalid_pattern"
        return f"error {type(e).__name__}: {e}"


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    engines = {"evpattern `localstack_matches_event`": localstack_matches_event}
    try:
        from localstack.utils.event_matcher import matches_event
        engines["LocalStack `matches_event`"] = matches_event
    except ImportError as e:
        print(f"localstack-core not importable: {e}", file=sys.stderr)
    try:
        from moto.events.models import EventPattern

        engines["moto `EventPattern`"] = lambda p, e: EventPattern.load(p).matches_event(json.loads(e))
    except ImportError as e:
        print(f"moto not importable: {e}", file=sys.stderr)

    agree = 0
    for case in cases:
        got, message = evpattern_outcome(case)
        ok = got == case["expect"] and (message is None or case["name"] in SYNTAX_CASES or message == case["error"])
        agree += ok
        if not ok:
            print(f"  evpattern test_event_pattern: {case['name']}: expected {case['expect']}, got {got} {message}", file=sys.stderr)
    rows = [("evpattern `test_event_pattern` (outcome and message)", agree, len(cases))]
    matchable = [c for c in cases if c["expect"] != "invalid_event"]
    for label, matches in engines.items():
        agree = 0
        for case in matchable:
            got = matcher_outcome(matches, case)
            if got == case["expect"]:
                agree += 1
            else:
                print(f"  {label}: {case['name']}: expected {case['expect']}, got {got}", file=sys.stderr)
        rows.append((label + " (outcome)", agree, len(matchable)))
    print("| engine | agrees with AWS |")
    print("| --- | ---: |")
    for label, agree, total in rows:
        print(f"| {label} | {agree}/{total} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
