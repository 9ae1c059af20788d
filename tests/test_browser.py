"""Headless Chromium opens each note's HTML: no console errors, no axe findings, whole tables.

One Node run (tests/browser/check_pages.mjs, playwright-core driving Debian's Chromium) opens
every page of the session: each shipped note, a draft with a wrong total, and a page broken on
purpose, which shows that every check here can fail. For each page it collects console errors
and Content-Security-Policy violations with the policy in force, runs axe-core's WCAG 2.0/2.1 A
and AA rules, and prints the page to PDF on A4 with the print stylesheet; pdftotext and pdfinfo
read the PDF back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from notebuild.document.model import (
    Block,
    Document,
    ListBlock,
    Quote,
    Table,
    plain_text,
)
from notebuild.pipeline import check_file, compose, render_outputs

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "notes"
BROWSER = ROOT / "tests" / "browser"
SCRIPT = BROWSER / "check_pages.mjs"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
NOTE_IDS = tuple(sorted(path.stem for path in NOTES.glob("*.yaml")))
DRAFT = "BI19-udkast"  # BI19 with a wrong total, rendered as a draft: the problem styling
BROKEN = "BI19-broken"  # BI19 with faults put in on purpose

# The faults of BROKEN: an image without a text alternative, pale text, an inline script (which
# the page's policy must refuse), and on paper Tabel 2's rows pushed off the page that holds its
# caption and header, and Tabel 3's total row left out.
FAULTS = """\
<style>
@media print {
  div[aria-labelledby="tabel-2"] tbody tr:first-child { break-before: page; }
  div[aria-labelledby="tabel-3"] tr.total { display: none; }
}
</style>
<script>document.documentElement.dataset.ran = "1";</script>
"""
FAULTY_CONTENT = (
    '<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">\n'
    '<p style="color: #aaaaaa">Lys grå tekst på hvid baggrund.</p>\n'
)


# --- the pages ----------------------------------------------------------------------------------


@dataclass
class Page:
    document: Document
    html: str


def note_page(path: Path, *, draft: bool = False) -> Page:
    checked = check_file(path)
    assert checked.ok or draft, [p.message for p in checked.problems]
    document = compose(checked, draft=draft)
    return Page(document, render_outputs(document, ("html",))["html"].decode("utf-8"))


def pages(tmp: Path) -> dict[str, Page]:
    result = {note_id: note_page(NOTES / f"{note_id}.yaml") for note_id in NOTE_IDS}
    source = (NOTES / "BI19.yaml").read_text("utf-8")
    assert source.count("i_alt: 36.960") == 1
    wrong = tmp / "BI19.yaml"
    wrong.write_text(source.replace("i_alt: 36.960", "i_alt: 36.991"), "utf-8")
    result[DRAFT] = note_page(wrong, draft=True)
    bi19 = result["BI19"]
    html = bi19.html.replace("</head>", FAULTS + "</head>", 1)
    html = html.replace("<main>", "<main>\n" + FAULTY_CONTENT, 1)
    assert html.count(FAULTY_CONTENT) == 1 and html.count(FAULTS) == 1
    result[BROKEN] = Page(bi19.document, html)
    return result


# --- one browser run for the session -----------------------------------------------------------


@dataclass
class Result:
    page: Page
    console_errors: list[str]
    page_errors: list[str]
    csp_violations: list[str]
    violations: list[dict]
    pdf: Path


def _require_tools() -> str:
    # No skip: a machine without the real client must fail here, not pass quietly.
    node = shutil.which("node")
    missing = [
        name
        for name, present in (
            ("node (Debian package nodejs)", node),
            (f"Chromium ({CHROMIUM}, Debian package chromium)", CHROMIUM.exists()),
            ("pdftotext (poppler-utils)", shutil.which("pdftotext")),
            ("pdfinfo (poppler-utils)", shutil.which("pdfinfo")),
            (
                "axe-core and playwright-core (tests/browser/node_modules)",
                (BROWSER / "node_modules" / "axe-core").is_dir()
                and (BROWSER / "node_modules" / "playwright-core").is_dir(),
            ),
        )
        if not present
    ]
    assert not missing, f"missing {', '.join(missing)}: run `make test`"
    return node


@pytest.fixture(scope="session")
def browser(tmp_path_factory) -> dict[str, Result]:
    node = _require_tools()
    tmp = tmp_path_factory.mktemp("browser")
    rendered = pages(tmp)
    files = []
    for name, page in rendered.items():
        path = tmp / f"{name}.html"
        path.write_text(page.html, "utf-8")
        files.append(str(path))
    run = subprocess.run(
        [node, str(SCRIPT), str(tmp / "pdf"), *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"{SCRIPT.name} failed:\n{run.stderr}"
    results = {}
    for line in run.stdout.splitlines():
        found = json.loads(line)
        name = Path(found["file"]).stem
        results[name] = Result(
            rendered[name],
            found["console_errors"],
            found["page_errors"],
            found["csp_violations"],
            found["violations"],
            Path(found["pdf"]),
        )
    assert set(results) == set(rendered), run.stdout
    return results


# --- reading the PDF back ---------------------------------------------------------------------


def pdf_text(pdf: Path) -> str:
    """Return the PDF's text laid out as printed (a table row on one line), pages split by \\f."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return unicodedata.normalize("NFKC", text)  # ligatures such as "ﬁ" read as letters


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(
        ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines())}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def tables(blocks: tuple[Block, ...]) -> list[Table]:
    found = []
    for block in blocks:
        if isinstance(block, Table):
            found.append(block)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found += tables(item)
        elif isinstance(block, Quote):
            found += tables(block.blocks)
    return found


