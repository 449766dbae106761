"""How many SMS segments a body takes: GSM-7 when every character fits, UCS-2 otherwise."""

from dataclasses import dataclass

# GSM 03.38 basic character set (without the escape code itself).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table characters the contract names; each is sent as escape + char, so counts two.
GSM7_EXTENSION = frozenset("^{}\\[~]|€")
# (characters in a single message, characters per segment of a longer one)
GSM7_LIMITS = (160, 153)
UCS2_LIMITS = (70, 67)


@dataclass(frozen=True)
class SegmentCount:
    """A body's encoding, its length in that encoding's units and how many segments it takes."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int
    segments: int
    per_segment: int  # units one segment holds at this length, for a "N left" hint


def count_segments(body: str) -> SegmentCount:
    """Count a body as the provider bills it (an empty body is zero segments)."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in body):
        encoding, limits = "GSM-7", GSM7_LIMITS
        units = sum(2 if char in GSM7_EXTENSION else 1 for char in body)
    else:
        # Characters beyond the BMP (emoji) are two UTF-16 code units each.
        encoding, limits = "UCS-2", UCS2_LIMITS
        units = len(body.encode("utf-16-le")) // 2
    single, multi = limits
    if units <= single:
        return SegmentCount(encoding, units, 1 if units else 0, single)
    return SegmentCount(encoding, units, -(-units // multi), multi)
