"""Personal-data screening: children's records must never enter the corpus, and published contacts must not be refused.

A document is refused when anything that would be stored or shown (body, title, headings, table headers, front
matter, manifest fields, catalogue fields, PDF metadata, the file name) holds a CHI number (check digit and date
verified), a National Insurance number, a date of birth beside a name, or a private email address or phone number.
Findings name the kind and the place, never the value.

Identifiers with a checkable structure (CHI, NI numbers) are refused wherever they stand. Emails and phone numbers
are judged by their context with a small score, because public documents publish contacts: a team mailbox or an
organisation's switchboard passes; an address at a personal provider, a mobile beside a person, or any contact in
the same passage as a date of birth or an identifier is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.model import ParsedDocument

CHI_KIND = "CHI number"
NINO_KIND = "National Insurance number"
DOB_KIND = "date of birth next to a name"
EMAIL_KIND = "personal email address"
MOBILE_KIND = "personal mobile phone number"
PHONE_KIND = "personal phone number"

# ---- CHI: ten digits, written whole or grouped 6-4, 3-3-4 or 2-2-2-4 with one kind of separator.
_CHI = re.compile(
    r"(?<![\w/.=#-])(?:\d{10}|\d{6}([ .-]?)\d{4}|\d{3}([ .-])\d{3}\2\d{4}|\d{2}([ .-])\d{2}\3\d{2}\3\d{4})(?![\w/-]|\.\d)"
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# ---- NI numbers: two prefix letters (D F I Q U V never; O never second; some pairs never issued), six digits
# (optionally grouped in pairs), a suffix A-D; any letter case.
_NINO = re.compile(
    r"(?<![\w/.-])(?!(?:bg|gb|kn|nk|nt|tn|zz))[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z][ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[a-d]"
    r"(?![\w/-])",
    re.IGNORECASE,
)
# ---- dates with day, month and year (a year alone is a cohort, never a birth date)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
DATE = re.compile(
    r"(?:" + r"\d{1,2}[/.-]\d{1,2}[/.-](?:(?:19|20)?\d{2})"  # 03/04/2015, 3.4.15
    + r"|" + _YEAR + r"[/.-]\d{1,2}[/.-]\d{1,2}"  # 2015-04-03
    + r"|(?:the\s+)?" + _DAY + r"(?:\s+of)?[\s-]+" + _MONTH + r",?[\s-]+" + _YEAR  # 3rd of April 2015, 03-Apr-2015
    + r"|" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR  # April 3, 2015
    + r")(?!\d)",
    re.IGNORECASE,
)
_DOB_LABEL = re.compile(
    r"(?<![\w-])(?:date\s+of\s+birth|birth\s*date|d\.?\s?o\.?\s?b\.?|born)(?![\w-])", re.IGNORECASE
)
# Between a label and its date only punctuation and "on"/"is"/"was"/"of" may stand: "DOB: ...", "born on the ...".
_LABEL_GAP = re.compile(r"^[\s:=,(\-–]*(?:(?:on|is|was|of|:)\s*)*$", re.IGNORECASE)
# A group born in a period ("children born 1 April 2010 or later", "born on or after") is a cohort, not a person.
_COHORT_BEFORE = re.compile(
    r"\b(?:children|child(?:ren)?'?s?|people|persons|pupils|learners|babies|infants|those|anyone|everyone|all|"
    r"individuals|adults|cohort|young|girls|boys|women|men|students|who\s+were|if|were)\W+(?:\w+\W+)?$",
    re.IGNORECASE,
)
_COHORT_AFTER = re.compile(
    r"^\W*(?:or\s+(?:later|earlier|after|before)|and\s+(?:later|after|before|\d)|to\s+\d|until|onwards|[-–]\s*\d)",
    re.IGNORECASE,
)
_RANGE_WORD = re.compile(r"\b(?:after|before|between|since|from|or|until)\b", re.IGNORECASE)

# ---- people's names
_HONORIFIC = re.compile(r"\b(?:[Mm]r|[Mm]rs|[Mm]s|[Mm]iss|[Mm]x|[Mm]aster|[Dd]r)\.?\s+[A-Z][a-z]*(?:['’]?[A-Z]?[a-z]+)+")
_NAME_LABEL = re.compile(
    r"\b(?:(?:full|first|given|sur|last|child'?s?|pupil'?s?|patient'?s?|forename)\s*name|name|forename|surname)"
    r"\s*[:=|]", re.IGNORECASE)
_CAP_WORD = re.compile(r"\b[A-Z][a-z]*(?:['’]?[A-Z]?[a-z]+)+(?:-[A-Z][a-z]+)?\b")  # Jamie, MacLeod, O'Neill
# Capitalised words that are part of organisations, documents and places rather than people's names.
_NOT_NAME = frozenset(["the", "a", "an", "this", "that", "these", "those", "it", "he", "she", "they", "we", "you", "i", "his", "her", "their", "our", "my", "its", "all", "any", "each", "every", "some", "no", "not", "child", "children", "young", "people", "person", "pupil", "patient", "family", "families", "parent", "parents", "carer", "carers", "baby", "babies", "public", "health", "scotland", "scottish", "national", "government", "council", "department", "service", "services", "team", "office", "data", "open", "care", "social", "work", "board", "nhs", "local", "authority", "authorities", "education", "school", "schools", "support", "services", "research", "unit", "statistics", "statistical", "information", "digital", "strategy", "plan", "promise", "report", "guidance", "annex", "table", "figure", "page", "section", "contact", "email", "phone", "tel", "telephone", "mobile", "call", "name", "date", "birth", "born", "dob", "address", "number", "reference", "record", "case", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "edinburgh", "glasgow", "dundee", "aberdeen", "highland", "fife", "dumfries", "galloway", "north", "south", "east", "west", "city", "county", "united", "kingdom", "england", "wales", "ireland", "great", "britain", "uk", "for", "and", "of", "to", "in", "on", "at", "by", "with", "from", "who", "what", "when", "where", "how", "why", "was", "is", "were", "are", "be", "been", "if", "or", "but", "so", "as", "than", "then", "also"])

# ---- emails and phones
EMAIL = re.compile(r"(?<![\w.%+-])([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b")
# Free mail providers: an address there belongs to a person unless its local part names a role.
_PERSONAL_PROVIDERS = frozenset(["gmail", "googlemail", "hotmail", "outlook", "live", "msn", "yahoo", "ymail", "rocketmail", "icloud", "me", "mac", "aol", "btinternet", "btopenworld", "sky", "virginmedia", "blueyonder", "ntlworld", "talktalk", "tiscali", "protonmail", "proton", "gmx", "mail", "fastmail", "zoho", "hushmail", "tutanota"])
_ORG_SUFFIXES = (".gov.uk", ".gov.scot", ".scot", ".nhs.uk", ".nhs.scot", ".nhs.net", ".ac.uk", ".sch.uk",
                 ".police.uk", ".parliament.uk", ".org.uk", ".org", ".gov", ".edu", ".ac.uk", ".mod.uk", ".ltd.uk")
_ROLE = re.compile(
    r"(?:info|enquir|inquir|contact|data|stat|team|admin|help|support|foi|hello|office|research|press|media|"
    r"general|service|plan\d*|mail|feedback|reception|secretar|quer|access|edris|analys|web|comms|dpo|privacy|"
    r"open|insight|duty|referral|intake|desk|unit|hub|group|board|council|dept|department|children|families|"
    r"social|care|health|education|complaint|noreply|no-reply|donotreply|admissions|customer|psi|ops|sales|"
    r"licens|copyright|publication|survey|census|helpline|safeguard|protect|report)",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)[\d()][\d ().-]{7,16}\d(?![\d-])")
_ORG_CUE = re.compile(
    r"\b(?:switchboard|helpline|help\s*line|enquir\w*|inquir\w*|general|team|service|office|reception|council|"
    r"department|unit|centre|center|duty|out\s+of\s+hours|freephone|textphone|contact\s+(?:us|centre|the)|"
    r"customer|main\s+number|opening\s+hours|monday|open\s+data|hotline|line|desk|hub|board|nhs)\b",
    re.IGNORECASE,
)
_PERSONAL_CUE = re.compile(
    r"\b(?:home|personal|private|my|mum|mom|dad|mother|father|gran|granny|grandparent|parent|carer|guardian|"
    r"his|her|him|child'?s|pupil'?s|son|daughter|foster|kinship|wife|husband|partner|sibling|brother|sister|"
    r"ring\s+me|text\s+me)\b",
    re.IGNORECASE,
)
_CONTACT_CUE = re.compile(
    r"\b(?:contact|enquir\w*|queries|query|maintainer|contact\s*point|get\s+in\s+touch|email\s+us|write\s+to|"
    r"further\s+information|more\s+information|feedback|published|owner|publisher|author)\b",
    re.IGNORECASE,
)
_WINDOW = 80  # characters either side read as an email's or phone's context


@dataclass(frozen=True)
class Finding:
    kind: str
    where: str


@dataclass(frozen=True)
class Hit:
    """One identifier found in a text: its kind and where it stands (the value is never kept)."""

    kind: str
    start: int
    end: int


def chi_valid(digits: str) -> bool:
    """Check-digit (modulus 11) and date test of a 10-digit Community Health Index number."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    day, month, yy = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    try:
        dt.date(2000 + yy, month, day)  # a leap year stands in for any century: 29 Feb passes
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _chi_hits(text: str, urls: list[tuple[int, int]]) -> Iterator[Hit]:
    for m in _CHI.finditer(text):
        if _in_spans(m.start(), urls):
            continue  # a numeric id in an address is a page, not a person
        if chi_valid(re.sub(r"\D", "", m.group())):
            yield Hit(CHI_KIND, m.start(), m.end())


