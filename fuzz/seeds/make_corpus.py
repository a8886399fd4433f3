#!/usr/bin/env python3
"""Builds the fuzz corpora under fuzz/corpus/<target>/ from

- the small seeds checked in under fuzz/seeds/<target>/ (written for this project), and
- the shared data read in place, never copied into the repository: the patterns and events
  of the AWS-recorded conformance cases and the SaaSus sample events.

Usage: python3 fuzz/seeds/make_corpus.py [SHARED_DIR]
SHARED_DIR defaults to $EVPATTERN_SHARED or ../shared beside the repository.
fuzz/corpus/ is ignored by git; libFuzzer adds what it finds there.
"""

import hashlib
import json
import os
import shutil
import sys

FUZZ = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(FUZZ)
TARGETS = ["parse_pattern", "match_event", "differential", "dsl"]


def text_of(case, field):
    value = case[field]
    return value if isinstance(value, str) else json.dumps(value)


def write(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    directory = os.path.join(FUZZ, "corpus", target)
    os.makedirs(directory, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "EVPATTERN_SHARED", os.path.join(REPO, "..", "shared"))
    for target in TARGETS:
        seeds = os.path.join(FUZZ, "seeds", target)
        if os.path.isdir(seeds):
            for name in sorted(os.listdir(seeds)):
                with open(os.path.join(seeds, name), "rb") as f:
                    write(target, f.read())

    cases_path = os.path.join(shared, "conformance", "aws-recorded", "cases.jsonl")
    patterns, events = [], []
    if os.path.exists(cases_path):
        with open(cases_path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    case = json.loads(line)
                    patterns.append(text_of(case, "pattern"))
                    events.append(text_of(case, "event"))
    else:
        print(f"note: {cases_path} not found; only the checked-in seeds are used")

    samples_path = os.path.join(shared, "saasus", "sample-events.ndjson")
    samples = []
    if os.path.exists(samples_path):
        with open(samples_path, encoding="utf-8") as f:
            samples = [line.strip() for line in f if line.strip()]

    for pattern in patterns:
        write("parse_pattern", pattern)
    for event in events + samples:
        write("match_event", event)
    for pattern, event in zip(patterns, events):
        if pattern.startswith("{"):
            write("differential", pattern + "\0" + event)
    saasus_patterns = [
        '{"source": [{"prefix": "aws.partner/saasus.io/"}], "detail-type": ["api_call"]}',
        '{"detail": {"event_type": ["create_tenant", "delete_tenant"]}}',
        '{"detail": {"event": [{"wildcard": "*\\"http_status\\":\\"2*"}]}}',
    ]
    for sample in samples:
        for pattern in saasus_patterns:
            write("differential", pattern + "\0" + sample)
    dsl_rules = [
        'source starts with "aws.partner/saasus.io" and detail-type == "api_call"',
        'detail.event_type in ["create_tenant", "delete_tenant"]',
        'api CreateTenantUser and status 2xx',
    ]
    for rule in dsl_rules:
        write("dsl", rule)
        for sample in samples:
            write("dsl", rule + "\0" + sample)
    for target in TARGETS:
        directory = os.path.join(FUZZ, "corpus", target)
        count = len(os.listdir(directory)) if os.path.isdir(directory) else 0
        print(f"{target}: {count} inputs in {directory}")


if __name__ == "__main__":
    main()
