"""PDF: pypdf reads the text, pages, labels and outline; pdfplumber finds ruled tables.

Published PDFs are laid out for print, not for reading in order. Each text fragment is kept with its position and font
size so that: running headers, footers and page numbers (repeated in the page margins) are dropped; contents pages and
dot leaders are dropped; two-column pages are read column by column; headings come from the outline or from a font
larger than the body text, never from a line merely being short; rotated chart labels are dropped. Ruled tables come
from pdfplumber's table finder (measured against the old column-alignment detector on real PDFs: see
tests/ingest/test_pdf_layout.py); each row becomes one block that names its columns.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from core.model import Block, ParsedDocument
from core.text import clean
from ingest.errors import IngestError
from ingest.loaders.text import is_noise

MARGIN = 0.085  # share of the page height at top and bottom where running headers and footers sit
_BULLET = re.compile(r"^\s*(?:[•●▪◦■□➢►‣∙·o\-–](?=\s)|\uf0b7|\uf0a7)")
_NUMBERED = re.compile(r"^\d{1,3}\.\s+[A-Z]")  # a numbered paragraph ("15. CCGs are...") starts a new block
_DOTS = re.compile(r"(?:\.\s?){4,}|…{2,}|_{4,}")
_TOC_LINE = re.compile(r"^(?:[\dA-Z]{1,3}(?:\.\d+)*\.?\s+)?\D.{1,120}?\s+(?:\d{1,3}|[ivxlc]{1,6})$", re.I)
_CONTENTS = re.compile(r"^(?:table of )?contents$", re.I)
_LABEL_NO = re.compile(r"^\d{1,2}$")
_PAGE_NO = re.compile(r"^(?:page\s+)?(\d{1,4}|[ivxlc]{1,6})(?:\s+of\s+\d+)?$", re.I)


@dataclass
class _Line:
    x: float
    y: float  # baseline, PDF coordinates (up is larger)
    size: float
    text: str = ""


@dataclass
class _Table:
    top: float  # PDF y of the table's top edge
    x: float
    header: list[str]
    rows: list[list[str]]
    page: int
    label: str
    header_inherited: bool = False
    groups: list[str] = field(default_factory=list)  # each row's group label, if the table has them


@dataclass
class _Page:
    number: int
    label: str
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    tables: list[_Table] = field(default_factory=list)
    gutter: float | None = None


# ------------------------------------------------------------------------------------------------ text fragments
def _fragments(page, number: int, src: str) -> list[_Line]:  # noqa: ANN001 - a pypdf PageObject
    """Lines of a page as pypdf writes them, each with the position and size of its first visible fragment."""
    lines: list[_Line] = []
    cur: list[_Line] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        a, b, c, d, e, f = tm
        A, B, C, D, E, F = cm
        x, y = e * A + f * C + E, e * B + f * D + F
        xa, xb = a * A + b * C, a * B + b * D  # the text direction
        scale = (xa * xa + xb * xb) ** 0.5
        rotated = abs(xb) > 0.05 * max(abs(xa), 1e-6)
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i > 0 and cur:
                lines.append(cur.pop())
            if not part:
                continue
            if rotated:
                continue  # chart axis labels and side captions: not reading text
            if cur and part.strip() and (abs(cur[-1].y - y) > max(cur[-1].size, 1) * 0.6 or x < cur[-1].x - 1
                                         and abs(cur[-1].y - y) > 0.5):
                lines.append(cur.pop())
            if not cur:
                if not part.strip():
                    continue
                cur.append(_Line(x, y, round(size * scale, 1), part))
            else:
                cur[-1].text += part
                if part.strip() and cur[-1].text.strip() == part.strip():
                    cur[-1].x, cur[-1].y = x, y

    try:
        page.extract_text(visitor_text=visit)
    except Exception as exc:  # noqa: BLE001 - pypdf raises assorted errors for damaged pages
        raise IngestError(src, f"text could not be read ({type(exc).__name__}: {exc})", f"page {number}") from None
    if cur:
        lines.append(cur.pop())
    out = []
    for ln in lines:
        ln.text = clean(ln.text)
        if ln.text:
            out.append(ln)
    return out


# ------------------------------------------------------------------------------------------------ tables
def _is_bold_or_shaded(plumb_page, bbox: tuple[float, float, float, float]) -> bool:  # noqa: ANN001
    x0, top, x1, bottom = bbox
    chars = [c for c in plumb_page.chars if x0 <= c["x0"] <= x1 and top <= c["top"] <= bottom and c["text"].strip()]
    if chars and all("bold" in (c.get("fontname") or "").lower() for c in chars):
        return True
    for r in plumb_page.rects:
        color = r.get("non_stroking_color")
        if not r.get("fill") or color is None:
            continue
        vals = color if isinstance(color, list | tuple) else [color]
        white = all(isinstance(v, int | float) and v >= 0.97 for v in vals) or len(vals) == 4 and not any(vals)
        overlap_w = min(x1, r["x1"]) - max(x0, r["x0"])
        overlap_h = min(bottom, r["bottom"]) - max(top, r["top"])
        if not white and overlap_w > 0.5 * (x1 - x0) and overlap_h > 0.5 * (bottom - top):
            return True
    return False


def _cell_text(text: str | None) -> str:
    if not text:
        return ""
    return clean(re.sub(r"-\n(?=[a-z])", "-", text).replace("\n", " "))


def _normalise_table(plumb_page, table) -> tuple[list[str], list[list[str]], list[str]] | None:  # noqa: ANN001
    """pdfplumber's grid into (header, rows, group labels): spanned cells mapped onto the data columns, rows whose
    first cell is covered from above merged into the row above (a multi-line cell or a two-line header)."""
    raw = table.extract()
    if not raw:
        return None
    width = max(len(r) for r in raw)
    # The data columns: the span pattern most rows share (a spanned cell is followed by None).
    patterns: Counter[tuple[int, ...]] = Counter()
    for r in raw:
        starts = tuple(i for i, c in enumerate(r) if c is not None)
        if sum(1 for c in r if c) >= 2:
            patterns[starts] += 1
    if not patterns:
        return None
    starts = list(max(patterns, key=lambda p: (patterns[p], len(p))))
    spans = [(s, starts[i + 1] if i + 1 < len(starts) else width) for i, s in enumerate(starts)]

    def col_of(i: int) -> int:
        return next(k for k, (a, b) in enumerate(spans) if a <= i < b) if i >= spans[0][0] else 0

    merged: list[list[str]] = []
    spanning: list[bool] = []  # one filled cell spanning several columns: a group label ("Stage 1:")
    for r in raw:
        cells = [""] * len(spans)
        for i, c in enumerate(r):
            t = _cell_text(c)
            if t:
                k = col_of(i)
                cells[k] = f"{cells[k]} {t}".strip()
        first_covered = r[0] is None
        if first_covered and merged:
            merged[-1] = [f"{a} {b}".strip() for a, b in zip(merged[-1], cells, strict=True)]
            continue
        if any(cells):
            merged.append(cells)
            filled = [i for i, c in enumerate(r) if c]
            spanning.append(len(filled) == 1 and filled[0] + 1 < len(r) and r[filled[0] + 1] is None
                            and col_of(filled[0]) != col_of(filled[0] + 1) if filled[0] + 1 < len(r) else False)
    used = [k for k in range(len(spans)) if any(row[k] for row in merged)]
    merged = [[row[k] for k in used] for row in merged]
    if len(used) < 2 or not merged:
        return None
    header: list[str] = []
    first = merged[0]
    row0 = table.rows[0].bbox if table.rows else table.bbox
    if (len(merged) >= 2 and sum(1 for c in first if c) >= 2 and all(len(c) <= 60 for c in first)
            and _is_bold_or_shaded(plumb_page, row0)):
        header = first
        merged, spanning = merged[1:], spanning[1:]
    rows: list[list[str]] = []
    label = ""
    out_groups: list[str] = []
    for row, span in zip(merged, spanning, strict=True):
        if span and len(merged) > 2:
            label = next(c for c in row if c)
            continue
        rows.append(row)
        out_groups.append(label)
    return header, rows, out_groups


def _tables(plumb_page, page: _Page) -> list[tuple[float, float, float, float]]:  # noqa: ANN001
    """Ruled tables of one page (added to ``page.tables``); returns their boxes so their text leaves the prose."""
    objs = plumb_page.objects
    if sum(len(objs.get(k, [])) for k in ("line", "rect", "curve")) < 4:
        return []  # no ruling at all: no ruled table
    boxes = []
    for t in plumb_page.find_tables():
        norm = _normalise_table(plumb_page, t)
        if norm is None:
            continue
        header, rows, groups = norm
        x0, top, x1, bottom = t.bbox
        page.tables.append(_Table(page.height - top, x0, header, rows, page.number, page.label, groups=groups))
        boxes.append(t.bbox)
    return boxes


# ------------------------------------------------------------------------------------------------ page layout
def _gutter(lines: list[_Line], width: float) -> float | None:
    """The x where a second text column starts, when the page has two: many lines start there, beside lines of the
    first column on the same baseline."""
    if len(lines) < 8:
        return None
    starts = Counter(round(ln.x / 3) * 3 for ln in lines if 0.3 * width < ln.x < 0.7 * width)
    if not starts:
        return None
    x, n = starts.most_common(1)[0]
    if n < 5:
        return None
    right = [ln for ln in lines if abs(ln.x - x) <= 4]
    left = [ln for ln in lines if ln.x < x - 20]
    beside = sum(1 for r in right if any(abs(r.y - lf.y) < 3 for lf in left))
    long_left = sum(1 for lf in left if len(lf.text) >= 25)
    return x - 4 if beside >= 3 and long_left >= 3 else None


def _order(page: _Page) -> list[_Line | _Table]:
    """Reading order: top to bottom, the left column before the right one on two-column pages."""
    items: list[_Line | _Table] = [*page.lines, *page.tables]
    g = page.gutter

    def key(it: _Line | _Table) -> tuple[int, float, float]:
        y = it.top if isinstance(it, _Table) else it.y
        col = 1 if g is not None and it.x >= g else 0
        return (col, -round(y, 0), it.x)

    return sorted(items, key=key)


def _page_label(reader: PdfReader, index: int, margin_numbers: dict[int, str]) -> str:
    """The number printed on the page: the PDF's page labels if it has them, else a page number found in the page's
    margin, else none."""
    try:
        has_labels = "/PageLabels" in reader.trailer["/Root"]
    except Exception:  # noqa: BLE001
        has_labels = False
    if has_labels:
        try:
            return str(reader.page_labels[index])
        except Exception:  # noqa: BLE001
            return ""
    return margin_numbers.get(index + 1, "")


def _locator(page: int, label: str) -> str:
    return f"page {page}" if not label or label == str(page) else f"page {label} (PDF page {page})"


def _outline_titles(reader: PdfReader) -> set[str]:
    titles: set[str] = set()

    def walk(items: list) -> None:
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                t = clean(str(getattr(it, "title", "") or ""))
                if t:
                    titles.add(t.lower())

    try:
        walk(reader.outline)
    except Exception:  # noqa: BLE001 - a broken outline is no reason to refuse the text
        return set()
    return titles


# ------------------------------------------------------------------------------------------------ the loader
def _open(src: str, data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(src, "the PDF is encrypted and needs a password; ingest an unencrypted copy")
        _ = len(reader.pages)
        return reader
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(src, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # pypdf raises assorted errors for damaged files  # noqa: BLE001
        if "crypt" in str(exc).lower() or "password" in str(exc).lower():
            raise IngestError(src, "the PDF is encrypted and needs a password; ingest an unencrypted copy") from None
        raise IngestError(src, f"not a readable PDF ({type(exc).__name__}: {exc})") from None


def _read_pages(reader: PdfReader, data: bytes, src: str, dropped: list[str]) -> list[_Page]:
    import pdfplumber

    pages: list[_Page] = []
    for i, p in enumerate(reader.pages):
        box = p.mediabox
        pg = _Page(i + 1, "", float(box.width), float(box.height))
        pg.lines = [ln for ln in _fragments(p, i + 1, src)]
        for ln in pg.lines:  # coordinates relative to the page box
            ln.x -= float(box.left)
            ln.y -= float(box.bottom)
        pages.append(pg)
    # Running headers and footers: margin lines repeated on many pages (digits ignored); page numbers.
    def norm(t: str) -> str:
        return re.sub(r"\d+", "#", t.lower())

    in_margin = Counter()
    for pg in pages:
        seen = {norm(ln.text) for ln in pg.lines if ln.y > pg.height * (1 - MARGIN) or ln.y < pg.height * MARGIN}
        in_margin.update(seen)
    repeated = {t for t, n in in_margin.items() if n >= 3 and n >= 0.25 * len(pages)}
    margin_numbers: dict[int, str] = {}
    dropped_running: Counter[str] = Counter()
    for pg in pages:
        keep = []
        for ln in pg.lines:
            margin = ln.y > pg.height * (1 - MARGIN) or ln.y < pg.height * MARGIN
            m = _PAGE_NO.match(ln.text)
            if margin and m:
                margin_numbers.setdefault(pg.number, m.group(1))
                continue
            if margin and norm(ln.text) in repeated:
                dropped_running[ln.text if not re.search(r"\d", ln.text) else norm(ln.text)] += 1
                continue
            keep.append(ln)
        pg.lines = keep
    for t, n in dropped_running.most_common():
        dropped.append(f"running header or footer on {n} pages: “{t}”")
    for pg in pages:
        pg.label = _page_label(reader, pg.number - 1, margin_numbers)
    # Tables: pdfplumber's finder on each page; text inside a table leaves the prose.
    with pdfplumber.open(io.BytesIO(data)) as plumb:
        for pg, pp in zip(pages, plumb.pages, strict=False):
            try:
                boxes = _tables(pp, pg)
            except Exception as exc:  # noqa: BLE001 - a table the finder cannot read stays as text
                dropped.append(f"page {pg.number}: table finder failed ({type(exc).__name__}); its text kept as prose")
                boxes = []
            if boxes:
                def inside(ln: _Line, pg: _Page = pg, boxes: list = boxes) -> bool:
                    top = pg.height - ln.y
                    return any(x0 - 2 <= ln.x <= x1 + 2 and t - 2 <= top <= b + 3 for x0, t, x1, b in boxes)

                pg.lines = [ln for ln in pg.lines if not inside(ln)]
            pp.flush_cache()
    for pg in pages:
        pg.gutter = _gutter(pg.lines, pg.width)
    return pages


def load(path: Path, data: bytes) -> ParsedDocument:
    src = str(path)
    reader = _open(src, data)
    meta_title = ""
    try:
        meta_title = clean(str(reader.metadata.title or "")) if reader.metadata else ""
    except Exception:  # noqa: BLE001
        meta_title = ""
    doc = ParsedDocument(source=src, title="", kind="other")
    pages = _read_pages(reader, data, src, doc.dropped)
    sizes: Counter[float] = Counter()
    for pg in pages:
        for ln in pg.lines:
            sizes[ln.size] += len(ln.text)
    if not sizes:
        raise IngestError(src, "the PDF has no extractable text (a scanned image?); ingest a text PDF")
    body = sizes.most_common(1)[0][0]
    outline = _outline_titles(reader)
    largest = max((s for s, n in sizes.items() if n >= 10), default=body)
    if not meta_title or meta_title.lower() in ("untitled", "microsoft word", "title"):
        first = [ln for ln in pages[0].lines if ln.size >= largest - 0.5] or pages[0].lines
        meta_title = clean(" ".join(ln.text for ln in sorted(first, key=lambda ln: -ln.y)[:3]))[:150]
    doc.title = meta_title or path.stem
    _flow(doc, pages, body, outline)
    _drop_diagram_labels(doc)
    if not any(b.text for b in doc.blocks):
        raise IngestError(src, "the PDF has no extractable text (a scanned image?); ingest a text PDF")
    return doc


def _flow(doc: ParsedDocument, pages: list[_Page], body: float, outline: set[str]) -> None:
    """Lines in reading order into headings, paragraphs, list items and table rows."""
    heads: list[tuple[float, str]] = []  # (font size, heading): a larger heading closes smaller ones
    unconfirmed: list[str] = []  # headings set on this page with no text under them yet
    para: list[str] = []
    para_kind = "para"
    para_page: tuple[int, str] = (0, "")
    last: _Line | None = None
    pending_head: list[str] = []
    pending_size = 0.0
    contents_pages: set[int] = set()
    n_tables = 0
    prev_table: _Table | None = None

    def section() -> tuple[str, ...]:
        return (doc.title, *[h for _, h in heads])

    para_label: list[str] = []
    item_x = 0.0

    def flush() -> None:
        nonlocal para
        if para:
            text = clean(_join(para))
            if para_label:
                text = f"{clean(' '.join(para_label))}: {text}"
                para_label.clear()
            if text and not is_noise(text):
                unconfirmed.clear()
                pg, label = para_page
                doc.blocks.append(Block(text, section(), _locator(pg, label), para_kind,  # type: ignore[arg-type]
                                        page=pg, page_label=label if label != str(pg) else ""))
        para = []

    def set_heading() -> None:
        nonlocal pending_head
        if pending_head:
            text = clean(" ".join(pending_head))
            while heads and heads[-1][0] <= pending_size + 0.1:
                heads.pop()
            if text.lower() not in doc.title.lower():
                heads.append((pending_size, text))
                unconfirmed.append(text)
        pending_head = []

    prev_contents = False
    for pg in pages:
        items = _order(pg)
        skip, prev_contents = _contents_lines(items, prev_contents)
        for it in items:
            if isinstance(it, _Table):
                flush()
                set_heading()
                cont = (prev_table is not None and not it.header and prev_table.header
                        and len(prev_table.header) == len(it.rows[0] if it.rows else [])
                        and prev_table.page == it.page - 1)
                if cont and prev_table is not None:
                    it.header, it.header_inherited = prev_table.header, True
                else:
                    n_tables += 1
                header = " | ".join(it.header)
                unconfirmed.clear()
                for i, row in enumerate(it.rows):
                    if it.header:
                        text = " | ".join(f"{h}: {c}" if h else c for h, c in zip(it.header, row, strict=False) if c)
                    else:
                        text = " | ".join(c for c in row if c)
                    group = it.groups[i] if i < len(it.groups) else ""
                    text = f"{group} {text}" if group else text
                    doc.blocks.append(Block(text, section(), _locator(pg.number, pg.label), "row", header,
                                            table=f"table {n_tables}", page=pg.number,
                                            page_label=pg.label if pg.label != str(pg.number) else ""))
                prev_table = it
                last = None
                continue
            ln = it
            text = ln.text
            if id(ln) in skip:
                contents_pages.add(pg.number)
                continue
            if _LABEL_NO.match(text):
                continue  # a floating section number ("01") printed beside its heading
            heading = (ln.size >= body + 1.5 and len(text.split()) <= 16 and re.search(r"[A-Za-z]{2}", text)
                       and not text.endswith((".", ",", ";"))) or text.lower() in outline
            if (heading and para and last is not None and not re.search(r"[.:;!?)”]$", para[-1]) and not pending_head
                    and ln.x < last.x - 30 and abs(last.y - ln.y) < 3 * ln.size):
                # Large text in the middle of a sentence: a label set beside the paragraph ("User centric"),
                # kept as the paragraph's lead-in rather than cutting the sentence under a new heading.
                para_label.append(text)
                continue
            if heading:
                flush()
                if pending_head and (abs(ln.size - pending_size) > 0.6 or last is None
                                     or last.y - ln.y > ln.size * 2.2):
                    set_heading()
                if not pending_head:
                    pending_size = ln.size
                pending_head.append(text)
                last = ln
                continue
            set_heading()
            new_para = (
                last is None or not para
                or abs(ln.size - last.size) > 0.6
                or (last.y - ln.y) > max(ln.size, last.size) * 1.75
                or ln.y > last.y + 2  # a new column or a jump up the page
                or bool(_BULLET.match(text) or _NUMBERED.match(text))
                or para_kind == "item" and ln.x < item_x - 2  # back at the margin after a list
            )
            if new_para:
                flush()
                para_kind = "item" if _BULLET.match(text) else "para"
                item_x = ln.x
                para_page = (pg.number, pg.label)
                text = re.sub(r"^\s*(?:[•●▪◦■□➢►‣∙·o\-–]|\uf0b7|\uf0a7)\s+", "", text) if para_kind == "item" else text
            para.append(text)
            last = ln
        flush()
        if pending_head:  # large text ending a page (a cover, a diagram label) heads nothing
            doc.dropped.append(f"page {pg.number}: large text with no text under it: “{clean(' '.join(pending_head))}”")
            pending_head = []
        for t in unconfirmed:  # large text with nothing under it on its page: a cover line or a diagram label
            doc.dropped.append(f"page {pg.number}: large text with no text under it: “{t}”")
        heads[:] = [h for h in heads if h[1] not in unconfirmed]
        unconfirmed.clear()
        last = None
    for n in sorted(contents_pages):
        doc.dropped.append(f"page {n}: contents entries (a contents page or dot leaders)")


def _drop_diagram_labels(doc: ParsedDocument, run: int = 4) -> None:
    """A diagram's boxes come out as a run of short, unpunctuated lines: they are not prose and would only match
    questions by accident, so a run of four or more on one page is dropped (and listed as dropped)."""
    def short(b: Block) -> bool:
        return b.kind == "para" and len(b.text) <= 50 and not re.search(r"[.:;!?]$", b.text)

    keep: list[Block] = []
    i = 0
    blocks = doc.blocks
    while i < len(blocks):
        j = i
        while j < len(blocks) and short(blocks[j]) and blocks[j].page == blocks[i].page:
            j += 1
        if j - i >= run:
            words = " ".join(b.text for b in blocks[i:j])
            doc.dropped.append(f"page {blocks[i].page}: {j - i} diagram labels (“{words[:60]}…”)")
            i = j
            continue
        keep.append(blocks[i])
        i += 1 if j == i else 1
    doc.blocks = keep


def _contents_lines(items: list[_Line | _Table], prev_contents: bool) -> tuple[set[int], bool]:
    """Lines of a contents page (entries ending in a page number, a "Contents" heading, wrapped entries) and any
    dot-leader line; returns them with whether this page was a contents page, since contents run over pages."""
    lines = [it for it in items if isinstance(it, _Line)]
    skip = {id(ln) for ln in lines if _DOTS.search(ln.text)}
    has_heading = any(_CONTENTS.match(ln.text) for ln in lines)
    entries = [ln for ln in lines if _TOC_LINE.match(ln.text) or _DOTS.search(ln.text)]
    is_contents = bool(lines) and (has_heading or prev_contents) and len(entries) >= max(3, 0.4 * len(lines))
    if not is_contents:
        return skip, False
    for i, ln in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (_CONTENTS.match(ln.text) or _TOC_LINE.match(ln.text) or _DOTS.search(ln.text)
                or nxt is not None and _TOC_LINE.match(nxt.text) and not ln.text.endswith(".")):
            skip.add(id(ln))
    return skip, True


SHORT_LINE = 0.6  # a line under this share of its paragraph's longest ends where the text ends, not at the margin
WRAPPED = 50  # characters: a paragraph whose longest line is shorter has no margin to wrap at


def _join(lines: list[str]) -> str:
    """Lines of one paragraph: a word broken at a line end is joined again; a hyphenated compound keeps its hyphen.
    A short line followed by one that starts a new phrase (a capital or a digit) was ended by its writer, not by the
    margin: a form or a specification ("Survey year <Year> will be '2025'" / "Description: ..."), an address. Its
    break is kept, so each such line is a sentence of its own rather than one run-on sentence of the block."""
    longest = max((len(ln) for ln in lines), default=0)
    out, prev = "", ""
    for ln in lines:
        if not out:
            out = ln
        elif out.endswith("-") and ln[:1].islower():
            out += ln
        elif (longest >= WRAPPED and len(prev) < SHORT_LINE * longest and not prev.endswith((",", "-", "–"))
              and (ln[:1].isupper() or ln[:1].isdigit())):
            out += "\n" + ln
        else:
            out += " " + ln
        prev = ln
    return out
