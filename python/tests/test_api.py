"""The Python API: types, errors and messages at the boundary."""

import json
import warnings

import pytest

import evpattern

EVENT = json.dumps({
    "id": "1", "account": "123456789012", "source": "order", "time": "2022-07-13T13:48:01Z",
    "region": "us-east-2", "detail-type": "Test", "detail": {"state": "running", "size": 5},
})


def test_test_event_pattern_answers():
    assert evpattern.test_event_pattern('{"detail": {"state": ["running"]}}', EVENT) is True
    assert evpattern.test_event_pattern('{"source": ["shipment"]}', EVENT) is False


def test_invalid_pattern_is_awss_exception():
    with pytest.raises(evpattern.InvalidEventPatternException) as caught:
        evpattern.test_event_pattern('{"source": []}', EVENT)
    error = caught.value
    assert type(error).__name__ == "InvalidEventPatternException"
    assert error.code == "InvalidEventPatternException"
    assert error.message == "Event pattern is not valid. Reason: Empty arrays are not allowed"
    assert str(error) == error.message
    assert isinstance(error, evpattern.EventPatternError) and isinstance(error, ValueError)


def test_invalid_event_is_validation_exception():
    with pytest.raises(evpattern.ValidationException) as caught:
        evpattern.test_event_pattern('{"source": ["x"]}', '{"source": "x"}')
    assert caught.value.code == "ValidationException"
    assert str(caught.value) == "Parameter Event is not valid."


def test_long_pattern_is_validation_exception():
    pattern = json.dumps({"source": ["x" * 5000]})
    with pytest.raises(evpattern.ValidationException, match="length less than or equal to 4096"):
        evpattern.test_event_pattern(pattern, EVENT)


def test_arguments_are_typed():
    with pytest.raises(TypeError):
        evpattern.test_event_pattern(b'{"a": ["b"]}', EVENT)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        evpattern.test_event_pattern('{"a": ["b"]}', {"a": "b"})  # type: ignore[arg-type]


def test_explain_event_pattern():
    text = evpattern.explain_event_pattern('{"source": ["shipment"]}', EVENT)
    assert text == 'no match:\n  source: "order" does not satisfy ["shipment"]\n'


def test_matcher_add_matches_remove():
    m = evpattern.Matcher()
    m.add("running", '{"detail": {"state": ["running"]}}')
    m.add("big", '{"detail": {"size": [{"numeric": [">", 100]}]}}')
    m.add("small", '{"detail": {"size": [{"numeric": ["<", 10]}]}}')
    assert len(m) == 3 and "big" in m and "nope" not in m
    assert m.names() == ["running", "big", "small"]
    assert m.matches(EVENT) == ["running", "small"]
    assert m.remove("running") is True
    assert m.remove("running") is False
    assert m.matches(EVENT) == ["small"]
    assert m.matches_many([EVENT, "{}", b'{"detail": {"size": 500}}']) == [["small"], [], ["big"]]
    assert repr(m) == "<evpattern.Matcher with 2 rules>"


def test_a_rule_added_twice_is_the_or_of_its_patterns():
    m = evpattern.Matcher()
    m.add("r", '{"a": ["x"]}')
    m.add("r", '{"b": ["y"]}')
    assert m.matches({"b": "y"}) == ["r"]
    assert m.matches({"a": "x", "b": "y"}) == ["r"]
    assert len(m) == 1


def test_matcher_add_invalid_pattern_raises_and_changes_nothing():
    m = evpattern.Matcher()
    with pytest.raises(evpattern.InvalidEventPatternException) as caught:
        m.add("bad", '{"a": "x"}')
    assert str(caught.value) == 'Event pattern is not valid. Reason: "a" must be an object or an array'
    with pytest.raises(evpattern.InvalidEventPatternException):
        m.add("bad", "not json")
    assert len(m) == 0 and m.matches("{}") == []


def test_matcher_explain():
    m = evpattern.Matcher()
    m.add("r", '{"source": ["shipment"]}')
    assert m.explain("r", EVENT) == 'no match:\n  source: "order" does not satisfy ["shipment"]\n'
    assert m.explain("r", {"source": "shipment"}) == "match: every condition holds\n"
    with pytest.raises(KeyError):
        m.explain("missing", EVENT)
    m.add("r", '{"source": ["order"]}')
    assert m.explain("r", EVENT).startswith("pattern 1 of 2: no match")


