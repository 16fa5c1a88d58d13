"""Files in, chunks and records stored: incremental (unchanged files skipped), atomic per document."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core.components import Components
from core.glossary import GLOSSARY_FILE
from core.model import ParsedDocument
from core.store.index import document_row
from ingest import commitments
from ingest.chunking import chunk_document, doc_id_for
from ingest.errors import IngestError, PersonalDataError
from ingest.loaders import load, loader_for
from ingest.manifest import MANIFEST, manifest_entries
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


def discover(paths: Iterable[Path]) -> list[tuple[Path, dict]]:
    """Files to ingest with their manifest entries; folders are walked, hidden files and manifests skipped."""
    out: list[tuple[Path, dict]] = []
    for p in paths:
        p = p.expanduser()
        if p.is_dir():
            manifests: dict[Path, dict] = {}
            for folder in [p, *sorted(d for d in p.rglob("*") if d.is_dir())]:
                manifests.update(manifest_entries(folder))
            for f in sorted(x for x in p.rglob("*") if x.is_file()):
                if any(part.startswith(".") for part in f.relative_to(p).parts) or f.name == MANIFEST:
                    continue
                out.append((f, manifests.get(f.resolve(), {})))
        else:
            out.append((p, manifest_entries(p.parent).get(p.resolve(), {})))
    return out


def _apply_manifest(doc: ParsedDocument, entry: dict) -> None:
    for key in ("title", "kind", "version", "date", "url", "publisher"):
        if entry.get(key):
            setattr(doc, key, str(entry[key]))


PIPELINE_VERSION = "3"  # bump when loaders, chunking or record extraction change what a file yields


class Ingestor:
    def __init__(self, components: Components) -> None:
        self.c = components
        self.settings = components.settings
        self._glossary_sig = GLOSSARY_FILE.read_bytes() if GLOSSARY_FILE.exists() else b""

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
        if not path.exists():
            raise IngestError(str(path), "no such file or folder")
        size = path.stat().st_size
        if size > self.settings.max_file_mb * 1024 * 1024:
            raise IngestError(str(path), f"too large ({size / 1e6:.0f} MB; the limit is {self.settings.max_file_mb:g} MB"
                              ", set by WAYFINDER_MAX_FILE_MB)")
        loader_for(path)  # an unknown format is refused before the file is read
        data = path.read_bytes()
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
        fresh = self.c.embedder.encode([c.embed_text for c in todo])
        report.embed_seconds += time.perf_counter() - t0
        vecs = {**reuse, **dict(zip((c.id for c in todo), fresh, strict=True))}
        old_ids = set(index.chunk_ids(doc_id)) if old else set()
        new_only = [i for i in ids if i not in old_ids and i not in reuse]
        try:
            vectors_store.upsert(ids, [vecs[i] for i in ids], [c.text for c in chunks], [c.metadata for c in chunks])
            row = document_row(doc, doc_id, key, sha, size, len(chunks), self.settings.collection_name)
            index.replace_document(row, chunks, doc.records)
        except Exception:
            vectors_store.delete(new_only)  # the old version was never touched in SQLite
            raise
        vectors_store.delete(sorted(old_ids - set(ids)))
        report.chunks_embedded += len(todo)
        report.chunks_reused += len(reuse)
        report.chunks_stored += len(chunks)

    def run(self, paths: Iterable[Path], progress: bool | None = None) -> IngestReport:
        report = IngestReport()
        t0 = time.perf_counter()
        files = discover(paths)
        show = sys.stderr.isatty() if progress is None else progress
        bar = None
        if show:
            from tqdm import tqdm

            bar = tqdm(total=len(files), unit="file", desc="Ingesting", file=sys.stderr)
        for path, entry in files:
            try:
                self.ingest_file(path, entry, report)
            except IngestError as exc:
                report.errors.append(exc.line())
            except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
                report.errors.append(f"{path}: could not be ingested ({type(exc).__name__}: {exc})")
            if bar:
                bar.update(1)
        if bar:
            bar.close()
        report.seconds = time.perf_counter() - t0
        return report

    def remove(self, source: str) -> list[str]:
        """Remove documents matching a path, file name, or title. Returns what was removed."""
        index = self.c.index
        target = self.source_key(Path(source).expanduser())
        matches = [d for d in index.documents() if source in (d.path, d.source, d.title, d.doc_id)
                   or d.path == target]
        for d in matches:
            ids = index.chunk_ids(d.doc_id)
            index.delete_document(d.doc_id)
            self.c.vectors.delete(ids)
        return [d.path for d in matches]


def ensure_indexed(components: Components) -> None:
    """The CLI and the chat app work out of the box: an empty store gets the bundled corpus first."""
    if components.index.documents():
        return
    print("The store is empty: indexing the bundled corpus first…", file=sys.stderr)
    report = Ingestor(components).run([components.settings.corpus])
    for line in report.errors:
        print(f"error: {line}", file=sys.stderr)
