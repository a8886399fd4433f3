"""Edge cases at the Python/Rust boundary: what an event can be, and what a dict can hold.

The reference for a dict is the JSON text `json.dumps` gives for it: a dict must match
exactly as that text does (it is serialised straight from the objects, not through json)."""

import collections
import decimal
import enum
import json
import math

import pytest

import evpattern

RULES = {
    "exact-x": '{"a": ["x"]}',
    "prefix": '{"a": [{"prefix": "x"}]}',
    "num-300": '{"n": [300]}',
    "num-range": '{"n": [{"numeric": [">", 0, "<=", 1e300]}]}',
    "neg": '{"n": [{"numeric": ["<", 0]}]}',
    "zero": '{"n": [0]}',
    "true": '{"a": [true]}',
    "one": '{"a": [1]}',
    "null": '{"a": [null]}',
    "exists-n": '{"n": [{"exists": true}]}',
    "key-1": '{"1": ["x"]}',
    "key-true": '{"true": ["x"]}',
    "key-null": '{"null": ["x"]}',
    "key-1.5": '{"1.5": ["x"]}',
    "key-1e+16": '{"1e+16": ["x"]}',
    "key-Infinity": '{"Infinity": ["x"]}',
    "nested": '{"d": {"e": ["x"]}}',
    "any-elem": '{"l": ["x"]}',
}


@pytest.fixture(scope="module")
def m():
    matcher = evpattern.Matcher()
    for name, pattern in RULES.items():
        matcher.add(name, pattern)
    return matcher


def same_as_json_text(m, event):
    got = m.matches(event)
    assert got == m.matches(json.dumps(event)), event
    assert m.matches_many([event]) == [got]
    return got


def test_str_and_bytes_agree(m):
    text = '{"a": "xy", "n": 3e2, "l": ["q", "x"]}'
    assert m.matches(text) == m.matches(text.encode()) == m.matches(bytearray(text.encode()))
    assert m.matches(text) == ["prefix", "num-300", "num-range", "exists-n", "any-elem"]


def test_non_utf8_bytes_are_an_error(m):
    with pytest.raises(evpattern.InvalidEventError, match="invalid UTF-8 at byte 7"):
        m.matches(b'{"a": "\xff"}')
    with pytest.raises(evpattern.InvalidEventError, match="invalid UTF-8"):
        m.matches(b'{"a": "x", "b": "\xc3\x28"}')
    with pytest.raises(evpattern.InvalidEventError):
        m.explain("exact-x", b'{"a": "\xff"}')


def test_lone_surrogates(m):
    # A str holding a lone surrogate has no UTF-8 form at all.
    with pytest.raises(evpattern.InvalidEventError, match="lone surrogate"):
        m.matches('{"a": "\ud800"}')
    with pytest.raises(evpattern.InvalidEventError, match="lone surrogate"):
        m.matches({"a": "\udfff"})
    with pytest.raises(evpattern.InvalidEventError, match="lone surrogate"):
        m.matches({"\ud800": "x"})
    # Escaped in JSON text, it is the scanner's error (AWS's answer is *either*, SPEC 3).
    with pytest.raises(evpattern.InvalidEventError, match="surrogate"):
        m.matches('{"a": "\\ud800"}')
    # A proper pair, escaped or not, is one character.
    assert m.matches('{"a": "x\\ud83d\\ude00"}') == m.matches({"a": "x\U0001F600"}) == ["prefix"]


def test_strings_with_quotes_controls_and_unicode():
    m = evpattern.Matcher()
    value = 'x"\\\n\t\x00\x1f\u2028é😀'
    m.add("r", json.dumps({"a": [value]}))
    assert same_as_json_text(m, {"a": value}) == ["r"]
    assert m.matches(json.dumps({"a": value}, ensure_ascii=False)) == ["r"]


def test_non_string_keys_become_what_json_dumps_writes(m):
    assert same_as_json_text(m, {1: "x"}) == ["key-1"]
    assert same_as_json_text(m, {True: "x"}) == ["key-true"]
    assert same_as_json_text(m, {None: "x"}) == ["key-null"]
    assert same_as_json_text(m, {1.5: "x"}) == ["key-1.5"]
    assert same_as_json_text(m, {1e16: "x"}) == ["key-1e+16"]
    assert same_as_json_text(m, {math.inf: "x"}) == ["key-Infinity"]
    assert same_as_json_text(m, {10**30: "x", -(10**20): "y"}) == []


def test_keys_json_cannot_write_are_a_type_error(m):
    for key in [(1, 2), frozenset(), b"a", object()]:
        with pytest.raises(TypeError, match="keys must be str, int, float, bool or None"):
            m.matches({key: "x"})


def test_values_json_cannot_write_are_a_type_error(m):
    for value in [{1, 2}, object(), b"x", decimal.Decimal("1.5"), 1j, m]:
        with pytest.raises(TypeError, match="is not JSON serializable"):
            m.matches({"a": value})
    with pytest.raises(TypeError):
        m.matches_many([{"a": "x"}, {"a": {1, 2}}])


def test_huge_ints(m):
    assert same_as_json_text(m, {"n": 300}) == ["num-300", "num-range", "exists-n"]
    for n in [2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**30, -(10**30), 10**400, 2**53 + 1]:
        same_as_json_text(m, {"n": n})
    # The integer beyond every double never satisfies a numeric range (SPEC 3) ...
    assert "num-range" not in m.matches({"n": 10**400})
    assert m.matches({"n": 10**400}) == ["exists-n"]
    # ... and beyond Python's own int-to-text limit it is the ValueError json.dumps raises.
    with pytest.raises(ValueError):
        m.matches({"n": 10**5000})


