"""The drop-in adapters for LocalStack's and moto's matchers, against AWS's recorded answers
(tests/data/aws-recorded/cases.jsonl: LocalStack's own event-pattern templates with the AWS
snapshot, see tests/data/README.md)."""

import json

import pytest

import evpattern
from evpattern.compat import (
    MotoEventPattern,
    localstack_matches_event,
    localstack_validate_event_pattern,
)
from conftest import load_cases

SYNTAX_CASES = {"invalid_json_pattern_0", "invalid_json_pattern_1", "invalid_json_pattern_2"}
CASES = load_cases()
# matches_event does not check the event's mandatory fields (that is TestEventPattern's
# request validation), so the invalid_event cases have no recorded answer for it.
PATTERN_CASES = [c for c in CASES if c["expect"] != "invalid_event"]
IDS = [c["name"] for c in PATTERN_CASES]


@pytest.mark.parametrize("case", PATTERN_CASES, ids=IDS)
def test_localstack_matches_event_with_strings(case):
    if case["expect"] == "invalid_pattern":
        with pytest.raises(evpattern.InvalidEventPatternException) as caught:
            localstack_matches_event(case["pattern"], case["event"])
        if case["name"] not in SYNTAX_CASES:
            assert caught.value.message == case["error"]
    else:
        assert localstack_matches_event(case["pattern"], case["event"]) is (case["expect"] == "match")


@pytest.mark.parametrize("case", [c for c in PATTERN_CASES if c["expect"] != "invalid_pattern"],
                         ids=[c["name"] for c in PATTERN_CASES if c["expect"] != "invalid_pattern"])
def test_localstack_matches_event_with_dicts(case):
    """ESM and Pipes hand LocalStack dicts; the answer is the one for the text."""
    pattern, event = json.loads(case["pattern"]), json.loads(case["event"])
    assert localstack_matches_event(pattern, event) == localstack_matches_event(
        json.dumps(pattern), json.dumps(event))


@pytest.mark.parametrize("case", PATTERN_CASES, ids=IDS)
def test_localstack_validate_event_pattern(case):
    assert localstack_validate_event_pattern(case["pattern"]) is (case["expect"] != "invalid_pattern")


def test_localstack_contract_edges():
    assert localstack_validate_event_pattern(None) is True
    assert localstack_validate_event_pattern({"a": []}) is False
    assert localstack_matches_event(None, '{"a": 1}') is True
    assert localstack_matches_event("", "not json") is True
    assert localstack_matches_event({}, {"a": 1}) is True
    assert localstack_matches_event('{"a": [1]}', "not json") is False
    assert localstack_matches_event('{"a": [1]}', "[1]") is False
    assert localstack_matches_event('{"a": [1]}', '{"a": 1') is False
    assert localstack_matches_event('{"a": [1]}', '{"a": 1}') is True
    with pytest.raises(evpattern.InvalidEventPatternException, match="Empty arrays are not allowed"):
        localstack_matches_event({"a": []}, {"a": 1})


def has_duplicate_keys(text):
    found = []

    def pairs(items):
        keys = [k for k, _ in items]
        found.append(len(keys) != len(set(keys)))
        return dict(items)

    json.loads(text, object_pairs_hook=pairs)
    return any(found)


@pytest.mark.parametrize("case", PATTERN_CASES, ids=IDS)
def test_moto_event_pattern(case):
    if case["expect"] == "invalid_pattern":
        with pytest.raises(evpattern.InvalidEventPatternException) as caught:
            MotoEventPattern.load(case["pattern"])
        if case["name"] not in SYNTAX_CASES:
            assert caught.value.message == case["error"]
        return
    pattern = MotoEventPattern.load(case["pattern"])
    assert pattern.dump() == case["pattern"]
    assert pattern.get_pattern() == json.loads(case["pattern"])
    # moto builds the event as a dict, which cannot hold the duplicate keys of some cases.
    if not has_duplicate_keys(case["event"]):
        assert pattern.matches_event(json.loads(case["event"])) is (case["expect"] == "match")


def test_moto_contract_edges():
    assert MotoEventPattern.load(None).matches_event({"a": 1}) is True
    assert MotoEventPattern.load("").get_pattern() == {}
    with pytest.raises(evpattern.InvalidEventPatternException, match="Invalid JSON"):
        MotoEventPattern.load("{")
    assert MotoEventPattern.load('{"a": [1]}').matches_event({"a": 1}) is True


def test_one_line_switch(monkeypatch):
    """What the README shows: an emulator's module attribute replaced by the adapter."""
    import types

    emulator = types.SimpleNamespace(matches_event=lambda pattern, event: False)
    monkeypatch.setattr(emulator, "matches_event", localstack_matches_event)
    assert emulator.matches_event('{"source": ["a"]}', '{"source": "a"}') is True