def _nino_hits(text: str, urls: list[tuple[int, int]]) -> Iterator[Hit]:
    for m in _NINO.finditer(text):
        if not _in_spans(m.start(), urls):
            yield Hit(NINO_KIND, m.start(), m.end())


def _names(text: str) -> list[tuple[int, int]]:
    """Spans that look like a person's name: after an honorific or a name label, or two capitalised words that
    are not organisation or document words."""
    spans = [(m.start(), m.end()) for m in _HONORIFIC.finditer(text)]
    for m in _NAME_LABEL.finditer(text):
        nxt = _CAP_WORD.search(text, m.end(), m.end() + 4)
        if nxt:
            spans.append((m.start(), nxt.end()))
    words = list(_CAP_WORD.finditer(text))
    for a, b in zip(words, words[1:], strict=False):
        gap = text[a.end():b.start()]
        if gap.strip() == "" and len(gap) <= 2 and a.group().lower() not in _NOT_NAME \
                and b.group().lower() not in _NOT_NAME:
            spans.append((a.start(), b.end()))
    return spans


def _single_name_before(text: str, pos: int) -> bool:
    """"Jamie was born ...", "Jamie (DOB ...": one capitalised, non-generic word just before the label."""
    m = re.search(r"\b([A-Z][a-z'’-]+)(?:'s)?\W{0,3}(?:\b(?:was|is)\s+)?\W{0,3}$", text[max(0, pos - 30):pos])
    return bool(m and m.group(1).lower() not in _NOT_NAME)


