"""Regenerate the pictures of the two editions in docs/images/ (run after their look changes).

BI19 with a wrong stated total as the reviewer's draft and BI19 as published, in headless
Chromium (tests/browser/check_marks.mjs takes the screenshots), and the Word draft with its
comments as LibreOffice prints it (comments in the margin) through pdftoppm:

    python tools/make_review_images.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests/reviewer_drafts.py makes the drafts

from notebuild.pipeline import check_file, compose, render_outputs  # noqa: E402
from notebuild.writers.html import render_html  # noqa: E402
from tests.reviewer_drafts import NOTES, drafts  # noqa: E402
from tests.writers.test_docx_changes import EDITS  # noqa: E402

IMAGES = ROOT / "docs" / "images"
SCRIPT = ROOT / "tests" / "browser" / "check_marks.mjs"
RESOLUTION = 60
# LibreOffice's PDF export with the comments kept as PDF annotations (a note mark at each
# comment's end; LibreOffice 7.4 cannot print them in the margin). As tests/libreoffice.py.
PDF_WITH_COMMENTS = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
DETAIL_RESOLUTION = 110


def main() -> int:
    for tool in ("soffice", "pdftoppm", "node"):
        if shutil.which(tool) is None:
            print(f"{tool} mangler: kør `make test`, som installerer det.", file=sys.stderr)
            return 1
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        draft = drafts(out / "kilder")["BI19-fejl"]
        (out / "redaktion.html").write_text(render_html(draft.review), "utf-8")
        published = compose(check_file(NOTES / "BI19.yaml"), edition="publish")
        (out / "offentlig.html").write_text(render_html(published), "utf-8")
        subprocess.run(
            [
                "node",
                str(SCRIPT),
                str(out / "png"),
                str(out / "redaktion.html"),
                str(out / "offentlig.html"),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pictures = {
            "udgave-redaktion-tabel.png": out / "png" / "redaktion.png",
            "udgave-redaktion-top.png": out / "png" / "redaktion-top.png",
            "udgave-offentlig-top.png": out / "png" / "offentlig-top.png",
        }
        for name, made in pictures.items():
            shutil.copyfile(made, IMAGES / name)
            print(f"docs/images/{name}")
        word = render_outputs(draft.review, ("docx",))["docx"]
        pdf = _print(out, "kommentarer", word)
        page = _page_with(pdf, "Udgifter i alt (netto)")
        _picture(pdf, page, IMAGES / "udgave-word-kommentar", RESOLUTION)
        # The table around the figure, larger: the comment's mark beside 36.960.
        _detail(pdf, page, "36.960", IMAGES / "udgave-word-kommentar-detalje")
        # A new version's changes tracked in Word (the edits of tests/writers/test_docx_changes).
        new = _new_version(out / "ny")
        changes = subprocess.run(
            [
                sys.executable,
                "-m",
                "notebuild",
                "diff",
                str(NOTES / "BI19.yaml"),
                str(new),
                "--format",
                "docx",
                "--date",
                "2026-12-05T10:00",
                "--out",
                str(out / "d.docx"),
            ],
            check=True,
            capture_output=True,
        )
        assert changes.returncode == 0
        pdf = _print(out, "aendringer", (out / "d.docx").read_bytes())
        page = _page_with(pdf, "Udgifter i alt (netto)")
        _detail(pdf, page, "(netto)", IMAGES / "diff-word-tabel")
    return 0


def _new_version(folder: Path) -> Path:
    text = (NOTES / "BI19.yaml").read_text("utf-8")
    for old, new in EDITS:
        text = text.replace(old, new)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "BI19.yaml").write_text(text, "utf-8")
    return folder / "BI19.yaml"


def _print(out: Path, name: str, docx: bytes) -> Path:
    """Return the PDF LibreOffice prints of `docx`, comments as annotations."""
    (out / f"{name}.docx").write_bytes(docx)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation={(out / 'lo').as_uri()}",
            "--convert-to",
            PDF_WITH_COMMENTS,
            "--outdir",
            str(out),
            str(out / f"{name}.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return out / f"{name}.pdf"


def _picture(pdf: Path, page: int, prefix: Path, resolution: int, crop: tuple = ()) -> None:
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-singlefile",
            "-r",
            str(resolution),
            "-f",
            str(page),
            *crop,
            str(pdf),
            str(prefix),
        ],
        check=True,
        capture_output=True,
    )
    print(f"docs/images/{prefix.name}.png")


def _detail(pdf: Path, page: int, word: str, prefix: Path) -> None:
    """Save the part of `page` above and around `word` (a table's total), enlarged."""
    _, y0, _, y1 = _box(pdf, page, word)
    scale = DETAIL_RESOLUTION / 72
    top = max(0.0, y0 - 150)
    crop = {"-x": 40 * scale, "-y": top * scale, "-W": 520 * scale, "-H": (y1 + 20 - top) * scale}
    flat = tuple(str(v) for key, number in crop.items() for v in (key, round(number)))
    _picture(pdf, page, prefix, DETAIL_RESOLUTION, flat)


def _box(pdf: Path, page: int, word: str) -> tuple[float, ...]:
    """Return where `word` stands on `page` (points from the top left), by pdftotext."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
        + re.escape(word)
        + "</word>",
        html,
    )
    assert found is not None, word
    return tuple(float(v) for v in found.groups())


def _page_with(pdf: Path, text: str) -> int:
    """Return the number of the first page of `pdf` that holds `text`."""
    pages = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    return next(number for number, page in enumerate(pages, 1) if text in page)


if __name__ == "__main__":
    sys.exit(main())
