#!/usr/bin/env python3
"""Writes the pattern/event pairs that tools/event-ruler/record.sh asks event-ruler about.

One JSON object a line: {"id", "group", "pattern", "event"}, pattern and event as text.
The pairs are built from the groups of issue 16 (each with many variants), the patterns and
events of event-ruler's own correctness cases and unit tests (read from a local checkout given
as the first argument; nothing of it is copied except the JSON values its tests use), and the
AWS-recorded corpus of this repository.
"""
import glob
import itertools
import json
import os
import re
import sys

rows = []


def add(group, pattern, event):
    if not isinstance(pattern, str):
        pattern = json.dumps(pattern, ensure_ascii=False)
    if not isinstance(event, str):
        event = json.dumps(event, ensure_ascii=False)
    rows.append({"group": group, "pattern": pattern, "event": event})


# (1) a path beside a $or and inside a branch: the last occurrence in the text wins.
def or_override():
    values = ["a", "b", "c"]
    patterns = [
        '{"name":["a"],"$or":[{"name":["a"]},{"name":["b"]}]}',
        '{"$or":[{"name":["a"]},{"name":["b"]}],"name":["c"]}',
        '{"$or":[{"a":["2"]},{"b":["3"]}],"a":["1"]}',
        '{"a":["1"],"$or":[{"a":["2"]},{"b":["3"]}]}',
        '{"x":{"y":["a"]},"$or":[{"x.y":["b"]},{"z":["c"]}]}',
        '{"x.y":["a"],"x":{"$or":[{"y":["b"]},{"z":["c"]}]}}',
        '{"x":{"$or":[{"y":["b"]},{"z":["c"]}]},"x.y":["a"]}',
        '{"$or":[{"n":["a"]},{"m":["b"]}],"$or":[{"n":["b"]},{"m":["c"]}]}',
        '{"n":["a"],"$or":[{"$or":[{"n":["b"]},{"m":["a"]}]},{"n":["c"]}]}',
        '{"$or":[{"n":["b"],"$or":[{"n":["c"]},{"m":["a"]}]},{"m":["b"]}]}',
        '{"n":["a"],"n":["b"]}',
        '{"n":["a"],"$or":[{"n":[{"prefix":"b"}]},{"n":[{"exists":false}]}]}',
        '{"n":[{"exists":false}],"$or":[{"n":["a"]},{"m":["a"]}]}',
        '{"$or":[{"n":["a"]},{"m":["a"]}],"n":[{"exists":true}]}',
        '{"d":{"n":["a"],"$or":[{"n":["b"]},{"m":["c"]}]},"d.n":["c"]}',
        '{"d.n":["c"],"d":{"$or":[{"n":["b"]},{"m":["c"]}],"n":["a"]}}',
    ]
    events = []
    for n, m in itertools.product(values + [None], ["a", "b", "c", None]):
        e = {}
        if n:
            e["n"] = n
            e["name"] = n
        if m:
            e["m"] = m
        events.append(e)
    events += [{"a": "1"}, {"a": "2"}, {"b": "3"}, {"a": "1", "b": "3"}, {"a": "2", "b": "3"},
               {"x": {"y": "a"}}, {"x": {"y": "b"}}, {"x": {"z": "c"}}, {"x": {"y": "a", "z": "c"}},
               {"x": {"y": "b", "z": "c"}}, {"d": {"n": "a"}}, {"d": {"n": "c"}},
               {"d": {"n": "b"}}, {"d": {"m": "c", "n": "a"}}, {"d": {"m": "c", "n": "c"}}]
    for p in patterns:
        for e in events:
            add("or_override", p, e)


