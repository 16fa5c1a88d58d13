"""Personal-data screening: children's records must never enter the corpus.

Refuses a document holding a CHI number (with a valid check digit and date), a National Insurance number, a date
of birth beside a name, a personal email address or a personal mobile number. Reports the kind and the place,
never the value. Organisations' published contacts (team mailboxes, switchboards) pass.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.model import ParsedDocument

CHI = re.compile(r"(?<![\d-])(\d{2})(\d{2})(\d{2})[ -]?(\d{4})(?![\d-])")
NINO = re.compile(
    r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"
)
EMAIL = re.compile(r"\b([A-Za-z0-9._%+-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")
MOBILE = re.compile(r"(?<!\d)(?:\+44\s?7\d{3}|\(?07\d{3}\)?)\s?\d{3}\s?\d{3}(?!\d)")
_A_DATE = (
    r"(\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}|\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct"
    r"|nov|dec)[a-z]* (?:19|20)\d{2})\b"
)
# A date of birth is the label followed by a date ("DOB: 03/04/2015", "born on 3 May 2012"), not the phrase alone.
DOB = re.compile(
    r"(?<![\w-])(?:date of birth|d\.?o\.?b\.?|born(?: on)?)\s*[:=-]?\s*(?:on\s+)?" + _A_DATE, re.IGNORECASE
)
NAME = re.compile(r"\b(?:name\s*[:=-]|mr|mrs|ms|miss|child)\b|\b[A-Z][a-z]+ [A-Z][a-z]+\b", re.IGNORECASE)
PERSONAL_DOMAINS = {
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com", "live.com", "live.co.uk",
    "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "aol.com", "btinternet.com", "sky.com", "virginmedia.com",
    "protonmail.com", "proton.me", "msn.com", "mail.com", "gmx.com", "talktalk.net",
}
ROLE_WORDS = re.compile(
    r"^(info|enquir|contact|data|stat|team|admin|help|support|foi|hello|office|research|press|media|general|"
    r"service|plan\d*|mail|feedback|reception|secretar|queries|access|edris|analys|web|comms|dpo|privacy)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    kind: str
    where: str


def chi_valid(digits: str) -> bool:
    """Check-digit (modulus 11) and date test of a 10-digit Community Health Index number."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    try:
        dt.date(2000 + int(digits[4:6]), int(digits[2:4]), int(digits[0:2]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _personal_email(local: str, domain: str) -> bool:
    if domain.lower() in PERSONAL_DOMAINS:
        return True
    if ROLE_WORDS.match(local):
        return False
    return bool(re.fullmatch(r"[A-Za-z]+[._-][A-Za-z]+\d*", local))  # firstname.lastname at an organisation


def scan_text(text: str) -> list[str]:
    kinds = []
    for m in CHI.finditer(text):
        if chi_valid("".join(m.groups())):
            kinds.append("CHI number")
            break
    if NINO.search(text):
        kinds.append("National Insurance number")
    if any(_personal_email(m.group(1), m.group(2)) for m in EMAIL.finditer(text)):
        kinds.append("personal email address")
    if MOBILE.search(text):
        kinds.append("personal mobile phone number")
    if DOB.search(text) and NAME.search(text):
        kinds.append("date of birth next to a name")
    return kinds


def screen(doc: ParsedDocument) -> list[Finding]:
    """Every block (and record field) checked; one finding per kind and place."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for b in doc.blocks:
        for kind in scan_text(f"{b.header} {b.text}" if b.header else b.text):
            if (kind, b.locator) not in seen:
                seen.add((kind, b.locator))
                findings.append(Finding(kind, b.locator or "document"))
    return findings
