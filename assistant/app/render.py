"""Answers and sources as chainlit markdown. Document text is always escaped: shown as text, never as markup."""

from __future__ import annotations

import re

from assistant.answering.answer import Answer, Citation

# Characters that can make markup: emphasis, links and images (need "["), raw HTML ("<", "&"), code, tables.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def escape(text: str) -> str:
    """Backslash-escape every markdown and HTML character, so `<script>` or `![x](url)` show as typed."""
    return _MD_SPECIAL.sub(r"\\\1", text)


STATUS_LABELS = {"answered": "", "partial": "Partly answered", "no_information": "Not in the documents",
                 "out_of_scope": "Outside what Wayfinder covers", "needs_clarification": "Which one do you mean?",
                 "declined": "Declined: one person's records"}


def answer_markdown(answer: Answer) -> str:
    body = escape(answer.answer)
    body = re.sub(r"\\\[(\d+)\\\]", r"[\1]", body)  # markers stay readable
    label = STATUS_LABELS.get(answer.status, "")
    lines = [f"**{label}** · {body}" if label else body]
    if answer.read_as:
        lines.insert(0, f"*Read as: {escape(answer.read_as)}*\n")
    if answer.citations:
        lines.append("\n**Sources** (click a source to read the passage):")
        lines += [f"- {source_name(c)}: {escape(source_label(c))}" for c in answer.citations]
    if answer.related:
        lines.append("\n**Nearest passages** (they do not answer the question):")
        lines += [f"- {related_name(c)}: {escape(source_label(c))}" for c in answer.related]
    return "\n".join(lines)


def source_name(c: Citation) -> str:
    return f"Source {c.n}"


def related_name(c: Citation) -> str:
    return f"Nearby passage {c.n}"


def source_label(c: Citation) -> str:
    version = f" ({c.version})" if c.version and c.version not in c.title else ""
    where = ", ".join(x for x in (c.section, c.locator) if x)
    return f"{c.title}{version} — {where}"


def passage_markdown(c: Citation, context: str) -> str:
    """The quoted passage highlighted inside its surrounding text, with its section, locator and address."""
    head = [f"**{escape(c.title)}**" + (f" · {escape(c.version)}" if c.version else ""),
            f"Section: {escape(c.section or '—')}", f"Where: {escape(c.locator or '—')}"]
    if c.url:
        head.append(f"Address: `{c.url.replace('`', '')}`")
    if c.quote and c.quote in context:
        before, _, after = context.partition(c.quote)
        text = f"{escape(before)}**{escape(c.quote)}**{escape(after)}"
    else:
        text = f"**{escape(c.quote)}**"
    return "\n\n".join(["  \n".join(head), "---", text.replace("\n", "  \n")])