# (2) exists:false inside arrays of objects, per element, with array consistency.
def exists_false_arrays():
    patterns = [
        {"e": {"f": ["A"], "l": [{"exists": False}]}},
        {"e": {"a": [{"exists": False}], "f": ["A"]}},
        {"e": {"f": ["B"], "l": [{"exists": False}]}},
        {"e": {"l": [{"exists": False}]}},
        {"e": {"f": ["A"], "l": [{"exists": False}, "x"]}},
        {"e": {"f": [{"exists": True}], "l": [{"exists": False}]}},
        {"e": {"f": ["A"], "g": {"h": [{"exists": False}]}}},
        {"e": {"f": ["A"]}, "z": [{"exists": False}]},
        {"e": {"f": ["A"], "l": [{"exists": False}], "m": ["1"]}},
        {"e": {"f": ["A"], "z": [{"exists": False}]}},
        {"e": {"f": ["A"], "l": [{"exists": False}]}, "$or": [{"k": ["1"]}, {"k": ["2"]}]},
    ]
    events = [
        {"e": [{"f": "A"}, {"f": "B", "l": "x"}]},
        {"e": [{"f": "A", "l": "x"}, {"f": "B"}]},
        {"e": [{"f": "A", "a": "x"}, {"f": "B"}]},
        {"e": [{"f": "A"}, {"f": "B", "a": "x"}]},
        {"e": [{"f": "A", "l": "x"}, {"f": "A"}]},
        {"e": [{"f": "A"}]},
        {"e": {"f": "A"}},
        {"e": {"f": "A", "l": "x"}},
        {"e": [{"f": "A", "g": {"h": 1}}, {"f": "A", "g": [{"h": 1}, {}]}]},
        {"e": [{"f": "A", "g": [{"h": 1}]}, {"f": "B", "g": {}}]},
        {"e": [{"f": "A", "m": "1"}, {"f": "A", "l": "x", "m": "1"}]},
        {"e": [{"f": "A", "l": "x", "m": "1"}, {"f": "A", "m": "2"}]},
        {"e": [{"f": ["A", "B"], "l": "x"}, {"f": "A"}]},
        {"e": [[{"f": "A"}], [{"f": "B", "l": "x"}]]},
        {"e": [{"f": "A"}, {"f": "B", "l": "x"}], "z": 1},
        {"e": [{"f": "A", "z": 1}], "k": "1"},
        {"e": [{"f": "A"}, {"l": "x", "f": "A"}], "k": "2"},
        {"e": [{"f": "A", "l": None}]},
        {"e": [{"f": "A", "l": []}]},
        {"e": [{"f": "A", "l": {}}]},
        {"e": [{"f": "A", "l": [[]]}]},
    ]
    for p in patterns:
        for e in events:
            add("exists_false_arrays", p, e)


# (3) equals-ignore-case with Java's case mapping.
CASE_TEXTS = ["ß", "SS", "ss", "Ss", "ẞ", "ı", "I", "i", "İ", "i̇", "ς", "Σ", "σ", "ﬀ", "FF", "ff",
              "ǅ", "ǆ", "Ǆ", "K", "k", "K", "ſ", "s", "S", "µ", "Μ", "μ", "Å", "å", "Å", "😀",
              "𐐀", "𐐨", "a", "A", "ŉ", "ʼN", "ΐ", "ǰ", "J̌", "ﬃ", "FFI", "Straße", "STRASSE",
              "strasse", "İstanbul", "istanbul", "ΟΔΟΣ", "οδος", "οδοσ", "", "??"]


def ignore_case():
    for text in CASE_TEXTS:
        ops = [
            [{"equals-ignore-case": text}],
            [{"prefix": {"equals-ignore-case": text}}],
            [{"suffix": {"equals-ignore-case": text}}],
            [{"anything-but": {"equals-ignore-case": text}}],
            [{"anything-but": {"equals-ignore-case": [text, "zz"]}}],
        ]
        for k, op in enumerate(ops):
            # The whole-string form meets every text; the others a sample that keeps the
            # case pairs.
            for event in CASE_TEXTS if k == 0 else CASE_TEXTS[:16] + CASE_TEXTS[-6:]:
                add("ignore_case", {"a": op}, {"a": event})
            for event in ["x" + text, text + "x", text + text]:
                add("ignore_case", {"a": op}, {"a": event})
            add("ignore_case", {"a": op}, {"a": 1})


