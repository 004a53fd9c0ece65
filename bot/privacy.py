"""Redaction of what users type before it may reach a log line.

Question logging is off by default; when an operator turns it on, phone
numbers, e-mail addresses, SIP URIs, IP addresses, IBANs and card numbers are
replaced first, and control characters escaped (no forged log lines).
"""

from __future__ import annotations

import re

_PATTERNS = (
    ("<sip>", re.compile(r"\bsips?:[^\s;,>]+", re.IGNORECASE)),
    ("<email>", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    # Country code, check digits, then 11 to 30 letters or digits, grouped by 4 or not.
    ("<iban>", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")),
    # 13 to 19 digits, in groups or not: payment card numbers.
    ("<card>", re.compile(r"(?<![\w.])(?:\d[ -]?){12,18}\d(?![\w.])")),
    # Five or more dotted groups is a phone number written 06.12.34.56.78, not an address.
    ("<phone>", re.compile(r"(?<![\w.])\d{1,4}(?:\.\d{1,4}){4,}(?![\w.])")),
    ("<ip>", re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")),
    # IPv6, compressed (::1) or not, with a zone (%eth0) or not.
    (
        "<ip>",
        re.compile(
            r"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:%[\w.-]+)?(?![\w:])",
            re.IGNORECASE,
        ),
    ),
    # 7+ digits with the separators people use in phone numbers.
    ("<phone>", re.compile(r"(?<!\w)\+?\(?\d[\d\s().\-/]{5,}\d(?!\w)")),
)


def redact(text: str) -> str:
    """``text`` without what identifies someone, fit for one log line (see ``printable``)."""
    for placeholder, pattern in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return printable(text)


# C0 and C1 controls (CR, LF, ESC of ANSI sequences...), DEL, line and
# paragraph separators, and bidirectional overrides: anything that could end
# a log line early, forge another one or reorder what a reader sees.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A logged field is a hint for an operator, never a document.
MAX_LOGGED_CHARS = 500


def printable(text: str, limit: int = MAX_LOGGED_CHARS) -> str:
    """``text`` safe for one log line: controls escaped (``\\n`` -> ``\\x0a``), bounded."""
    if len(text) > limit:
        text = text[:limit] + "…"
    return _UNPRINTABLE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )
