"""Both editions in headless Chromium: problems at their figures for the reviewer, none published.

tests/browser/check_marks.mjs opens each page (Debian's Chromium, as test_browser.py does),
reports every marked place — its text, whether it shows, what it is described by, its link —
follows the first mark's link to the summary and back by keyboard, and runs axe-core's WCAG
2.0/2.1 A and AA rules.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from notebuild.pipeline import check_file, compose
from notebuild.writers.html import render_html
from tests.reviewer_drafts import NOTES, drafts
from tests.test_browser import BROWSER, _require_tools

SCRIPT = BROWSER / "check_marks.mjs"
PUBLISHED = ("BI19", "delaftale-2014", "memo-2024-06-17")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, dict]:
    node = _require_tools()
    tmp = tmp_path_factory.mktemp("editions")
    html: dict[str, str] = {}
    for name, draft in drafts(tmp / "kilder").items():
        html[name] = render_html(draft.review)
    for name in PUBLISHED:
        html[f"{name}-offentlig"] = render_html(
            compose(check_file(NOTES / f"{name}.yaml"), edition="publish")
        )
    files = []
    for name, page in html.items():
        (tmp / f"{name}.html").write_text(page, "utf-8")
        files.append(str(tmp / f"{name}.html"))
    run = subprocess.run(
        [node, str(SCRIPT), str(tmp / "png"), *files], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    found = {Path(r["file"]).stem: r for r in map(json.loads, run.stdout.splitlines())}
    assert set(found) == set(html)
    for name, result in found.items():
        result["html"] = html[name]
    return found


REVIEWED = ("BI19-fejl", "delaftale-afrunding", "memo-kode", "BI30-udfyld")


@pytest.mark.parametrize("name", [*REVIEWED, *(f"{n}-offentlig" for n in PUBLISHED)])
def test_each_edition_has_no_axe_violations_and_no_console_errors(pages, name):
    assert pages[name]["violations"] == []
    assert pages[name]["console_errors"] == []


@pytest.mark.parametrize("name", REVIEWED)
def test_every_mark_shows_is_described_by_its_problem_and_links_to_the_summary_and_back(
    pages, name
):
    page = pages[name]
    assert page["marks"], "no problem is shown at its place"
    summary = {item["id"]: item["href"] for item in page["summary"]}
    for mark in page["marks"]:
        assert mark["visible"], mark
        assert mark["described_by"] and all(mark["described_by"]), mark
        number = mark["link_id"].removeprefix("at-problem-")
        assert mark["link_href"] == f"#problem-{number}"
        assert summary[f"problem-{number}"] == f"#{mark['link_id']}"
        if mark["tag"] in ("td", "th"):
            assert mark["row_marked"], mark
    first = page["marks"][0]
    assert first["summary_in_view"] and first["back_in_view"], first


def test_a_wrong_total_shows_the_authors_figure_struck_beside_the_computed_one(pages):
    (mark,) = pages["BI19-fejl"]["marks"]
    assert mark["tag"] == "td" and mark["stated"] == ["36.991"]
    assert mark["text"] == "angivet 36.991 beregnet 36.960 fejl 1"
    assert "angivet 36.991, men alle rækker og år giver 36.960" in mark["described_by"][0]


def test_a_rounding_difference_is_marked_at_the_figure_the_note_explains(pages):
    (mark,) = pages["delaftale-afrunding"]["marks"]
    assert mark["text"] == "4,0 advarsel 1" and mark["stated"] == []
    assert "Forskellen kan skyldes afrunding" in mark["described_by"][0]


def test_an_unknown_code_is_marked_where_the_document_prints_it(pages):
    (mark,) = pages["memo-kode"]["marks"]
    assert mark["tag"] == "mark" and mark["text"] == "BIQ indstiller,"
    assert "ukendt forvaltning 'BIQ'" in mark["described_by"][0]


def test_placeholders_to_fill_are_marked_in_the_text_and_the_tables(pages):
    marks = pages["BI30-udfyld"]["marks"]
    texts = [m["text"] for m in marks]
    assert any(t.startswith("UDFYLD: baggrunden") for t in texts), texts
    assert sum(1 for m in marks if m["tag"] == "td") >= 4  # Tabel 1's cells
    assert len(marks) == sum(1 for item in pages["BI30-udfyld"]["summary"] if item["href"])


@pytest.mark.parametrize("name", PUBLISHED)
def test_the_published_edition_carries_no_tool_marks(pages, name):
    page = pages[f"{name}-offentlig"]
    assert page["marks"] == [] and page["summary"] == []
    assert not page["verification"]
    assert page["computed_stops"] == 0  # no keyboard stop on every figure
    for mark in ("UDKAST", "notebuild har beregnet", "Beregnet:", 'class="how"'):
        assert mark not in page["html"]
