"""Hostile inputs: nothing a caller passes may panic or crash the interpreter. Every input
ends in an answer or a Python exception of the documented kinds, never PanicException."""

import json
import random
import subprocess
import sys
import textwrap

import pytest

import evpattern

EVENT = json.dumps({"id": "1", "account": "1", "source": "s", "time": "t", "region": "r",
                    "detail-type": "d", "detail": {"a": "x"}})

ALLOWED = (evpattern.EventPatternError, TypeError)

PATTERNS = [
    "", " ", "{", "}", "[]", "null", "1", '"x"', "{}", '{"a": []}', '{"a": {}}',
    '{"a": [{}]}', '{"a": [{"prefix": {}}]}', '{"a": [{"numeric": []}]}',
    '{"a": [{"numeric": [">", 1e400]}]}', '{"a": [{"numeric": [">", "x"]}]}',
    '{"a": [{"anything-but": []}]}', '{"a": [{"anything-but": {"prefix": []}}]}',
    '{"a": [{"cidr": "1.2.3.4/99"}]}', '{"a": [{"cidr": "::/129"}]}', '{"a": [{"cidr": "/"}]}',
    '{"a": [{"wildcard": "**"}]}', '{"a": [{"wildcard": "\\\\"}]}', '{"a": [{"wildcard": "\\\\x"}]}',
    '{"a": [{"wildcard": "*:*:*:*:*:*:*:*:*:*:*:*:*"}]}',
    '{"a": [{"equals-ignore-case": "\\ud800"}]}', '{"\\ud800": ["x"]}', '{"a": ["\\udfff"]}',
    '{"$or": []}', '{"$or": [{}]}', '{"$or": [{"a": ["x"]}]}', '{"$or": "x"}',
    '{"a.": ["x"]}', '{".": ["x"]}', '{"": ["x"]}', '{"a": ["x"]} trailing',
    '{"a": [' + "1," * 100000 + "1]}",
    '{"a": ' * 100000, "[" * 100000, '{"a": [' + "[" * 100000 + "]" * 100000 + "]}",
    json.dumps({"$or": [{f"k{i}": ["x"]} for i in range(11)] * 1, "b": {"$or": [{f"j{i}": ["y"]} for i in range(100)]}}),
    json.dumps({f"k{j}": {"$or": [{"a": ["1"]}, {"b": ["2"]}]} for j in range(12)}),
    '{"a": ["\x00"]}', '{"a": [' + '"x",' * 50000 + '"y"]}',
    '{"a": [{"numeric": [">", 9007199254740993]}]}', '{"a": [{"numeric": ["<", 5e-324]}]}',
    '{"a": [{"prefix": {"equals-ignore-case": 1}}]}', '{"a": [{"suffix": null}]}',
    '{"a": [{"exists": "yes"}]}', '{"a": [{"exists": true, "prefix": "x"}]}',
]


def check_pattern(pattern):
    m = evpattern.Matcher()
    for call in (
        lambda: evpattern.test_event_pattern(pattern, EVENT),
        lambda: evpattern.explain_event_pattern(pattern, EVENT),
        lambda: m.add("r", pattern),
    ):
        try:
            call()
        except ALLOWED:
            pass
    if "r" in m:
        m.matches(EVENT)
        m.explain("r", EVENT)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_hostile_patterns(pattern):
    check_pattern(pattern)


def test_lone_surrogates_in_str_arguments_are_awss_errors():
    with pytest.raises(evpattern.InvalidEventPatternException, match="lone surrogate"):
        evpattern.test_event_pattern('{"a": ["\ud800"]}', EVENT)
    with pytest.raises(evpattern.InvalidEventPatternException, match="lone surrogate"):
        evpattern.Matcher().add("r", '{"a": ["\udc00"]}')
    with pytest.raises(evpattern.ValidationException, match="^Parameter Event is not valid.$"):
        evpattern.test_event_pattern('{"a": ["x"]}', EVENT.replace('"x"', '"\ud800"'))
    with pytest.raises(evpattern.RuleSyntaxError, match="lone surrogate"):
        evpattern.compile_rule('a == "\ud800"')
    with pytest.raises(UnicodeEncodeError):
        evpattern.Matcher().add("\ud800", '{"a": ["x"]}')


def mutate(rng, text):
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(4)
        pos = rng.randrange(len(chars) + 1)
        if op == 0 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif op == 1:
            chars.insert(pos, rng.choice('{}[]",:\\*.$- 0123456789eE+abxyz\u00df\u0130\ud83d\ude00'))
        elif op == 2:
            chars[pos:pos] = list(rng.choice(['"prefix"', '"numeric"', '"$or"', '"wildcard"',
                                              '"anything-but"', '"cidr"', '"exists"', "null", "1e400"]))
        else:
            chars[pos:pos] = chars[rng.randrange(len(chars) or 1):][:8]
    return "".join(chars)


def test_mutated_corpus_patterns_and_events(aws_cases):
    rng = random.Random(12)
    m = evpattern.Matcher()
    m.add("base", '{"detail": {"a": [{"prefix": "x"}]}}')
    for _ in range(3000):
        case = rng.choice(aws_cases)
        check_pattern(mutate(rng, case["pattern"]))
        event = mutate(rng, case["event"])
        for call in (lambda: m.matches(event), lambda: m.matches(event.encode("utf-8", "surrogatepass")),
                     lambda: evpattern.test_event_pattern(case["pattern"], event)):
            try:
                call()
            except ALLOWED:
                pass


RULES = [
    "", "(", ")", "(" * 100000, "not " * 100000, "a == " * 1000, 'detail.x == "' + "\\" * 1000,
    "detail.x == (", 'detail.x in [' + '"a",' * 20000 + '"b"]', "and and and", "==", "a ==",
    "detail.x matches \"**\"", "api", "status", "status 9xx", "api NoSuchApi", "\x00", "\ud800",
    'a == "\ud800"', "detail." + "x." * 10000 + "y == 1", "a > 1e400", "a between 5 and 1",
    " or ".join(f'k{i} == "v"' for i in range(40)),
]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("target", ["eventbridge", "local"])
def test_hostile_rules(rule, target):
    try:
        pattern = evpattern.compile_rule(rule, target=target)
    except (evpattern.RuleSyntaxError, TypeError):
        return
    evpattern.Matcher().add("r", pattern)


def test_no_panic_reaches_python_in_a_fresh_interpreter():
    """The deepest inputs in a child interpreter: a crash there (stack overflow, abort) is a
    failing exit code here rather than the end of the test run."""
    script = textwrap.dedent("""
        import evpattern
        m = evpattern.Matcher()
        for text in ["[" * 5_000_000, '{"a":' * 5_000_000]:
            for call in (lambda: evpattern.test_event_pattern(text, "{}"),
                         lambda: evpattern.test_event_pattern('{"a": ["x"]}', text),
                         lambda: m.add("r", text), lambda: m.matches(text),
                         lambda: evpattern.compile_rule("(" * 1_000_000)):
                try:
                    call()
                except (evpattern.EventPatternError, TypeError):
                    pass
        print("survived")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "survived"
