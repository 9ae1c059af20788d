"""`render --format pdf`: the Word file printed by LibreOffice, and plain errors without it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from notebuild.writers.pdf import PdfError, docx_to_pdf

from .conftest import NOTES
from .test_cli import run

NOTE = NOTES / "BI19.yaml"
TITLE = "BI19 Forankring af metoder fra Projekt Trædesten"


def pdf_info(path: Path) -> dict[str, str]:
    assert shutil.which("pdfinfo"), "pdfinfo (poppler-utils) is missing: run `make test`"
    done = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60
    )
    return dict(
        (key.strip(), value.strip())
        for key, value in (line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)
    )


def pdf_text(path: Path) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is missing: run `make test`"
    done = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    )
    return " ".join(done.stdout.split())


def fake_soffice(folder: Path, script: str) -> Path:
    """Write an executable stand-in for soffice running `script` (sh)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "soffice"
    path.write_text(f"#!/bin/sh\n{script}\n", "utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def no_soffice(tmp_path, monkeypatch):
    """A PATH without LibreOffice (and no NOTEBUILD_SOFFICE)."""
    empty = tmp_path / "tom-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("NOTEBUILD_SOFFICE", raising=False)


def test_render_pdf_gives_a_tagged_pdf_holding_the_title(tmp_path, monkeypatch):
    # No skip: LibreOffice is part of `make test`; without it this fails.
    monkeypatch.delenv("NOTEBUILD_SOFFICE", raising=False)
    assert shutil.which("soffice"), "LibreOffice (soffice) is missing: run `make test`"
    result = run("render", NOTE, "--out", tmp_path, "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BI19.pdf"]
    pdf = tmp_path / "BI19.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert TITLE in text
    assert "Tabel 2 - Oversigt over ønskets aktiviteter" in text
    info = pdf_info(pdf)
    assert info["Title"] == TITLE
    assert info["Tagged"] == "yes"  # headings and tables reach a screen reader


def test_without_libreoffice_pdf_is_a_clear_error_and_the_other_formats_are_written(
    tmp_path, no_soffice
):
    out = tmp_path / "build"
    result = run("render", NOTE, "--out", out, "--format", "docx,pdf,html")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output.count("fejl:") == 1
    assert (
        "fejl: LibreOffice findes ikke, så der kan ikke laves PDF. Installer pakken "
        "libreoffice-writer-nogui" in result.output
    )
    assert "Ingen PDF er lavet" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["BI19.docx", "BI19.html"]


def test_notebuild_soffice_that_points_nowhere_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("NOTEBUILD_SOFFICE", str(tmp_path / "lo" / "soffice"))
    result = run("render", NOTE, "--out", tmp_path / "b", "--format", "pdf")
    assert result.exit_code == 1
    assert f"NOTEBUILD_SOFFICE er sat til {tmp_path / 'lo' / 'soffice'}" in result.output
    assert not (tmp_path / "b" / "BI19.pdf").exists()


def test_a_failed_conversion_is_reported_and_the_word_file_still_written(tmp_path, monkeypatch):
    soffice = fake_soffice(
        tmp_path / "lo", 'echo "Error: source file could not be loaded" >&2\nexit 3'
    )
    monkeypatch.setenv("NOTEBUILD_SOFFICE", str(soffice))
    out = tmp_path / "b"
    result = run("render", NOTE, "--out", out, "--format", "pdf,docx")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (
        f"{out / 'BI19.pdf'}: fejl: ikke skrevet. LibreOffice kunne ikke lave PDF'en "
        "(afsluttede med kode 3: Error: source file could not be loaded)" in result.output
    )
    assert sorted(p.name for p in out.iterdir()) == ["BI19.docx"]


def test_a_conversion_that_makes_no_file_is_a_failure_even_with_exit_code_0(tmp_path):
    soffice = fake_soffice(tmp_path / "lo", "exit 0")
    with pytest.raises(PdfError, match="kode 0"):
        docx_to_pdf(b"PK", soffice=str(soffice))


def test_a_hanging_libreoffice_is_stopped_with_everything_it_started(tmp_path):
    pid_file = tmp_path / "pid"
    # The helper does not hold LibreOffice's output pipes, as soffice.bin would not either.
    script = f"sleep 300 >/dev/null 2>&1 &\necho $! > {pid_file}\nwait"
    soffice = fake_soffice(tmp_path / "lo", script)
    with pytest.raises(PdfError, match="inden for 1 sekunder"):
        docx_to_pdf(b"PK", soffice=str(soffice), timeout=1)
    helper = int(pid_file.read_text())
    assert not _alive(helper)


def _alive(pid: int) -> bool:
    """Return whether `pid` runs (a zombie waiting for its parent does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False
