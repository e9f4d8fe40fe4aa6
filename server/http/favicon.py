"""The site's icon, ``/favicon.ico``: a "v" in the pages' accent red, drawn here from a 16 by 16
pattern and written once as an ICO file holding one PNG (so no binary file is kept in the
repository and no browser's request for it is a 404)."""

import struct
import zlib
from functools import cache

#: ``#`` is the accent colour (#b3261e), ``.`` white, on a rounded square.
PATTERN = """
.##############.
################
################
##..########..##
##..########..##
###..######..###
###..######..###
####..####..####
####..####..####
#####..##..#####
#####..##..#####
######....######
######....######
#######..#######
################
.##############.
"""
_ACCENT = (0xB3, 0x26, 0x1E, 0xFF)
_WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
_CLEAR = (0, 0, 0, 0)


def _png(rows: list[str]) -> bytes:
    height, width = len(rows), len(rows[0])
    raw = b""
    for y, row in enumerate(rows):
        raw += b"\x00"  # no filter
        for x, cell in enumerate(row):
            corner = (x in (0, width - 1)) and (y in (0, height - 1))
            raw += bytes(_CLEAR if corner else _ACCENT if cell == "#" else _WHITE)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


@cache
def favicon_ico() -> bytes:
    """An ICO file with one 16 by 16 PNG image."""
    rows = PATTERN.strip().splitlines()
    png = _png(rows)
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", 16, 16, 0, 0, 1, 32, len(png), 6 + 16)
    return directory + entry + png
