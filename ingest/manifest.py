"""A folder's manifest.yaml: title, kind, publisher, version and original address for the files it lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MANIFEST = "manifest.yaml"


def manifest_entries(folder: Path) -> dict[Path, dict[str, Any]]:
    path = folder / MANIFEST
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {(folder / e["path"]).resolve(): e for e in data.get("documents", []) if "path" in e}
