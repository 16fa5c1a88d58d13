"""Plain-text rendering of an answer for the terminal."""

from __future__ import annotations

from assistant.answering.answer import Answer, Citation


def _cite_line(c: Citation) -> str:
    where = " · ".join(x for x in (c.section, c.locator) if x)
    version = f" ({c.version})" if c.version and c.version not in c.title else ""
    quote = c.quote if len(c.quote) <= 240 else c.quote[:237] + "..."
    return f"  [{c.n}] {c.title}{version} — {where}\n      “{quote}”\n      {c.url or c.source}"


def render_text(answer: Answer) -> str:
    lines = [f"(Read as: {answer.read_as})", answer.answer] if answer.read_as else [answer.answer]
    if answer.citations:
        lines.append("\nSources:")
        lines.extend(_cite_line(c) for c in answer.citations)
    if answer.related:
        lines.append("\nNearest passages (they do not answer the question):")
        lines.extend(_cite_line(c) for c in answer.related)
    return "\n".join(lines)
