"""Keep a new training file's families apart from every question Wayfinder is scored on.

    python evals/questions/apart.py evals/questions/families_dev3a.jsonl   # rewrites the file, prints what it dropped

Writers who never saw each other's questions still ask the same facts (the documents hold only so many) and even the
same out-of-scope questions word for word ("Who won the Scottish Cup final in 2024?"). Training on those would score
the reader on what it was fitted to. A family is dropped when
- it is answerable and any of its accepted strings is an accepted string of a test, fresh or realdocs question
  (strings of four characters or more; shorter ones such as "25" say nothing about which fact is meant);
- it must not be answered and a wording of it is as close as MAX_SIMILARITY (MiniLM cosine) to a must-not-answer
  question of those sets.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from evals.questions.check_families import norm  # the same normalisation the checker matches sources with

SCORED = ("test", "fresh-a", "fresh-b", "real")
MAX_SIMILARITY = 0.75
MIN_CHARS = 4


def scored_strings() -> set[str]:
    from evals import question_sets

    return {norm(a) for s in SCORED for q in question_sets.load(s) for g in q["must"] for a in g
            if len(norm(a)) >= MIN_CHARS}


def shares_a_fact(family: list[dict[str, Any]], strings: set[str]) -> bool:
    return any(norm(a) in strings for q in family for g in q["must"] for a in g if len(norm(a)) >= MIN_CHARS)


def main(path: Path) -> None:
    import numpy as np

    from core.embeddings import Embedder
    from core.settings import Settings
    from evals import question_sets

    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    families: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        families.setdefault(r["family"], []).append(r)
    strings = scored_strings()
    declines = [q["question"] for s in SCORED for q in question_sets.load(s) if q["expect"] != "answered"]
    encode = Embedder(Settings()).encode
    scored = np.asarray(encode(declines))
    keep, dropped = [], []
    for fam, members in families.items():
        if members[0]["expect"] == "answered":
            apart = not shares_a_fact(members, strings)
        else:
            sims = np.asarray(encode([m["question"] for m in members])) @ scored.T
            apart = float(sims.max()) < MAX_SIMILARITY
        (keep if apart else dropped).append(fam)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for f in keep for r in families[f]),
                    encoding="utf-8")
    print(f"{path.name}: kept {len(keep)} families, dropped {len(dropped)}: {' '.join(dropped)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
