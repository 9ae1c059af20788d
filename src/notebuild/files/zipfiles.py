"""Zip packages (.docx, .xlsx) with the same bytes on every run: fixed times and attributes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_ENTRY_ATTRIBUTES = 0o600 << 16


def fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and attributes, keeping the entry order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return zip_entries((entry.filename, source.read(entry)) for entry in source.infolist())


def zip_entries(entries: Iterable[tuple[str, bytes]], level: int = 6) -> bytes:
    """Return a zip of the (name, content) entries, in order, with fixed times and attributes.

    `level` is zlib's compression level: 6, the default, or 1 where speed counts more than
    a fifth more bytes.
    """
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            # What zipfile writes for an entry without attributes anyway (rw for the owner);
            # said here so the value is chosen, not inherited.
            info.external_attr = ZIP_ENTRY_ATTRIBUTES
            out.writestr(info, content, compresslevel=level)
    return target.getvalue()
