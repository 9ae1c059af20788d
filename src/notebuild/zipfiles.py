"""Zip packages (.docx, .xlsx) with the same bytes on every run: fixed times and attributes."""

from __future__ import annotations

import io
import zipfile

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_ENTRY_ATTRIBUTES = 0o600 << 16


def fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and attributes, keeping the entry order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            # What zipfile writes for an entry without attributes anyway (rw for the owner);
            # said here so the value is chosen, not inherited.
            info.external_attr = ZIP_ENTRY_ATTRIBUTES
            out.writestr(info, source.read(entry.filename))
    return target.getvalue()
