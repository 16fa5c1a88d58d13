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
