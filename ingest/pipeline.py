"""Files in, chunks and records stored: incremental (unchanged files skipped), atomic per document."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core.components import Components
from core.glossary import GLOSSARY_FILE
from core.model import ParsedDocument
from core.store.index import DocumentRow, document_row
from core.store.lock import writer_lock
from ingest import commitments
from ingest.chunking import chunk_document, doc_id_for
from ingest.errors import IngestError, PersonalDataError, printable
from ingest.loaders import load, loader_for
from ingest.manifest import MANIFEST, manifest_entries
from ingest.reading import check_workbook, decode_text, read_bounded, safe_yaml
from ingest.screening import screen


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_reused: int = 0
    chunks_stored: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors


def discover(paths: Iterable[Path], problems: list[str] | None = None) -> list[tuple[Path, dict]]:
    """Files to ingest with their manifest entries. Folders are walked without following links to folders; hidden
    files and manifests are skipped; an unreadable folder, a broken link or a link loop is appended to
    ``problems`` as one line, and the walk goes on."""
    report = problems if problems is not None else []
    out: list[tuple[Path, dict]] = []
    for p in paths:
        p = p.expanduser()
        if p.is_dir():
            out.extend(_walk(p, report))
        else:
            out.append((p, manifest_entries(p.parent, report).get(p.resolve(), {})))
    return out


def _walk(root: Path, report: list[str]) -> list[tuple[Path, dict]]:
    found: list[tuple[Path, dict]] = []

    def unreadable(err: OSError) -> None:
        report.append(IngestError(str(err.filename or root), f"folder cannot be read ({err.strerror}); "
                                                             "its files were skipped").line())

    for folder, dirs, files in os.walk(root, onerror=unreadable):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in dirs:
            if (here / d).is_symlink():
                report.append(IngestError(str(here / d), "a link to a folder; links to folders are not followed "
                                                         "(ingest the folder itself)").line())
        entries = manifest_entries(here, report)
        for name in sorted(files):
            f = here / name
            if name.startswith(".") or name == MANIFEST:
                continue
            if f.is_symlink():
                try:
                    f.resolve(strict=True)
                except FileNotFoundError:
                    report.append(IngestError(str(f), "a broken symbolic link (its target does not exist)").line())
                    continue
                except (RuntimeError, OSError):
                    report.append(IngestError(str(f), "a symbolic link loop").line())
                    continue
            found.append((f, entries.get(f.resolve(), {})))
    return found


def _check_yaml(path: Path, data: bytes) -> None:
    """Refuse YAML aliases and runaway nesting before a loader expands them."""
    try:
        safe_yaml(decode_text(path, data))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise IngestError(str(path), f"not accepted as YAML ({reason})",
                          f"line {mark.line + 1}" if mark is not None else "") from None


def _explain(exc: BaseException) -> str:
    """A readable line for failures no loader anticipated (never a bare Python error name)."""
    if isinstance(exc, RecursionError):
        return "nested too deeply to read (thousands of levels of brackets or lists); nothing was stored"
    if isinstance(exc, MemoryError):
        return "too large to read in memory; nothing was stored"
    if isinstance(exc, sqlite3.OperationalError):
        return (f"the store could not be written ({exc}); check the disk has space and the store folder is "
                "writable, then run `wayfinder check --repair`")
    if isinstance(exc, OSError):
        return f"could not be read ({exc.strerror or exc})"
    return f"could not be ingested ({type(exc).__name__}: {exc})"


def _apply_manifest(doc: ParsedDocument, entry: dict) -> None:
    for key in ("title", "kind", "version", "date", "url", "publisher"):
        if entry.get(key):
            setattr(doc, key, str(entry[key]))


EMBED_SLICE = 128  # chunks per encode call: at ~30 chunks/s on two cores the bar moves every few seconds
PIPELINE_VERSION = "4"  # bump when loaders, chunking or record extraction change what a file yields


class Ingestor:
    def __init__(self, components: Components) -> None:
        self.c = components
        self.settings = components.settings
        self._glossary_sig = GLOSSARY_FILE.read_bytes() if GLOSSARY_FILE.exists() else b""
        self._lock_depth = 0
        self._show = False  # progress bars, set per run
        self.finished_removals: list[str] = []

    def source_key(self, path: Path) -> str:
        """A document's identity: its absolute path, except that the bundled corpus is keyed relative to its folder,
        so moving or re-cloning the checkout does not index it twice."""
        resolved = path.resolve()
        corpus = self.settings.corpus.resolve()
        if resolved.is_relative_to(corpus):
            return f"bundled:{resolved.relative_to(corpus).as_posix()}"
        return str(resolved)

    def parse(self, path: Path, data: bytes, entry: dict) -> ParsedDocument:
        doc = load(path, data)
        _apply_manifest(doc, entry)
        findings = screen(doc, path.name)
        if findings:
            detail = "; ".join(f"{f.kind} at {f.where}" for f in findings[:5])
            more = f" and {len(findings) - 5} more" if len(findings) > 5 else ""
            shown = str(path)
            if any(f.where == "file name" for f in findings):  # the name itself would repeat the value
                shown = f"{path.parent}/<file name withheld, inode {path.stat().st_ino}>"
            raise PersonalDataError(shown, f"refused: personal data found ({detail}{more}); nothing was stored")
        doc.records.extend(commitments.extract(doc, self.c.glossary))
        return doc

    def ingest_file(self, path: Path, entry: dict, report: IngestReport) -> None:
        limit = int(self.settings.max_file_mb * 1024 * 1024)
        if not path.exists() and not path.is_symlink():
            raise IngestError(str(path), "no such file or folder")
        if not path.is_dir():
            loader_for(path)  # an unknown format is refused before the file is read
        data = read_bounded(path, limit)  # regular files only, never more than the limit
        size = len(data)
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            check_workbook(path, data, limit)
        elif suffix in (".yaml", ".yml"):
            _check_yaml(path, data)
        # The signature covers the file, the extraction code's version and the glossary that normalises names,
        # so a change to any of them re-ingests while an unchanged corpus is skipped.
        sha = hashlib.sha256(data + PIPELINE_VERSION.encode() + self._glossary_sig).hexdigest()
        key = self.source_key(path)
        doc_id = doc_id_for(key)
        index = self.c.index
        old = index.document(doc_id=doc_id)
        if old and old.sha256 == sha and old.collection == self.settings.collection_name:
            report.unchanged.append(str(path))
            return
        doc = self.parse(path, data, entry)
        for w in doc.warnings:
            report.errors.append(f"{path} ({w})")
        base = {"doc_id": doc_id, "source": path.name, "title": doc.title, "kind": doc.kind,
                "version": doc.version, "date": doc.date, "url": doc.url}
        chunks = chunk_document(doc, doc_id, base, limit=self.settings.chunk_tokens)
        if not chunks:
            raise IngestError(str(path), "no text found to index")
        glossary = self.c.glossary
        for ch in chunks:
            ch.metadata["orgs"] = "|".join(glossary.organisations(ch.text))
        self._store(doc, doc_id, key, sha, size, chunks, old, report)
        (report.updated if old else report.added).append(str(path))

    def _store(self, doc, doc_id, key, sha, size, chunks, old, report) -> None:  # noqa: ANN001
        vectors_store, index = self.c.vectors, self.c.index
        ids = [c.id for c in chunks]
        reuse = vectors_store.existing_vectors(ids)
        todo = [c for c in chunks if c.id not in reuse]
        t0 = time.perf_counter()
        fresh = self._embed([c.embed_text for c in todo], Path(key).name)
        report.embed_seconds += time.perf_counter() - t0
        vecs = {**reuse, **dict(zip((c.id for c in todo), fresh, strict=True))}
        old_ids = set(index.chunk_ids(doc_id)) if old else set()
        new_only = [i for i in ids if i not in old_ids and i not in reuse]
        retired = sorted(old_ids - set(ids))
        # Noted before Chroma is touched: if we die between the two stores, the next writer deletes whichever of
        # these vectors SQLite does not hold.
        index.add_intents(new_only, "adding", key)
        try:
            vectors_store.upsert(ids, [vecs[i] for i in ids], [c.text for c in chunks], [c.metadata for c in chunks])
            row = document_row(doc, doc_id, key, sha, size, len(chunks), self.settings.collection_name)
            index.replace_document(row, chunks, doc.records, retire=retired)
        except Exception:
            vectors_store.delete(new_only)  # the old version was never touched in SQLite
            index.clear_intents(new_only)
            raise
        vectors_store.delete(retired)
        index.clear_intents([*new_only, *retired])
        report.chunks_embedded += len(todo)
        report.chunks_reused += len(reuse)
        report.chunks_stored += len(chunks)

    def _embed(self, texts: list[str], name: str) -> list[list[float]]:
        """Encode in slices so a large file (200k rows, tens of thousands of chunks) shows a bar that moves over
        chunks, not one silent call that looks stalled for minutes. Nothing is written until all are encoded."""
        bar = None
        if self._show and len(texts) > EMBED_SLICE:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), unit="chunk", desc=f"Embedding {printable(name)}", leave=False,
                       file=sys.stderr)
        out: list[list[float]] = []
        try:
            for i in range(0, len(texts), EMBED_SLICE):
                part = texts[i:i + EMBED_SLICE]
                out.extend(self.c.embedder.encode(part))
                if bar:
                    bar.update(len(part))
        finally:
            if bar:
                bar.close()
        return out

    @contextlib.contextmanager
    def writing(self, what: str) -> Iterator[list[str]]:
        """Hold the store's writer lock (re-entrant within this Ingestor) and first finish any write a killed
        process left half done. Yields the documents whose interrupted removal or replacement was finished."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield []
            finally:
                self._lock_depth -= 1
            return
        with writer_lock(self.settings.store, what, self.settings.lock_timeout):
            self._lock_depth = 1
            try:
                yield self.finish_interrupted()
            finally:
                self._lock_depth = 0

    def finish_interrupted(self) -> list[str]:
        """Delete the vectors that recorded intents say must go (those SQLite does not hold), then the intents."""
        index = self.c.index
        pending = index.intents()
        if not pending:
            return []
        held = index.all_chunk_ids()
        self.c.vectors.delete(sorted({i for i, _, _ in pending if i not in held}))
        index.clear_intents([i for i, _, _ in pending])
        return sorted({doc for _, reason, doc in pending if reason == "removed"})

    def run(self, paths: Iterable[Path], progress: bool | None = None) -> IngestReport:
        with self.writing("ingest"):
            return self._run(paths, progress)

    def _run(self, paths: Iterable[Path], progress: bool | None = None) -> IngestReport:
        report = IngestReport()
        t0 = time.perf_counter()
        files = discover(paths, report.errors)
        show = self._show = sys.stderr.isatty() if progress is None else progress
        bar = None
        if show:
            from tqdm import tqdm

            bar = tqdm(total=len(files), unit="file", desc="Ingesting", file=sys.stderr)
        for done, (path, entry) in enumerate(files):
            try:
                self.ingest_file(path, entry, report)
            except KeyboardInterrupt:
                # Ctrl-C: vectors of a half-written file are noted as intents; undo them now, while we still hold
                # the lock, so the store is exactly as before this file (if this is cut short too, the next writer
                # finishes it).
                self.finish_interrupted()
                left = len(files) - done - 1
                report.errors.append(IngestError(str(path), "interrupted; this file was not stored" + (
                    f" and {left} more file{'s were' if left > 1 else ' was'} not read" if left else "")).line())
                break
            except IngestError as exc:
                report.errors.append(exc.line())
            except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
                report.errors.append(IngestError(str(path), _explain(exc)).line())
            if bar:
                bar.update(1)
        if bar:
            bar.close()
        report.seconds = time.perf_counter() - t0
        return report

    def matches(self, source: str) -> list[DocumentRow]:
        """Documents a user's SOURCE names: by identity first (its path, resolved path, store key or id); only
        when nothing has that identity, by file name or title. More than one match is ambiguous."""
        docs = self.c.index.documents()
        target = self.source_key(Path(source).expanduser())
        exact = [d for d in docs if source in (d.path, d.doc_id) or d.path == target]
        if exact:
            return exact
        return [d for d in docs if source in (d.source, d.title)]

    def remove(self, source: str) -> list[str]:
        """Remove the one document SOURCE names; raises AmbiguousSource (removing nothing) when it names several.

        SQLite drops the document and records its vector ids in one transaction; the vectors go next and the note
        last, so a kill at any point leaves either the whole document or a note the next writer finishes."""
        with self.writing("remove") as finished:
            self.finished_removals = finished
            found = self.matches(source)
            if len(found) > 1:
                raise AmbiguousSource(source, found)
            for d in found:
                ids = self.c.index.delete_document(d.doc_id)
                self.c.vectors.delete(ids)
                self.c.index.clear_intents(ids)
            return [d.path for d in found]


class AmbiguousSource(Exception):
    """A name that several documents answer to: the caller lists them and removes none."""

    def __init__(self, source: str, matches: list[DocumentRow]) -> None:
        self.source, self.matches = source, matches
        super().__init__(f"{source!r} names {len(matches)} documents")


def ensure_indexed(components: Components) -> None:
    """The CLI and the chat app work out of the box: an empty store gets the bundled corpus first."""
    if components.index.documents():
        return
    print("The store is empty: indexing the bundled corpus first…", file=sys.stderr)
    report = Ingestor(components).run([components.settings.corpus])
    for line in report.errors:
        print(f"error: {line}", file=sys.stderr)
