"""A folder's manifest.yaml: title, kind, publisher, version and original address for the files it lists.

A manifest is input like any other: when it is not a mapping with a ``documents`` list, or an entry is malformed,
the problem is reported with its place and the folder's files are still ingested (without those entries).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ingest.errors import IngestError
from ingest.reading import decode_text, read_bounded, safe_yaml

MANIFEST = "manifest.yaml"
MANIFEST_LIMIT = 1024 * 1024
FIELDS = ("path", "title", "kind", "version", "url", "publisher")


def manifest_entries(folder: Path, problems: list[str] | None = None) -> dict[Path, dict[str, Any]]:
    """Entries keyed by resolved file path; each problem is appended to ``problems`` as one line."""
    path = folder / MANIFEST
    if not path.exists() and not path.is_symlink():
        return {}
    report = problems if problems is not None else []
    try:
        data = safe_yaml(decode_text(path, read_bounded(path, MANIFEST_LIMIT)))
    except IngestError as exc:
        report.append(f"{exc.line()}; the folder's files are ingested without it")
        return {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        report.append(IngestError(str(path), f"not valid YAML ({reason}); the folder's files are ingested "
                                             "without it", where.strip(" ()")).line())
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("documents", []), list):
        report.append(IngestError(str(path), "expected a mapping with a 'documents' list (found "
                                             f"{type(data).__name__}); the folder's files are ingested without "
                                             "it").line())
        return {}
    out: dict[Path, dict[str, Any]] = {}
    for i, e in enumerate(data.get("documents") or [], start=1):
        bad = _entry_problem(e)
        if bad:
            report.append(IngestError(str(path), f"{bad}; this entry was skipped", f"entry {i}").line())
            continue
        out[(folder / e["path"]).resolve()] = {k: str(v) for k, v in e.items() if k in FIELDS and v is not None}
    return out


def _entry_problem(e: Any) -> str | None:  # noqa: ANN401
    if not isinstance(e, dict):
        return f"an entry must be a mapping, not {type(e).__name__}"
    p = e.get("path")
    if not isinstance(p, str) or not p.strip():
        return "'path' must be a file name (text)" if "path" in e else "an entry needs a 'path'"
    if Path(p).is_absolute() or ".." in Path(p).parts:
        return "'path' must name a file inside the manifest's folder"
    for k in FIELDS[1:]:
        if k in e and not isinstance(e[k], str | int | float | type(None)):
            return f"'{k}' must be text"
    return None
