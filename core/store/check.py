"""`wayfinder check [--repair]`: SQLite (the authority) against Chroma and against its own lexical index.

Finds vectors missing for stored chunks, unreadable vectors, orphan vectors no chunk owns, stale or missing FTS5
postings, chunk counts that disagree, and unfinished removals; --repair fixes each (re-embedding only what is
missing) and a damaged SQLite file is moved aside so the store can be rebuilt by ingesting again.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass, field

from core.components import Components
from core.store.index import IndexDamaged, SqliteIndex


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def move_damaged_index(components: Components) -> CheckReport:
    """The SQLite file cannot be opened: keep it aside for inspection and empty the collection its chunks owned."""
    report = CheckReport()
    path = components.settings.index_path
    aside = path.with_name(f"{path.name}.damaged-{dt.datetime.now():%Y%m%d-%H%M%S}")
    for suffix in ("", "-wal", "-shm"):
        src = path.with_name(path.name + suffix)
        if src.exists():
            shutil.move(src, aside.with_name(aside.name + suffix))
    report.problems.append(f"the index could not be read; it was moved to {aside}")
    vectors = components.vectors
    n = vectors.count()
    vectors.client.delete_collection(vectors.name)
    report.repairs.append(f"moved the damaged index aside and emptied the vector collection ({n} vectors); "
                          "run `wayfinder ingest` on your documents to rebuild")
    return report


def check_store(components: Components, repair: bool = False) -> CheckReport:
    """Compare the stores; with ``repair``, make Chroma and FTS5 agree with the SQLite tables."""
    report = CheckReport()
    index: SqliteIndex = components.index
    vectors = components.vectors
    quick = index.quick_check()
    if quick != "ok":
        report.problems.append(f"SQLite integrity check: {quick}")
    pending = index.intents()
    held = index.all_chunk_ids()
    if pending:
        report.problems.append(f"{len(pending)} vector deletions left by an interrupted ingest or remove")
        if repair:
            vectors.delete(sorted({i for i, _, _ in pending if i not in held}))
            index.clear_intents([i for i, _, _ in pending])
            report.repairs.append(f"finished {len(pending)} interrupted vector deletions")
    in_chroma = vectors.all_ids()
    orphans = sorted(in_chroma - held)
    missing = sorted(held - in_chroma)
    unreadable = vectors.unreadable(sorted(held & in_chroma))
    stale, unindexed = index.fts_health()
    integrity = index.fts_integrity()
    counts_off = index.chunk_counts()
    report.counts = {"documents": len(index.documents()), "chunks": len(held), "vectors": len(in_chroma),
                     "orphan vectors": len(orphans), "missing vectors": len(missing),
                     "unreadable vectors": len(unreadable), "stale postings": stale, "unindexed chunks": unindexed}
    if orphans:
        report.problems.append(f"{len(orphans)} orphan vectors (in Chroma, no chunk in SQLite)")
    if missing:
        report.problems.append(f"{len(missing)} chunks without a vector")
    if unreadable:
        report.problems.append(f"{len(unreadable)} vectors Chroma lists but cannot read")
    if stale or unindexed or integrity:
        report.problems.append(f"lexical index: {stale} stale postings, {unindexed} chunks not indexed"
                               + (f" ({integrity})" if integrity else ""))
    for _, path, recorded, present in counts_off:
        report.problems.append(f"{path}: {recorded} chunks recorded, {present} stored")
    if not repair:
        return report
    if orphans:
        vectors.delete(orphans)
        report.repairs.append(f"deleted {len(orphans)} orphan vectors")
    redo = sorted(set(missing) | set(unreadable))
    if redo:
        vectors.delete(unreadable)
        chunks = index.chunks(redo)
        ids = [i for i in redo if i in chunks]
        fresh = components.embedder.encode([chunks[i].embed_text for i in ids])
        vectors.upsert(ids, [list(v) for v in fresh], [chunks[i].text for i in ids], [chunks[i].meta for i in ids])
        report.repairs.append(f"re-embedded {len(ids)} chunks")
    if stale or unindexed or integrity:
        index.rebuild_fts()
        report.repairs.append("rebuilt the lexical index")
    if counts_off:
        with index.conn as c:
            for doc_id, _, _, present in counts_off:
                c.execute("UPDATE documents SET n_chunks=? WHERE doc_id=?", (present, doc_id))
        report.repairs.append(f"corrected the chunk count of {len(counts_off)} documents")
    return report


def report_json(report: CheckReport) -> str:
    return json.dumps({"ok": report.ok, "problems": report.problems, "repairs": report.repairs,
                       "counts": report.counts}, indent=2)


__all__ = ["CheckReport", "IndexDamaged", "check_store", "move_damaged_index", "report_json"]
