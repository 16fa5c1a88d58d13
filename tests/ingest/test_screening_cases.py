"""The labelled personal-data set: identifiers in their written forms, look-alikes and published contacts.

Misses (an expected kind not found) and false refusals (anything found where nothing is expected) are counted per
group; the strong identifiers (CHI, NI number, date of birth beside a name) and the published contacts must be exact.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ingest.screening import scan_text

pytestmark = pytest.mark.unit

CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "personal_data_cases.jsonl")
         .read_text(encoding="utf-8").splitlines() if line.strip()]


def tally() -> tuple[Counter, list[str]]:
    """Counts per group (cases, misses, false refusals) and one line per wrong case."""
    counts: Counter = Counter()
    wrong: list[str] = []
    for case in CASES:
        got, want = scan_text(case["text"]), case["expect"]
        counts[f"{case['group']} cases"] += 1
        missed = [k for k in want if k not in got]
        extra = [k for k in got if k not in want]
        if missed:
            counts[f"{case['group']} misses"] += 1
        if extra:
            counts[f"{case['group']} false refusals"] += 1
        if missed or extra:
            wrong.append(f"{case['id']}: missed {missed}, extra {extra}")
    return counts, wrong


def test_the_set_is_large_and_mixed():
    groups = Counter(c["group"] for c in CASES)
    assert len(CASES) >= 60
    assert groups["identifier"] >= 25 and groups["lookalike"] >= 15 and groups["published"] >= 15


def test_no_misses_and_no_false_refusals():
    counts, wrong = tally()
    print("\npersonal-data set:", dict(sorted(counts.items())))
    assert counts["identifier misses"] == 0, wrong
    assert counts["published false refusals"] == 0, wrong
    assert counts["lookalike false refusals"] == 0, wrong
    assert not wrong


@pytest.mark.parametrize("case", [c for c in CASES if c.get("strong")], ids=lambda c: c["id"])
def test_each_strong_identifier_is_found(case):
    assert case["expect"][0] in scan_text(case["text"])