def _word(word: str) -> str:
    return rf"(?<!\S){re.escape(word)}(?!\S)"


def table_problems(printed: str, document: Document) -> list[str]:
    """Return how the printed tables differ from the document's, in words; [] when all is well.

    Each table's caption must be printed, then every body row in order, each on one line: the
    first word of each of its cells (cells are top-aligned, so their first lines share a line;
    a figure is one word, so a row's figures are all there). The first row must be on the page
    of the caption and header, which must not stand alone at the foot of a page. A table that
    fits on a page (fewer printed lines than the fullest page holds) is printed on one page.
    """
    problems = []
    position = 0
    page_lines = max(len(page.splitlines()) for page in printed.split("\f"))
    for table in tables(document.blocks):
        caption = re.compile(r"\s+".join(map(re.escape, table.label.split())))
        match = caption.search(printed, position)
        if not match:
            problems.append(f"{table.label}: the caption is not printed")
            continue
        caption_page = printed.count("\f", 0, match.start()) + 1
        position = match.end()
        for number, row in enumerate(table.body, 1):
            texts = [plain_text(cell.children, footnote_marks=True).strip() for cell in row.cells]
            words = [text.split()[0] for text in texts if text]
            if not words:
                continue
            line = re.compile(r"[^\n]*?".join(map(_word, words)))
            found = line.search(printed, position)
            if not found:
                last = " (the last row)" if number == len(table.body) else ""
                problems.append(
                    f"{table.label}: row {number}{last} is not printed whole on one line: "
                    f"{' | '.join(plain_text(c.children, footnote_marks=True) for c in row.cells)}"
                )
                continue
            if number == 1 and (page := printed.count("\f", 0, found.start()) + 1) != caption_page:
                problems.append(
                    f"{table.label}: caption and header on page {caption_page}, "
                    f"the first row on page {page}"
                )
            position = found.end()
        last_page = printed.count("\f", 0, position) + 1
        span = printed[match.start() : position]
        height = len([line for line in span.splitlines() if line.strip()])
        if last_page != caption_page and height < page_lines // 2:
            problems.append(
                f"{table.label}: {height} lines, split over pages {caption_page}-{last_page}"
            )
    return problems


# --- every page as it ships ---------------------------------------------------------------------

SHIPPED = (*NOTE_IDS, DRAFT)


@pytest.mark.parametrize("name", SHIPPED)
def test_page_loads_without_console_errors_or_policy_violations(browser, name):
    result = browser[name]
    assert result.console_errors == []
    assert result.page_errors == []
    assert result.csp_violations == []


def readable(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"      at {target}" for target in v["targets"])
        for v in violations
    )


@pytest.mark.parametrize("name", SHIPPED)
def test_axe_finds_no_wcag_a_or_aa_violations(browser, name):
    violations = browser[name].violations
    assert violations == [], f"axe-core on {name}:\n{readable(violations)}"


@pytest.mark.parametrize("name", SHIPPED)
def test_print_is_a4_with_the_title_and_every_table_whole(browser, name):
    result = browser[name]
    assert result.pdf.is_file() and result.pdf.stat().st_size > 0, result.pdf
    info = pdf_info(result.pdf)
    printed = pdf_text(result.pdf)
    pages = printed.split("\f")[:-1]  # every page ends with a form feed
    assert "(A4)" in info["Page size"]
    assert int(info["Pages"]) == len(pages)
    # Sane: no empty page (a stray break), and pages reasonably full.
    assert [n for n, page in enumerate(pages, 1) if not page.strip()] == []
    assert len(printed.split()) / len(pages) > 150, f"{len(pages)} pages"
    document = result.page.document
    assert normalise(document.title) in normalise(printed)
    assert table_problems(printed, document) == []


# --- the checks above can fail --------------------------------------------------------------


def test_axe_reports_a_missing_alt_text_and_pale_text(browser):
    violations = {v["id"]: v for v in browser[BROKEN].violations}
    assert set(violations) == {"image-alt", "color-contrast"}, readable(list(violations.values()))
    assert violations["image-alt"]["targets"] == ["img"]
    (pale,) = violations["color-contrast"]["targets"]
    assert pale.startswith("main > p"), pale


def test_the_page_is_loaded_with_its_content_security_policy_in_force(browser):
    # The inline script is refused: the page is checked as it ships, not with CSP bypassed.
    result = browser[BROKEN]
    assert len(result.csp_violations) == 1, result.csp_violations
    assert result.csp_violations[0].startswith("script-src")
    assert any("Content Security Policy" in e for e in result.console_errors)


def test_a_stranded_caption_a_split_short_table_and_a_missing_total_row_are_caught(browser):
    result = browser[BROKEN]
    problems = table_problems(pdf_text(result.pdf), result.page.document)
    assert len(problems) == 3, problems
    assert problems[0].startswith("Tabel 2 - ") and "the first row on page" in problems[0]
    assert problems[1].startswith("Tabel 2 - ") and "split over pages" in problems[1]
    assert problems[2].startswith("Tabel 3 - ") and "(the last row)" in problems[2]