# (4) numbers event-ruler can and cannot compare.
NUMBERS = ["0", "-0", "1", "1.0", "1e0", "300", "3e2", "300.0", "3.00E+2", "0.1", "1e-1",
           "9007199254740992", "9007199254740993", "9007199254740991", "1.0000000000000001",
           "1.000000000000001", "5e-324", "4.9e-324", "4.9E-324", "2.2250738585072014e-308",
           "1.7976931348623157e308", "1.7976931348623157E308", "1e308", "1e309", "1e999",
           "123456789012345678901234567890", "1e-400", "-1e309", "123456789012", "5000000000",
           "-5000000000", "1e23", "2e23", "0.30000000000000004", "0.3", "1e22", "100000000000000000000000",
           "1.5", "-1.5", "1E400", "12345678901234567", "0.000001", "1e-7"]


def numbers():
    for n in NUMBERS:
        patterns = [
            '{"a":[%s]}' % n,
            '{"a":[{"numeric":["=",%s]}]}' % n,
            '{"a":[{"numeric":[">",%s]}]}' % n,
            '{"a":[{"numeric":["<=",%s]}]}' % n,
            '{"a":[{"numeric":[">",-1e300,"<",%s]}]}' % n,
            '{"a":[{"anything-but":%s}]}' % n,
            '{"a":[{"anything-but":[%s,7]}]}' % n,
        ]
        for k, p in enumerate(patterns):
            for e in NUMBERS if k < 2 else NUMBERS[::3]:
                add("numbers", p, '{"a":%s}' % e)
            add("numbers", p, '{"a":"%s"}' % n)
    for e in NUMBERS:
        add("numbers", '{"a":[{"numeric":[">",1]}]}', '{"a":%s}' % e)
        add("numbers", '{"a":[{"numeric":[">=",0,"<",1e300]}]}', '{"a":%s}' % e)
        add("numbers", '{"a":[{"numeric":["<",0]}]}', '{"a":%s}' % e)


# (5) cidr and strings that look like addresses.
CIDR_PATTERNS = ["10.0.0.0/24", "010.0.0.0/8", "10.0.0.0/8", "00.0.0.0/8", "10.000.0.0/16",
                 "2001:db8::/32", "2001:DB8::/32", "::ffff:a00:0/104", "::ffff:10.0.0.0/104",
                 "0.0.0.0/0", "0.0.0.0/1", "::/0", "::/1", "128.0.0.0/1", "8000::/1", "1.2.3.4/31",
                 "0010.0.0.0/8", "10.0.0.0256/8", "1.2.3/8", "::1/127", "2001:db8::0.0.0.0/96",
                 "a.b.c.d/8", "10.0.0.0/33", "255.255.255.255/31", "fe80::/10", "FE80::1%eth0/64"]
ADDRESSES = ["10.0.0.1", "010.0.0.1", "10.000.000.001", "010.010.010.010", "0010.0.0.1",
             "10.0.0.01", "10.0.1.1", "11.0.0.1", "1.2.3.4", "::ffff:10.0.0.1", "::ffff:a00:1",
             "::FFFF:A00:1", "::ffff:0a00:0001", "0:0:0:0:0:ffff:a00:1", "2001:db8::0.0.0.1",
             "2001:db8::1", "2001:DB8::1", "2001:0db8:0000:0000:0000:0000:0000:0001",
             "2001:db9::1", "::", "::1", "0.0.0.0", "255.255.255.255", "128.0.0.1", "8000::1",
             "fe80::1", "fe80::1%eth0", "10.0.0.256", "10.0.0", "10.0.0.1.2", " 10.0.0.1",
             "10.0.0.1 ", "1.2.3.4/8", "::ffff:1.2.3.4", "::1.2.3.4", "1:2:3:4:5:6:7:8:9", "x"]


