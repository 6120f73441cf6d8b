"""A QR code drawn with text, so a phone can scan a link off any terminal (over SSH too).

Two rows of modules share one line of text: the upper and lower half blocks ("▀", "▄"),
the full block and a space, drawn dark on light whatever the theme, as scanners expect.
A 63-character Jitsi link is a version 4 code: 37 columns and 19 lines with its margin,
small enough to stand beside its explanation at 80x24.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

QUIET_ZONE = 2
"""Light modules around the code: phones read two; the standard's four would not fit 80x24."""
BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
"""The character for (upper module dark, lower module dark)."""
INK = Style(color="#000000", bgcolor="#ffffff")


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of ``data``'s QR code, quiet zone included; True is dark."""
    import segno  # loaded on the first join: nothing at start-up pays for it

    code = segno.make(data, error="l", micro=False)  # the smallest code; segno raises the level when it fits
    return [[bool(module) for module in row] for row in code.matrix_iter(border=QUIET_ZONE)]


def half_blocks(matrix: list[list[bool]]) -> list[str]:
    """``matrix`` as lines of text, two rows of modules to a line (an odd last row gets a light partner)."""
    lines = []
    for top in range(0, len(matrix), 2):
        upper = matrix[top]
        lower = matrix[top + 1] if top + 1 < len(matrix) else [False] * len(upper)
        lines.append("".join(BLOCKS[pair] for pair in zip(upper, lower, strict=True)))
    return lines


def qr_code(data: str) -> Text:
    """``data``'s QR code as text to show; its characters are only :data:`BLOCKS`' and newlines."""
    return Text("\n".join(half_blocks(qr_matrix(data))), style=INK, end="", no_wrap=True)


__all__ = ["BLOCKS", "QUIET_ZONE", "half_blocks", "qr_code", "qr_matrix"]