def test_matcher_bad_event_raises_invalid_event_error():
    m = evpattern.Matcher()
    m.add("r", '{"a": ["x"]}')
    with pytest.raises(evpattern.InvalidEventError, match="at byte"):
        m.matches('{"a": "x", "b": tru}')
    with pytest.raises(evpattern.InvalidEventError, match="^event 1: "):
        m.matches_many(['{"a": "x"}', '{"a": '])
    with pytest.raises(TypeError, match="must be str, bytes or dict, not int"):
        m.matches(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        m.matches_many(5)  # type: ignore[arg-type]


def test_matches_many_refuses_a_single_event():
    m = evpattern.Matcher()
    for event in ['{"a": "x"}', b'{"a": "x"}', {"a": "x"}]:
        with pytest.raises(TypeError, match="for one event, use matches"):
            m.matches_many(event)  # type: ignore[arg-type]


def test_names_are_exact_strs():
    class Name(str):
        pass

    m = evpattern.Matcher()
    m.add(Name("r"), '{"a": ["x"]}')
    assert [type(n) for n in m.matches({"a": "x"})] == [str]
    assert [type(n) for n in m.matches_many([{"a": "x"}])[0]] == [str]


def test_matches_many_takes_any_iterable():
    m = evpattern.Matcher()
    m.add("r", '{"a": ["x"]}')
    assert m.matches_many(e for e in ['{"a": "x"}', {"a": "y"}, bytearray(b'{"a": "x"}')]) == [["r"], [], ["r"]]
    assert m.matches_many([]) == []


def test_compile_rule_targets():
    local = json.loads(evpattern.compile_rule('detail.state == "running"', target="local"))
    assert local == {"detail": {"state": ["running"]}}
    eventbridge = evpattern.compile_rule('detail.state == "running"')
    assert json.loads(eventbridge) == local
    with pytest.raises(ValueError, match="target must be"):
        evpattern.compile_rule('a == "b"', target="aws")  # type: ignore[arg-type]


def test_compile_rule_error_is_the_clis_message():
    with pytest.raises(evpattern.RuleSyntaxError) as caught:
        evpattern.compile_rule("detail.x == (")
    message = str(caught.value)
    # line:column: reason, then the source line and a caret, as `evpattern dsl` prints it.
    assert message.startswith("1:")
    assert "\n  detail.x == (\n" in message and "^" in message


def test_compile_rule_warnings_are_python_warnings(capfd):
    # The SaaSus selectors on EventBridge warn about the assumptions of their wildcard; the
    # warning is a UserWarning, never text on stderr.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pattern = evpattern.compile_rule("api CreateTenantUser and status 2xx")
    assert caught and all(issubclass(w.category, UserWarning) for w in caught)
    assert "wildcard" in str(caught[0].message)
    assert capfd.readouterr().err == ""
    m = evpattern.Matcher()
    m.add("r", pattern)


def test_compile_rule_warnings_can_be_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning):
            evpattern.compile_rule("api CreateTenantUser and status 2xx")


def test_stubs_and_marker_ship_with_the_package():
    from importlib import resources

    files = resources.files("evpattern")
    assert (files / "py.typed").is_file()
    assert (files / "_evpattern.pyi").is_file()


def test_exceptions_are_plain_python_exceptions():
    import pickle

    error = evpattern.InvalidEventPatternException("Event pattern is not valid. Reason: x")
    assert error.code == "InvalidEventPatternException" and error.message.endswith("x")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is evpattern.InvalidEventPatternException and again.message == error.message
    assert issubclass(evpattern.ValidationException, evpattern.EventPatternError)
    assert issubclass(evpattern.InvalidEventError, evpattern.EventPatternError)
    assert issubclass(evpattern.RuleSyntaxError, evpattern.EventPatternError)


def test_saasus_matcher_decodes_detail_event(saasus_samples):
    # Sample 1 carries detail.event as a JSON-encoded string (today's form): a local-target
    # rule reaches its uri only when the matcher decodes it, as `evpattern match --saasus`.
    rule = evpattern.compile_rule("api CreateTenant and status 2xx", target="local")
    plain, decoding = evpattern.Matcher(), evpattern.Matcher(saasus=True)
    for matcher in (plain, decoding):
        matcher.add("tenants", rule)
    assert (plain.saasus, decoding.saasus) == (False, True)
    string_form = saasus_samples[0]
    assert isinstance(json.loads(string_form)["detail"]["event"], str)
    assert plain.matches(string_form) == []
    assert decoding.matches(string_form) == ["tenants"]
    assert decoding.matches_many([string_form, saasus_samples[1]]) == [["tenants"], []]
    # The explanation sees the decoded event too.
    assert decoding.explain("tenants", string_form).startswith("match")
    assert not plain.explain("tenants", string_form).startswith("match")


def test_saasus_is_keyword_only():
    with pytest.raises(TypeError):
        evpattern.Matcher(True)  # type: ignore[misc]
