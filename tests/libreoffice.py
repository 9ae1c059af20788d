"""The real Word client of the tests: LibreOffice turns .docx into PDF, pdftotext reads it back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from notebuild.writers.font_chain import font_environment


def pdf_texts(workdir: Path, documents: dict[str, bytes]) -> dict[str, str]:
    """Return the text LibreOffice prints for each named .docx (one soffice run for all)."""
    # No skip: a machine without the real client must fail here, not pass quietly.
    # `make test` installs both (Debian packages libreoffice-writer-nogui, poppler-utils).
    assert shutil.which("soffice"), "LibreOffice (soffice) is missing: run `make test`"
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is missing: run `make test`"
    sources = []
    for name, data in documents.items():
        source = workdir / f"{name}.docx"
        source.write_bytes(data)
        sources.append(str(source))
    subprocess.run(
        [
            shutil.which("soffice"),
            "--headless",
            f"-env:UserInstallation={(workdir / 'lo').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env=font_environment(workdir),  # as `render --format pdf` runs it
    )
    return {
        name: subprocess.run(
            ["pdftotext", str(workdir / f"{name}.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        for name in documents
    }


# LibreOffice's PDF export with Word comments kept as PDF text annotations (ExportNotes).
PDF_WITH_COMMENTS = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'


def pdf_with_comments(workdir: Path, name: str, data: bytes) -> Path:
    """Return the PDF LibreOffice prints of a .docx, its comments as PDF annotations."""
    assert shutil.which("soffice"), "LibreOffice (soffice) is missing: run `make test`"
    source = workdir / f"{name}.docx"
    source.write_bytes(data)
    subprocess.run(
        [
            shutil.which("soffice"),
            "--headless",
            f"-env:UserInstallation={(workdir / 'lo').as_uri()}",
            "--convert-to",
            PDF_WITH_COMMENTS,
            "--outdir",
            str(workdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env=font_environment(workdir),  # as `render --format pdf` runs it
    )
    return workdir / f"{name}.pdf"
