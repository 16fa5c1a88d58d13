"""Assign whole question families to the dev or test split, reproducibly.

    python evals/questions/split.py            # rewrites the "split" field of families.jsonl in place
    python evals/questions/split.py --dry-run  # only prints the counts

Families are never split: every question of a family gets the family's split. Families are
stratified so that each kind keeps roughly 55% dev / 45% test:

    f = answerable, bundled corpus        r = answerable, real documents
    o = out of scope / outside the docs   m = near miss (named thing, missing fact)
    d = request about a named person's records (must be declined)

and, within f and r, families that carry a follow-up wording form their own stratum. Inside a
stratum the family ids are sorted, shuffled with random.Random(SEED), and the first
round(0.55 * n) go to dev.
"""
from __future__ import annotations

import json
import random
import sys
from collections import OrderedDict
from pathlib import Path

SEED = 2430
DEV_SHARE = 0.55
PATH = Path(__file__).with_name("families.jsonl")


def stratum(family: str, rows: list[dict]) -> str:
    has_followup = any(r["wording"] == "followup" for r in rows)
    return family[0] + ("+followup" if has_followup else "")


def assign(rows: list[dict]) -> dict[str, str]:
    fams: OrderedDict[str, list[dict]] = OrderedDict()
    for r in rows:
        fams.setdefault(r["family"], []).append(r)
    strata: dict[str, list[str]] = {}
    for fam, members in fams.items():
        strata.setdefault(stratum(fam, members), []).append(fam)
    rng = random.Random(SEED)
    split: dict[str, str] = {}
    for key in sorted(strata):
        ids = sorted(strata[key])
        rng.shuffle(ids)
        n_dev = round(DEV_SHARE * len(ids))
        for i, fam in enumerate(ids):
            split[fam] = "dev" if i < n_dev else "test"
    return split


def main() -> None:
    rows = [json.loads(line) for line in PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    split = assign(rows)
    for r in rows:
        r["split"] = split[r["family"]]
    counts: dict[str, dict[str, int]] = {}
    for fam, s in split.items():
        counts.setdefault(fam[0], {"dev": 0, "test": 0})[s] += 1
    for k in sorted(counts):
        print(f"{k}: families dev={counts[k]['dev']} test={counts[k]['test']}")
    if "--dry-run" not in sys.argv:
        with PATH.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
