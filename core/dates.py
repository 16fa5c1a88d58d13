"""Dates stated in a sentence ("By March 2027", "By end 2026", "Throughout 2025"). Never a year the text lacks."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "winter": 12, "early": 4, "mid": 7, "late": 12, "end": 12}
_QUAL = "|".join([*MONTHS, *SEASON_END, "the end of", "end of"])
# A year counts as a date only with a temporal word before it or a month/season: "Strategy 2023-2025" is a name.
DATE_PHRASE = re.compile(
    rf"\b(?P<prep>by|before|in|during|throughout|until|from|between now and|over|within)?\s*"
    rf"(?P<qual>(?:{_QUAL})\s+)?(?P<year>20\d\d)\b(?![-–/]\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StatedDate:
    text: str  # exactly as written
    year: int
    due: dt.date  # the last day the phrase allows
    prep: str


def find_dates(sentence: str) -> list[StatedDate]:
    out = []
    for m in DATE_PHRASE.finditer(sentence):
        prep, qual, year = (m.group("prep") or "").lower(), (m.group("qual") or "").strip().lower(), int(m.group("year"))
        if not prep and not qual:
            continue
        if qual in MONTHS:
            month = MONTHS[qual]
        else:
            month = SEASON_END.get(qual.replace("the end of", "end").replace("end of", "end"), 12)
        due = dt.date(year, month, calendar.monthrange(year, month)[1])
        out.append(StatedDate(m.group(0).strip(), year, due, prep))
    return out


@dataclass
class DateSpan:
    start: dt.date | None
    end: dt.date
    text: str
    year_only: int | None = None


_MON = {**MONTHS, **{m[:3]: n for m, n in MONTHS.items()}, "sept": 9}
_SEASON = {"spring": 5, "summer": 8, "autumn": 11, "winter": 12}
_SPAN = re.compile(
    r"\b(?P<prep>by|before|until|till|b4|due|no later than|in|for|during|of|throughout)?\s*(?:the\s+)?"
    r"(?:(?P<end>end)\s+(?:of\s+)?)?(?P<mon>" + "|".join(sorted([*_MON, *_SEASON], key=len, reverse=True))
    + r")?\.?\s*(?P<year>20\d\d)\b(?![-–/]\d)", re.I)


def parse_dates(question: str, today: dt.date) -> DateSpan | None:
    """The period a question asks about: "this year", "by March 2027" (everything up to its end), "in 2028"."""
    q = question.lower()
    for rel, year in (("this year", today.year), ("next year", today.year + 1)):
        if rel in q:
            return DateSpan(dt.date(year, 1, 1), dt.date(year, 12, 31), rel, year)
    m = next((x for x in _SPAN.finditer(q) if q[max(0, x.start("year") - 1):x.start("year")] not in "-–/"
              or x.start("year") == 0), None)
    if not m:
        return None
    year, prep, mon = int(m.group("year")), (m.group("prep") or ""), (m.group("mon") or "")
    month = _MON.get(mon) or _SEASON.get(mon) or 12
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    if prep in ("by", "before", "until", "till", "b4", "due", "no later than") or m.group("end") or mon:
        if prep in ("in", "during", "throughout") and mon:
            start = dt.date(year, month, 1) if mon in _MON else dt.date(year, 1, 1)
            return DateSpan(start, end, m.group(0).strip())
        return DateSpan(None, end, m.group(0).strip())
    return DateSpan(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year), year)
