"""Shared fixtures: the repository's recorded data, found from this folder."""

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def corpus_path() -> Path:
    return Path(os.environ.get("EVPATTERN_CONFORMANCE", REPO / "tests/data/aws-recorded/cases.jsonl"))


def load_cases() -> list[dict]:
    path = corpus_path()
    # A missing corpus fails the run: it never skips (tests/data/README.md).
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="session")
def aws_cases() -> list[dict]:
    return load_cases()


@pytest.fixture(scope="session")
def saasus_samples() -> list[str]:
    path = Path(os.environ.get("EVPATTERN_SAASUS_SAMPLES", REPO / "tests/data/saasus/sample-events.ndjson"))
    with open(path, encoding="utf-8") as lines:
        return [line for line in lines.read().splitlines() if line.strip()]