def _dob_hits(text: str) -> Iterator[Hit]:
    names = None
    for m in _DOB_LABEL.finditer(text):
        d = DATE.search(text, m.end(), m.end() + 40)
        if not d or not _LABEL_GAP.match(text[m.end():d.start()]):
            continue
        before, after = text[max(0, m.start() - 40):m.start()], text[d.end():d.end() + 25]
        if _COHORT_BEFORE.search(before) or _COHORT_AFTER.match(after) or _RANGE_WORD.search(text[m.end():d.start()]):
            continue
        if names is None:
            names = _names(text)
        lo, hi = m.start() - 120, d.end() + 120
        if any(a < hi and b > lo for a, b in names) or _single_name_before(text, m.start()):
            yield Hit(DOB_KIND, m.start(), d.end())


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - _WINDOW):start], text[end:end + _WINDOW]


def _email_score(text: str, m: re.Match[str], sensitive: bool) -> int:
    """Above 1: a private address. A role mailbox or an organisation's domain pulls the score down; a free mail
    provider, a person's name as the local part, personal words around it or identifiers beside it push it up."""
    local, domain = m.group(1), m.group(2).lower()
    labels = domain.split(".")
    score = 0
    if any(lbl in _PERSONAL_PROVIDERS for lbl in labels[:-1]):
        score += 2
    elif domain.endswith(_ORG_SUFFIXES):
        score -= 2
    role = bool(_ROLE.search(local))
    if role:
        score -= 3
    elif re.fullmatch(r"[A-Za-z]+[._-][A-Za-z]+\d*|[A-Za-z]{2,}\d{2,4}", local):
        score += 1  # firstname.lastname, or a name with a birth year
    before, after = _context(text, m.start(), m.end())
    if _PERSONAL_CUE.search(before[-40:]) or _PERSONAL_CUE.search(after[:25]):
        score += 2
    if _CONTACT_CUE.search(before) and not role:
        score -= 1
    if sensitive:
        score += 3
    return score


