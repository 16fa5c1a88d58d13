"""The store the evaluation and the fitting run on: the bundled corpus, plus ../shared/realdocs when it is there
(the real documents are read from where they lie, never copied into the project)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from core.components import Components
from core.settings import Settings
from evals.question_sets import REALDOCS

NOT_DOCUMENTS = {"README.md", "SOURCES.md", "questions.jsonl"}
QUESTIONS_DATED = dt.date(2026, 11, 22)  # "this year" in the questions means 2026


def eval_components(store: Path | None = None, realdocs: bool = True) -> Components:
    from ingest.pipeline import Ingestor

    base = Settings()
    settings = base.model_copy(update={"store": store or base.store.parent / "eval-store",
                                       "today": base.today or QUESTIONS_DATED})
    components = Components(settings)
    paths = [settings.corpus]
    if realdocs and REALDOCS.is_dir():  # the documents, not the folder's own notes and questions
        paths += sorted(p for p in REALDOCS.iterdir() if p.is_file() and p.name not in NOT_DOCUMENTS)
    report = Ingestor(components).run(paths)
    if report.added or report.updated:
        print(f"eval store {settings.store}: {len(report.added)} added, {len(report.updated)} updated",
              file=sys.stderr)
    for line in report.errors:
        print(f"eval store: {line}", file=sys.stderr)
    return components
