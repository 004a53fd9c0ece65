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
