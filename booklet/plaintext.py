"""Text people type that is kept and printed (names, addresses): NFC, and no invisible controls.

A right-to-left override (U+202E) in a delivery name turns the postcode after it round on
the packing list; a zero-width space makes two names that look the same differ. So text a
person gives is normalised to NFC (one way of writing each accented letter) and refused when
it holds a bidirectional control or a zero-width character. One rule, used by the shop's
forms and its email addresses (booklet.web.shop.addresses).
"""

from __future__ import annotations

import re
import unicodedata

# the bidirectional embeddings, overrides and isolates, the marks LRM/RLM/ALM, and the
# zero-width characters (space, non-joiner, joiner, word joiner, byte-order mark)
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # anything but text, tab and line breaks
PROBLEM = "Remove the special characters: type only letters, numbers and punctuation."


def tidy(value: str) -> str:
    """Return text in Unicode's NFC form (what people type on different keyboards, made one)."""
    return unicodedata.normalize("NFC", value)


def problem(value: str) -> str:
    """Return why text cannot be kept (an invisible or control character), or '' when it can."""
    if INVISIBLE.search(value) or CONTROL.search(value):
        return PROBLEM
    return ""
