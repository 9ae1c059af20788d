"""Read a Word template file's bytes, or say plainly why not; no python-docx needed for that."""

from __future__ import annotations

from pathlib import Path

from notebuild.files.output import display_path

# A template file larger than this is not read at all (docx_template_safety.py measures the
# rest, once the file is read).
MAX_TEMPLATE_FILE = 50 * 1024 * 1024


class TemplateError(Exception):
    """The Word template cannot be used; the message names it and says what to do (Danish)."""


def read_template(path: Path) -> bytes:
    """Return the template file's bytes, or raise TemplateError saying why it cannot be read."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEMPLATE_FILE:  # refused before it is read
            raise TemplateError(
                f"{shown}: fejl: Word-skabelonen fylder {size // (1024 * 1024)} MB; højst "
                f"{MAX_TEMPLATE_FILE // (1024 * 1024)} MB (MAX_TEMPLATE_FILE). Brug en skabelon "
                "med typografier, sidehoved og sidefod, ikke et helt dokument."
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise TemplateError(f"{shown}: fejl: Word-skabelonen findes ikke. Tjek stien.") from None
    except IsADirectoryError:
        raise TemplateError(
            f"{shown}: fejl: er en mappe, ikke en Word-skabelon (.docx eller .dotx)."
        ) from None
    except OSError as exc:
        raise TemplateError(
            f"{shown}: fejl: Word-skabelonen kan ikke læses ({exc.strerror or exc})."
        ) from None
