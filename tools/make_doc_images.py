"""Regenerate the pictures of the house look in docs/images/ (run after the look changes).

Renders a budget note, a committee memo and an agreement with notebuild, prints the Word files
to PDF with LibreOffice as `render --format pdf` does (KBH where installed, else Liberation
Sans) and saves each first page as PNG with pdftoppm:

    python tools/make_doc_images.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from notebuild.writers.font_chain import font_environment

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
NOTES = ("BI19", "memo-2024-06-17", "delaftale-2014")
RESOLUTION = 60  # dots per inch: readable on screen, small in the repository


def main() -> int:
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"{tool} mangler: kør `make test`, som installerer det.", file=sys.stderr)
            return 1
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        sources = [str(ROOT / "notes" / f"{name}.yaml") for name in NOTES]
        notebuild = [sys.executable, "-m", "notebuild", "render", "-f", "docx", "-o", work]
        subprocess.run([*notebuild, *sources], check=True)
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation={(out / 'lo').as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                *(str(out / f"{name}.docx") for name in NOTES),
            ],
            check=True,
            capture_output=True,
            timeout=240,
            env=font_environment(out),  # as `render --format pdf` runs it
        )
        for name in NOTES:
            prefix = IMAGES / f"{name}-side-1"
            subprocess.run(
                [
                    *("pdftoppm", "-png", "-singlefile", "-r", str(RESOLUTION), "-f", "1"),
                    str(out / f"{name}.pdf"),
                    str(prefix),
                ],
                check=True,
            )
            print(f"{prefix.relative_to(ROOT)}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
