"""Turn the Word file into PDF through LibreOffice headless, in a throwaway profile."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from notebuild.writers.font_chain import font_environment

ENVIRONMENT_VARIABLE = "NOTEBUILD_SOFFICE"
PACKAGE = "libreoffice-writer-nogui"
TIMEOUT_SECONDS = 180
# A tagged PDF (headings, tables and reading order for screen readers) that shows its title,
# not its file name, in the viewer's title bar. LibreOffice 7.4+ reads these JSON options.
EXPORT_OPTIONS = {
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "DisplayPDFDocTitle": {"type": "boolean", "value": "true"},
}
FILTER = f"pdf:writer_pdf_Export:{json.dumps(EXPORT_OPTIONS, separators=(',', ':'))}"

MISSING = (
    "LibreOffice findes ikke, så der kan ikke laves PDF. Installer pakken "
    f"{PACKAGE} (Debian/Ubuntu: sudo apt-get install {PACKAGE}), eller sæt "
    f"{ENVIRONMENT_VARIABLE} til stien til LibreOffice's soffice."
)


class PdfError(Exception):
    """No PDF could be made; the message says why and what to do (Danish)."""


class SofficeMissing(PdfError):
    """LibreOffice is not installed, or not where NOTEBUILD_SOFFICE says."""


def find_soffice() -> str:
    """Return the LibreOffice program to run: $NOTEBUILD_SOFFICE, else soffice on PATH."""
    configured = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise SofficeMissing(
                f"{ENVIRONMENT_VARIABLE} er sat til {configured}, men den fil findes ikke "
                "eller kan ikke køres. Ret stien til LibreOffice's soffice, eller fjern "
                f"variablen og installer pakken {PACKAGE}."
            )
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found is not None:
            return found
    raise SofficeMissing(MISSING)


def docx_to_pdf(
    data: bytes, *, soffice: str | None = None, timeout: float = TIMEOUT_SECONDS
) -> bytes:
    """Return the PDF LibreOffice prints of the .docx `data`; raise PdfError if it cannot."""
    program = soffice or find_soffice()
    with tempfile.TemporaryDirectory(prefix="notebuild-pdf-") as work:
        folder = Path(work)
        source = folder / "notat.docx"
        source.write_bytes(data)
        target = folder / "pdf" / "notat.pdf"
        command = [
            program,
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            # Its own profile: a LibreOffice the user has open (or another run) cannot interfere.
            f"-env:UserInstallation={(folder / 'profil').as_uri()}",
            "--convert-to",
            FILTER,
            "--outdir",
            str(target.parent),
            str(source),
        ]
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group, so a timeout can end it all
                env=font_environment(folder),  # KBH, else Liberation Sans (Arial's widths)
            )
        except OSError as exc:
            raise PdfError(
                f"LibreOffice ({program}) kan ikke startes: {exc.strerror or exc}. "
                f"Geninstaller pakken {PACKAGE}, eller ret {ENVIRONMENT_VARIABLE}."
            ) from None
        try:
            output, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _end(process)
            raise PdfError(
                f"LibreOffice blev ikke færdig med PDF'en inden for {timeout:g} sekunder og er "
                "stoppet. Prøv igen; sker det igen, så lav Word-filen (--format docx) og åbn "
                "den i LibreOffice for at se, hvad der går galt."
            ) from None
        except BaseException:  # Ctrl-C: its own process group would not get the signal
            _end(process)
            raise
        if process.returncode != 0 or not target.is_file():
            raise PdfError(
                f"LibreOffice kunne ikke lave PDF'en (afsluttede med kode {process.returncode}"
                f"{_said(output + errors)}). Lav Word-filen (--format docx) og åbn den i "
                "LibreOffice for at se, hvad der går galt."
            )
        return target.read_bytes()


def _end(process: subprocess.Popen[bytes]) -> None:
    """Stop the process and everything it started, and collect it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _said(output: bytes) -> str:
    """Return LibreOffice's last error line as ": …", or nothing."""
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line and not line.startswith("Warning:")]
    errors = [line for line in lines if "error" in line.lower()] or lines
    return f": {errors[-1][:300]}" if errors else ""
