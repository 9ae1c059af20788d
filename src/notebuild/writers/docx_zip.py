"""Zip a .docx from entries compressed once: the template's parts are not packed for every note.

The bytes are those `files.zipfiles.zip_entries(..., level=1)` writes (fixed times and
attributes, deflated at zlib level 1, no data descriptors), so a part compressed when the
template is read can be copied into every note's package as it is; only the parts a note
changes are compressed per note. tests/writers/test_docx_zip.py holds the two equal.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from notebuild.files.zipfiles import FIXED_ZIP_TIME, ZIP_ENTRY_ATTRIBUTES

LEVEL = 1  # zlib level: a fifth more bytes than level 6, in a quarter of the time
_VERSION = 20  # what zipfile writes as "version made by" and "needed to extract"
_DEFLATED = 8
_UTF8_NAME = 0x800
_DOS_DATE = (FIXED_ZIP_TIME[0] - 1980) << 9 | FIXED_ZIP_TIME[1] << 5 | FIXED_ZIP_TIME[2]
_DOS_TIME = FIXED_ZIP_TIME[3] << 11 | FIXED_ZIP_TIME[4] << 5 | (FIXED_ZIP_TIME[5] // 2)
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
# Beyond this a zip needs ZIP64 records, which this writer does not write.
_LIMIT = (1 << 31) - 1


@dataclass(frozen=True, slots=True)
class Entry:
    """One file of a zip, compressed: its name, CRC-32, sizes and deflated bytes."""

    name: bytes
    flags: int
    crc: int
    size: int
    data: bytes


def entry(name: str, content: bytes) -> Entry:
    """Return `content` compressed as the zip entry `name`."""
    if len(content) > _LIMIT:
        raise ValueError(f"{name} er for stor til en Word-fil ({len(content)} byte).")
    try:
        encoded, flags = name.encode("ascii"), 0
    except UnicodeEncodeError:
        encoded, flags = name.encode("utf-8"), _UTF8_NAME
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return Entry(encoded, flags, zlib.crc32(content), len(content), data)


def zip_bytes(entries: Iterable[Entry]) -> bytes:
    """Return the zip of the entries, in order."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for item in entries:
        # What the local header and the central directory both say of the entry.
        shared = (
            item.flags,
            _DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            item.crc,
            len(item.data),
            item.size,
            len(item.name),
        )
        local = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, *shared, 0)
        # Made on MS-DOS (0), as zip_entries says; no extra field, comment or disk number.
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02",
                _VERSION,
                0,
                _VERSION,
                0,
                *shared,
                0,
                0,
                0,
                0,
                ZIP_ENTRY_ATTRIBUTES,
                offset,
            )
            + item.name
        )
        out += (local, item.name, item.data)
        offset += len(local) + len(item.name) + len(item.data)
        if offset > _LIMIT:
            raise ValueError("Word-filen ville blive for stor til en zip uden ZIP64.")
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(out) + directory + end
