"""Bounded reading and hostile input: each kind refused by name with its place, and the other files still indexed."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.manifest import manifest_entries
from ingest.pipeline import Ingestor, discover
from ingest.reading import check_workbook, decode_text, read_bounded, safe_yaml
from tests.conftest import make_components

GOOD = "# Good notes\n\nThe Scottish Government holds the Children Looked After Statistics.\n"
LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))


def _bomb(size_mb: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, z.open("xl/worksheets/sheet1.xml", "w") as f:
        for _ in range(size_mb):
            f.write(b"\0" * (1 << 20))
    return buf.getvalue()


@pytest.mark.unit
def test_non_regular_files_are_refused_by_name_without_being_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("/dev/zero", tmp_path / "z.txt")
    t0 = time.monotonic()
    with pytest.raises(IngestError, match=r"not a regular file \(a named pipe \(FIFO\)\)"):
        read_bounded(tmp_path / "pipe.txt", 1000)
    with pytest.raises(IngestError, match=r"not a regular file \(a character device\)"):
        read_bounded(tmp_path / "z.txt", 1000)
    assert time.monotonic() - t0 < 1


@pytest.mark.unit
def test_size_is_bounded_and_links_are_explained(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 2000)
    with pytest.raises(IngestError, match="too large"):
        read_bounded(tmp_path / "big.txt", 1000)
    os.symlink("nowhere.md", tmp_path / "dangling.md")
    os.symlink("l2.md", tmp_path / "l1.md")
    os.symlink("l1.md", tmp_path / "l2.md")
    with pytest.raises(IngestError, match="broken symbolic link"):
        read_bounded(tmp_path / "dangling.md", 1000)
    with pytest.raises(IngestError, match="symbolic link loop"):
        read_bounded(tmp_path / "l1.md", 1000)


@pytest.mark.unit
def test_encodings_utf16_without_bom_and_nul_bytes():
    text = "Route map notes\n\nThe council holds data on kinship care.\n"
    assert decode_text(Path("a.txt"), text.encode("utf-16-le")) == text
    assert decode_text(Path("a.txt"), text.encode("utf-16-be")) == text
    assert decode_text(Path("a.txt"), text.encode("utf-16")) == text
    with pytest.raises(IngestError) as err:
        decode_text(Path("nul.csv"), b"title,custodian\nKinship\x00 census,Anytown Council\n")
    assert err.value.line() == ("nul.csv (line 2): holds 1 NUL byte, so it is not plain text; remove them (for "
                                "example with tr -d '\\000') and ingest it again")


@pytest.mark.unit
def test_workbook_bomb_refused_before_decompressing():
    t0 = time.monotonic()
    with pytest.raises(IngestError, match="zip bomb"):
        check_workbook(Path("bomb.xlsx"), _bomb(30), limit=1024 * 1024)
    check_workbook(Path("small.xlsx"), _bomb(1), limit=1024 * 1024)
    assert time.monotonic() - t0 < 10


@pytest.mark.unit
def test_yaml_aliases_and_deep_nesting_are_refused():
    import yaml

    t0 = time.monotonic()
    with pytest.raises(yaml.YAMLError, match="aliases"):
        safe_yaml(LAUGHS)
    with pytest.raises(yaml.YAMLError, match="nested too deeply"):
        safe_yaml("[" * 50000 + "]" * 50000)
    assert time.monotonic() - t0 < 5
    assert safe_yaml("documents:\n  - path: a.md\n") == {"documents": [{"path": "a.md"}]}


@pytest.mark.unit
@pytest.mark.parametrize(("text", "message"), [
    ("- path: a.md\n", "expected a mapping with a 'documents' list (found list)"),
    ("documents: [unclosed\n", "(line 2): not valid YAML"),
    ("documents:\n  - path: 5\n", "(entry 1): 'path' must be a file name (text); this entry was skipped"),
    ("documents:\n  - path: ../../etc/passwd\n", "must name a file inside the manifest's folder"),
    ("documents:\n  - title: No path\n", "an entry needs a 'path'"),
])
def test_a_bad_manifest_is_reported_and_never_raises(tmp_path, text, message):
    (tmp_path / "manifest.yaml").write_text(text)
    problems: list[str] = []
    assert manifest_entries(tmp_path, problems) == {}
    assert len(problems) == 1 and message in problems[0] and "manifest.yaml" in problems[0]


@pytest.mark.unit
@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a folder whatever its permissions")
def test_an_unreadable_folder_is_reported_and_the_walk_goes_on(tmp_path):
    (tmp_path / "ok.md").write_text(GOOD)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "x.md").write_text(GOOD)
    locked.chmod(0)
    try:
        problems: list[str] = []
        files = discover([tmp_path], problems)
        assert [f.name for f, _ in files] == ["ok.md"]
        assert any("locked: folder cannot be read" in p for p in problems)
    finally:
        locked.chmod(0o755)


@pytest.mark.integration
def test_a_folder_of_hostile_input_reports_each_file_and_indexes_the_good_ones(tmp_path, shared_embedder):
    root = tmp_path / "bad"
    root.mkdir()
    (root / "good.md").write_text(GOOD)
    for name, text in {"m-list": "- path: a.md\n", "m-invalid": "documents: [unclosed\n",
                       "m-path5": "documents:\n  - path: 5\n"}.items():
        (root / name).mkdir()
        (root / name / "manifest.yaml").write_text(text)
        (root / name / "a.md").write_text(GOOD.replace("Good", name))
    (root / "bomb.xlsx").write_bytes(_bomb(30))
    (root / "laughs.yaml").write_text(LAUGHS)
    os.symlink("/dev/zero", root / "z.txt")
    os.mkfifo(root / "pipe.txt")
    (root / "utf16.txt").write_bytes("Route map notes\n\nThe council holds data on kinship care.\n".encode("utf-16-le"))
    (root / "nul.csv").write_bytes(b"title,custodian\nKinship\x00 census,Anytown Council\n")
    os.symlink("loop2.md", root / "loop1.md")
    os.symlink("loop1.md", root / "loop2.md")
    os.symlink("missing.md", root / "dangling.md")
    (root / "deep.json").write_text("[" * 100000 + "]" * 100000)
    c = make_components(tmp_path / "store", shared_embedder, max_file_mb=1)
    t0 = time.monotonic()
    report = Ingestor(c).run([root], progress=False)
    assert time.monotonic() - t0 < 120
    errors = "\n".join(report.errors)
    for needle in ("m-list/manifest.yaml: expected a mapping", "m-invalid/manifest.yaml (line 2): not valid YAML",
                   "m-path5/manifest.yaml (entry 1): 'path' must be a file name", "bomb.xlsx: the workbook expands",
                   "laughs.yaml (line 2): not accepted as YAML (aliases", "z.txt: not a regular file (a character",
                   "pipe.txt: not a regular file (a named pipe", "nul.csv (line 2): holds 1 NUL byte",
                   "loop1.md: a symbolic link loop", "dangling.md: a broken symbolic link",
                   "deep.json: nested too deeply to read"):
        assert needle in errors, (needle, errors)
    assert "Traceback" not in errors and "RecursionError" not in errors
    indexed = sorted(d.path.removeprefix(str(root.resolve()) + "/") for d in c.index.documents())
    assert indexed == ["good.md", "m-invalid/a.md", "m-list/a.md", "m-path5/a.md", "utf16.txt"]
    assert c.index.lexical("kinship care")