def cidr():
    for c in CIDR_PATTERNS:
        for a in ADDRESSES:
            add("cidr", {"a": [{"cidr": c}]}, {"a": a})
        add("cidr", {"a": [{"cidr": c}]}, {"a": 10})
    for exact in ["10.0.0.1", "::ffff:10.0.0.1", "2001:db8::1", "010.0.0.1", "10.0.0.01"]:
        for a in ADDRESSES[:20]:
            add("ip_like_exact", {"a": [exact]}, {"a": a})
        add("ip_like_exact", {"a": [{"anything-but": exact}]}, {"a": "10.0.0.1"})
        add("ip_like_exact", {"a": [{"prefix": exact[:4]}]}, {"a": "010.0.0.1"})


# (6) empty lists inside anything-but operators, and their neighbours.
def empty_lists():
    for op in ["prefix", "suffix", "wildcard", "equals-ignore-case"]:
        for operand in [[], [""], ["x"], ["x", "y"], "", [1], None, [[]]]:
            for event in ["x", "y", "", 1]:
                add("empty_lists", {"a": [{"anything-but": {op: operand}}]}, {"a": event})
    for operand in [[], [[]], {}]:
        add("empty_lists", {"a": [{"anything-but": operand}]}, {"a": "x"})
    for op in ["prefix", "suffix", "wildcard", "equals-ignore-case", "cidr"]:
        add("empty_lists", {"a": [{op: []}]}, {"a": "x"})


def correctness_cases(checkout):
    path = os.path.join(checkout, "src/test/resources/correctness-cases.json")
    for case in json.load(open(path)):
        add("event_ruler_correctness", case["rule"], case["event"])


JAVA_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def java_test_values(checkout, per_file=300):
    """JSON objects written as (concatenated) string literals in event-ruler's tests, paired
    within each test file."""
    for path in sorted(glob.glob(os.path.join(checkout, "src/test/software/**/*.java"), recursive=True)):
        text = open(path, encoding="utf-8").read()
        found = []
        # Runs of string literals joined by '+' form one value.
        for run in re.finditer(r'"(?:[^"\\\n]|\\.)*"(?:\s*\+\s*"(?:[^"\\\n]|\\.)*")*', text):
            parts = JAVA_STRING.findall(run.group(0))
            try:
                value = "".join(bytes(p, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8") for p in parts)
            except (UnicodeDecodeError, UnicodeEncodeError):
                continue
            value = value.strip()
            if not value.startswith("{") or len(value) > 3000:
                continue
            try:
                parsed = json.loads(value)
            except ValueError:
                continue
            if isinstance(parsed, dict) and value not in found:
                found.append(value)
        name = os.path.basename(path)[:-5]
        pairs = list(itertools.product(found, found))
        for p, e in pairs[:per_file]:
            add("event_ruler_tests:" + name, p, e)


def aws_recorded(repo):
    for line in open(os.path.join(repo, "tests/data/aws-recorded/cases.jsonl")):
        case = json.loads(line)
        add("aws_recorded:" + case["name"], case["pattern"], case["event"])


def main():
    checkout = sys.argv[1]
    repo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    or_override()
    exists_false_arrays()
    ignore_case()
    numbers()
    cidr()
    empty_lists()
    correctness_cases(checkout)
    java_test_values(checkout)
    aws_recorded(repo)
    seen = set()
    for i, row in enumerate(rows):
        key = (row["pattern"], row["event"])
        if key in seen:
            continue
        seen.add(key)
        row["id"] = "%s-%d" % (row["group"].split(":")[0], i)
        print(json.dumps({"id": row["id"], **{k: row[k] for k in ("group", "pattern", "event")}}, ensure_ascii=False))


main()