def _phone_score(text: str, m: re.Match[str], sensitive: bool) -> tuple[int, str] | None:
    """The phone's kind and a score (above 1: a private number); None when the digits are not a UK number."""
    raw = m.group()
    digits = re.sub(r"\D", "", raw.replace("(0)", ""))
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    if not (len(digits) == 11 and digits.startswith("0")) or raw.count("(") != raw.count(")"):
        return None
    before, after = _context(text, m.start(), m.end())
    if digits.startswith("07") and not digits.startswith(("070", "076")):
        kind, score = MOBILE_KIND, 2
    elif digits.startswith(("01", "02")):
        kind, score = PHONE_KIND, 0
    else:
        return None  # 03, 08, 09, personal-number and pager ranges belong to organisations and services
    if _ORG_CUE.search(before[-50:]) or _ORG_CUE.search(after[:30]):
        score -= 2
    if _PERSONAL_CUE.search(before[-40:]) or _PERSONAL_CUE.search(after[:25]):
        score += 2
    near = text[max(0, m.start() - 60):m.end() + 60]
    if kind == PHONE_KIND and _names(near):
        score += 1
    if sensitive:
        score += 3
    return score, kind


def scan_hits(text: str) -> list[Hit]:
    """Every identifier in one passage, in order of position."""
    if not text or not text.strip():
        return []
    urls = [(m.start(), m.end()) for m in _URL.finditer(text)]
    hits = [*_chi_hits(text, urls), *_nino_hits(text, urls), *_dob_hits(text)]
    sensitive = bool(hits)  # a contact in the same passage as a person's identifiers is that person's
    emails = list(EMAIL.finditer(text))
    email_spans = [(e.start(), e.end()) for e in emails]
    for e in emails:
        if _email_score(text, e, sensitive) >= 2:
            hits.append(Hit(EMAIL_KIND, e.start(), e.end()))
    for p in _PHONE.finditer(text):
        if _in_spans(p.start(), urls) or _in_spans(p.start(), email_spans):
            continue
        judged = _phone_score(text, p, sensitive)
        if judged and judged[0] >= 2:
            hits.append(Hit(judged[1], p.start(), p.end()))
    return sorted(hits, key=lambda h: h.start)


def scan_text(text: str) -> list[str]:
    """The kinds of personal data in a passage, each once, in order of first appearance."""
    return list(dict.fromkeys(h.kind for h in scan_hits(text)))


def _row_with_labels(header: str, text: str) -> str:
    """A table row read with its column names ("Name: Jamie Smith | Date of birth: 2015-04-03"), so a date under a
    "Date of birth" column is seen as one."""
    cols, cells = [c.strip() for c in header.split("|")], [c.strip() for c in text.split("|")]
    if len(cols) == len(cells) and len(cols) > 1:
        return " | ".join(f"{c}: {v}" for c, v in zip(cols, cells, strict=True))
    return f"{header} | {text}"


def _fields(doc: ParsedDocument, file_name: str) -> Iterator[tuple[str, str]]:
    """(place, text) for everything that is stored or shown."""
    yield "file name", re.sub(r"[_+]", " ", file_name)
    for name in ("title", "version", "url", "publisher"):
        value = getattr(doc, name, "")
        if value:
            yield name, str(value)
    seen_sections: set[str] = set()
    for b in doc.blocks:
        where = b.locator or "document"
        yield where, _row_with_labels(b.header, b.text) if b.header else b.text
        for heading in b.section:
            if heading and heading not in seen_sections:
                seen_sections.add(heading)
                yield f"heading at {where}", heading
    for r in doc.records:
        where = r.locator or f"record {r.key}"
        yield where, r.quote
        for key, value in r.fields.items():
            if isinstance(value, str) and value:
                yield f"{where}, field {key}", value
            elif isinstance(value, list):
                yield f"{where}, field {key}", " ".join(str(v) for v in value)


def screen(doc: ParsedDocument, file_name: str = "") -> list[Finding]:
    """Every stored or shown text checked; one finding per kind and place."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for where, text in _fields(doc, file_name):
        for kind in scan_text(text):
            if (kind, where) not in seen:
                seen.add((kind, where))
                findings.append(Finding(kind, where))
    return findings
