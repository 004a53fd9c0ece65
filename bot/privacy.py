"""Redaction of what users type before it may reach a log line.

Question logging is off by default; when an operator turns it on, phone
numbers, e-mail addresses, SIP URIs and IP addresses are replaced first.
"""

from __future__ import annotations

import re

_PATTERNS = (
    ("<sip>", re.compile(r"\bsips?:[^\s;,>]+", re.IGNORECASE)),
    ("<email>", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("<ip>", re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")),
    ("<ip>", re.compile(r"\b(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\b", re.IGNORECASE)),
    # 7+ digits with the separators people use in phone numbers.
    ("<phone>", re.compile(r"(?<!\w)\+?\(?\d[\d\s().\-/]{5,}\d(?!\w)")),
)


def redact(text: str) -> str:
    for placeholder, pattern in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


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
