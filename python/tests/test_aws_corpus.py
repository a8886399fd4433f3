"""The AWS-recorded corpus (tests/data/aws-recorded/cases.jsonl, 168 cases whose answers were
recorded against the real EventBridge TestEventPattern API) through the Python API: the
outcome, the exception class and AWS's message."""

import json

import pytest

import evpattern
from conftest import load_cases

# AWS's reason for JSON syntax errors quotes its Java JSON parser: only the outcome counts,
# as in tests/conformance.rs.
SYNTAX_CASES = {"invalid_json_pattern_0", "invalid_json_pattern_1", "invalid_json_pattern_2"}

CASES = load_cases()


def outcome(case):
    try:
        matched = evpattern.test_event_pattern(case["pattern"], case["event"])
    except evpattern.InvalidEventPatternException as error:
        return "invalid_pattern", error
    except evpattern.ValidationException as error:
        return "invalid_event", error
    return ("match" if matched else "no_match"), None


def test_the_corpus_is_complete(aws_cases):
    assert len(aws_cases) == 168
    kinds = {kind: sum(c["expect"] == kind for c in aws_cases) for kind in
             ("match", "no_match", "invalid_pattern", "invalid_event")}
    assert kinds == {"match": 71, "no_match": 52, "invalid_pattern": 42, "invalid_event": 3}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_recorded_case(case):
    got, error = outcome(case)
    assert got == case["expect"]
    if error is not None:
        assert isinstance(error, evpattern.EventPatternError)
        assert isinstance(error, ValueError)
        assert error.code == type(error).__name__
        assert str(error) == error.message
        if case["name"] not in SYNTAX_CASES:
            assert error.message == case["error"]


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c["expect"] in ("match", "no_match")],
    ids=[c["name"] for c in CASES if c["expect"] in ("match", "no_match")],
)
def test_recorded_case_through_the_matcher(case):
    """The compiled Matcher agrees with AWS on every valid case, from str, bytes and dict."""
    m = evpattern.Matcher()
    m.add("r", case["pattern"])
    expected = ["r"] if case["expect"] == "match" else []
    assert m.matches(case["event"]) == expected
    assert m.matches(case["event"].encode()) == expected
    assert m.matches_many([case["event"]]) == [expected]
    # The dict form: json.loads keeps only the last of duplicated keys, so compare with the
    # text it serialises back to rather than with AWS when the event has duplicates.
    event = json.loads(case["event"])
    assert m.matches(event) == m.matches(json.dumps(event))