def test_floats(m):
    for x in [0.1, 300.0, 3e2, 1e16, 1e-7, 5e-324, 1.7976931348623157e308, -0.0, 2.5e-5, 1e22]:
        same_as_json_text(m, {"n": x})
    assert m.matches({"n": 300.0}) == ["num-300", "num-range", "exists-n"]
    assert m.matches({"n": -0.0}) == m.matches('{"n": -0.0}')


@pytest.mark.parametrize("x", [float("1e400"), float("inf"), float("-inf"), float("nan")])
def test_non_finite_floats_are_refused(m, x):
    # No JSON text has them; json.dumps(allow_nan=False) refuses them too.
    with pytest.raises(evpattern.InvalidEventError, match="Out of range float values"):
        m.matches({"n": x})
    with pytest.raises(evpattern.InvalidEventError, match="Out of range float values"):
        m.matches({"d": [{"e": x}]})


def test_1e400_in_text_is_a_number_outside_every_range(m):
    assert m.matches('{"n": 1e400}') == ["exists-n"]
    assert m.matches('{"n": -1e400}') == ["exists-n"]


def test_bools_are_not_numbers(m):
    assert same_as_json_text(m, {"a": True}) == ["true"]
    assert same_as_json_text(m, {"a": 1}) == ["one"]
    assert same_as_json_text(m, {"a": None}) == ["null"]


def test_containers(m):
    assert same_as_json_text(m, {"l": ("q", "x")}) == ["any-elem"]
    assert same_as_json_text(m, {"l": [["x"]]}) == ["any-elem"]
    assert same_as_json_text(m, {"d": collections.OrderedDict(e="x")}) == ["nested"]
    assert same_as_json_text(m, collections.defaultdict(list, a="x")) == ["exact-x", "prefix"]
    assert same_as_json_text(m, {"d.e": "x"}) == ["nested"]


def test_subclasses_are_read_by_value_without_their_methods(m):
    class Loud(int):
        def __repr__(self):
            raise AssertionError("user code ran")

        __str__ = __repr__

    class Color(enum.IntEnum):
        RED = 300

    class S(str):
        def __str__(self):
            raise AssertionError("user code ran")

    class F(float):
        def __repr__(self):
            raise AssertionError("user code ran")

    assert m.matches({"n": Loud(300)}) == ["num-300", "num-range", "exists-n"]
    assert m.matches({"n": Loud(10**30)}) == m.matches('{"n": %d}' % 10**30)
    assert m.matches({"n": Color.RED}) == ["num-300", "num-range", "exists-n"]
    assert m.matches({S("a"): S("x")}) == ["exact-x", "prefix"]
    assert m.matches({"n": F(300.0)}) == ["num-300", "num-range", "exists-n"]
    assert m.matches({F(1.5): "x"}) == ["key-1.5"]
    assert m.matches({Loud(1): "x"}) == ["key-1"]


def nested_dict(depth):
    event = {"a": "x"}
    for _ in range(depth - 1):
        event = {"d": event}
    return event


def test_nesting_limit_is_the_same_for_dict_and_text(m):
    for depth in [255, 256, 257, 300]:
        event = nested_dict(depth)
        try:
            text_answer = m.matches(json.dumps(event))
        except evpattern.InvalidEventError:
            text_answer = "error"
        try:
            dict_answer = m.matches(event)
        except evpattern.InvalidEventError as error:
            assert "nesting deeper than 256 levels" in str(error)
            dict_answer = "error"
        assert dict_answer == text_answer, depth
    assert m.matches(nested_dict(256)) == []
    with pytest.raises(evpattern.InvalidEventError):
        m.matches(nested_dict(257))


def test_very_deep_inputs_do_not_crash(m):
    deep = 1_000_000
    with pytest.raises(evpattern.InvalidEventError):
        m.matches("[" * deep)
    with pytest.raises(evpattern.InvalidEventError):
        m.matches('{"a":' * deep)
    with pytest.raises(evpattern.InvalidEventError):
        m.explain("exact-x", '{"a":' * deep)
    lst = []
    for _ in range(10_000):
        lst = [lst]
    with pytest.raises(evpattern.InvalidEventError):
        m.matches({"l": lst})


def test_self_referencing_containers_are_an_error_not_a_crash(m):
    event = {"a": "x"}
    event["self"] = event
    with pytest.raises(evpattern.InvalidEventError, match="nesting deeper"):
        m.matches(event)
    loop = []
    loop.append(loop)
    with pytest.raises(evpattern.InvalidEventError, match="nesting deeper"):
        m.matches({"l": loop})


def test_events_that_are_not_objects(m):
    for text in ["[]", "1", '"a"', "null", "[{\"a\": \"x\"}]"]:
        assert m.matches(text) == []
    for text in ["", " ", "{", '{"a": "x"} x', "{'a': 'x'}", "NaN"]:
        with pytest.raises(evpattern.InvalidEventError):
            m.matches(text)


def test_duplicate_keys_in_text_each_count(m):
    # The text form keeps duplicates (AWS counts each value); a dict cannot hold them.
    assert m.matches('{"a": "q", "a": "x"}') == ["exact-x", "prefix"]
