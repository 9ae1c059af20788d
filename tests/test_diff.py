"""`notebuild diff` as a reviewer uses it: two versions in, one page showing what changed."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from notebuild.cli import main

from .conftest import NOTES, line_of
from .html_text import html_text
from .test_browser import SCRIPT, _require_tools, readable

BI19 = NOTES / "BI19.yaml"
MEMO = NOTES / "memo-2024-06-17.yaml"
AGREEMENT = NOTES / "delaftale-2014.yaml"

# The second activity of BI19 gets 100 more in 2025, with every total the author states that
# it moves: the activity's own, Tabel 2's "Udgifter i alt (netto)" and Tabel 4's.
MORE_IN_2025 = (
    (
        "beløb: {2024: 6.240, 2025: 8.320, 2026: 8.320, 2027: 8.320}\n      i_alt: 31.200",
        "beløb: {2024: 6.240, 2025: 8.420, 2026: 8.320, 2027: 8.320}\n      i_alt: 31.300",
        2,
    ),
    (
        "beløb: {2023: 720, 2024: 7.500, 2025: 9.580, 2026: 9.580, 2027: 9.580}\n    i_alt: 36.960",
        "beløb: {2023: 720, 2024: 7.500, 2025: 9.680, 2026: 9.580, 2027: 9.580}\n    i_alt: 37.060",
        1,
    ),
)
NEW_ACTIVITY = """\
    - navn: Evaluering af indsatsen
      bevillingsnavn: Evaluering
      styringsområde: service
      udvalg: BIU
      bevilling: "35.10"
      art: U
      beløb: {2027: 500}
      i_alt: 500
  # "Udgifter i alt (netto)\""""
WITH_NEW_ACTIVITY = (
    ('  # "Udgifter i alt (netto)"', NEW_ACTIVITY, 1),
    (
        "beløb: {2023: 720, 2024: 7.500, 2025: 9.580, 2026: 9.580, 2027: 9.580}\n    i_alt: 36.960",
        "beløb: {2023: 720, 2024: 7.500, 2025: 9.580, 2026: 9.580, 2027: 10.080}\n"
        "    i_alt: 37.460",
        1,
    ),
    (
        "beløb: {2023: 720, 2024: 1.260, 2025: 1.260, 2026: 1.260, 2027: 1.260}\n"
        "      i_alt: 5.760",
        "beløb: {2023: 720, 2024: 1.260, 2025: 1.260, 2026: 1.260, 2027: 1.760}\n"
        "      i_alt: 6.260",
        1,
    ),
)


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="notebuild")


def edited(source: Path, target: Path, replacements: tuple[tuple[str, str, int], ...] = ()) -> Path:
    """Write `source` to `target` with each (old, new, times) replaced, checking `times`."""
    text = source.read_text("utf-8")
    for old, new, times in replacements:
        assert text.count(old) == times, f"{old!r} occurs {text.count(old)} times, not {times}"
        text = text.replace(old, new)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")
    return target


def diff_page(tmp_path: Path, old: Path, new: Path) -> str:
    out = tmp_path / "diff.html"
    result = run("diff", old, new, "--out", out)
    assert result.exit_code == 0, result.output
    return out.read_text("utf-8")


def changes(html: str) -> str:
    """Return the part of the page after the summary: the sections that changed."""
    start = html.index('<section class="diff-section')
    return html[start:]


def marked(html: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.DOTALL)


def text(html: str) -> str:
    return html_text(html)


# --- prose -----------------------------------------------------------------------------------


def test_a_changed_word_is_exactly_that_word_deleted_and_inserted(tmp_path):
    new = edited(BI19, tmp_path / "ny" / "BI19.yaml", (("gradvis optag", "langsom optag", 1),))
    html = diff_page(tmp_path, BI19, new)
    body = changes(html)
    assert marked(body, "del") == ["gradvis"]
    assert marked(body, "ins") == ["langsom"]
    # Screen readers hear what happened; the text around the change is there, unmarked.
    assert '<span class="visually-hidden">slettet: </span><del>gradvis</del>' in body
    assert '<span class="visually-hidden">indsat: </span><ins>langsom</ins>' in body
    assert "vil der være slettet: gradvis indsat: langsom optag af borgere" in text(body)
    assert "Økonomi (ændret)" in text(body)
    assert "1 afsnit ændret." in text(html)


def test_inserted_words_are_marked_without_the_spaces_around_them(tmp_path):
    new = edited(
        BI19,
        tmp_path / "ny" / "BI19.yaml",
        (("samlet at komme op", "samlet og hurtigt at komme op", 1),),
    )
    body = changes(diff_page(tmp_path, BI19, new))
    assert marked(body, "ins") == ["og hurtigt"]
    assert marked(body, "del") == []
    assert "samlet indsat: og hurtigt at komme op" in text(body)


def test_the_page_has_a_legend_and_says_changes_are_not_only_coloured(tmp_path):
    new = edited(BI19, tmp_path / "ny" / "BI19.yaml", (("gradvis optag", "langsom optag", 1),))
    html = diff_page(tmp_path, BI19, new)
    assert "Sådan læses siden" in text(html)
    assert "står i klammer med plus og er understreget" in text(html)
    # The brackets are in the stylesheet, so the page shows them whatever the colours.
    assert 'content: "[+"' in html and 'content: "[\\2212"' in html


# --- tables ----------------------------------------------------------------------------------


def test_a_changed_amount_shows_the_cell_and_every_total_it_moved(tmp_path):
    new = edited(BI19, tmp_path / "ny" / "BI19.yaml", MORE_IN_2025)
    html = diff_page(tmp_path, BI19, new)
    page = text(html)
    assert "2 celler ændret, 6 totaler flyttet." in page
    moved = text(html[html.index("Totaler, der har flyttet sig") : html.index("Sådan læses")])
    assert moved == (
        "Totaler, der har flyttet sig "
        "Tabel 2 - Oversigt over ønskets aktiviteter på alle styringsområder "
        "Beskæftigelsesrettet aktivering for ca. 80 borgere, herunder efterværn, I alt: "
        "31.200 → 31.300 (+100) "
        "Udgifter i alt (netto), 2025: 9.580 → 9.680 (+100) "
        "Udgifter i alt (netto), I alt: 36.960 → 37.060 (+100) "
        "Tabel 4 - Udgifter til overførsler mv. "
        "Beskæftigelsesrettet aktivering, I alt: 31.200 → 31.300 (+100) "
        "Udgifter i alt, 2025: 8.320 → 8.420 (+100) "
        "Udgifter i alt, I alt: 31.200 → 31.300 (+100)"
    )
    # The changed cell itself, in its row of Tabel 4: old and new value and the difference.
    table_4 = changes(html)[changes(html).index("Tabel 4 - Udgifter til overførsler") :]
    row = re.search(r"<tr class=\"row-changed\">.*?</tr>", table_4, re.DOTALL).group()
    assert text(row) == (
        "ændret Beskæftigelsesrettet aktivering BIU 35.30 U 0 6.240 "
        "slettet: 8.320 → indsat: 8.420 (+100) 8.320 8.320 "
        "slettet: 31.200 → indsat: 31.300 (+100)"
    )
    # Tabel 3 (service) did not change and is not shown.
    assert "Tabel 3" not in changes(html)


def test_a_smaller_figure_shows_a_negative_difference(tmp_path):
    new = edited(
        AGREEMENT,
        tmp_path / "ny" / "delaftale-2014.yaml",
        (
            (
                "beløb: {2014: 1.000, 2015: 1.000, 2016: 1.000}",
                "beløb: {2014: 1.000, 2015: 1.000, 2016: 800}",
                1,
            ),
            (
                "i_alt: {2014: 4.000, 2015: 4.000, 2016: 4.000}",
                "i_alt: {2014: 4.000, 2015: 4.000, 2016: 3.800}",
                1,
            ),
        ),
    )
    page = text(diff_page(tmp_path, AGREEMENT, new))
    assert "Indsatsudgifter i alt, 2016: 4.000 → 3.800 (\u2212200)" in page
    assert "slettet: 1.000 → indsat: 800 (\u2212200)" in page


def test_an_added_activity_is_marked_added_in_every_table_it_reaches(tmp_path):
    new = edited(BI19, tmp_path / "ny" / "BI19.yaml", WITH_NEW_ACTIVITY)
    html = diff_page(tmp_path, BI19, new)
    body = changes(html)
    added = re.findall(r"<tr class=\"row-added\">.*?</tr>", body, re.DOTALL)
    assert [text(row) for row in added] == [
        "tilføjet indsat: Evaluering af indsatsen indsat: Service indsat: 500 indsat: 500",
        "tilføjet indsat: Evaluering indsat: BIU indsat: 35.10 indsat: U indsat: 0 indsat: 0 "
        "indsat: 0 indsat: 0 indsat: 500 indsat: 500",
    ]
    assert "2 rækker tilføjet" in text(html)
    assert "Udgifter i alt, 2027: 1.260 → 1.760 (+500)" in text(html)
    assert "Udgifter i alt (netto), I alt: 36.960 → 37.460 (+500)" in text(html)


def test_a_removed_activity_is_marked_removed(tmp_path):
    new = edited(BI19, tmp_path / "ny" / "BI19.yaml", WITH_NEW_ACTIVITY)
    # The other way round: the newer version lacks the activity.
    html = diff_page(tmp_path, new, BI19)
    removed = re.findall(r"<tr class=\"row-removed\">.*?</tr>", changes(html), re.DOTALL)
    assert len(removed) == 2
    assert text(removed[0]).startswith("fjernet slettet: Evaluering af indsatsen")
    assert "2 rækker fjernet" in text(html)


# --- sections --------------------------------------------------------------------------------


def without_political_room(source: Path, target: Path) -> Path:
    """Write the memo without its optional section "Politisk handlerum"."""
    text = source.read_text("utf-8")
    start, end = text.index("politisk_handlerum:"), text.index("videre_proces:")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text[:start] + text[end:], "utf-8")
    return target


def test_a_removed_memo_section_is_marked_removed_with_its_text(tmp_path):
    new = without_political_room(MEMO, tmp_path / "ny" / MEMO.name)
    html = diff_page(tmp_path, MEMO, new)
    assert "1 afsnit fjernet." in text(html)
    assert "Politisk handlerum: fjernet afsnit" in text(html)
    section = re.search(
        r'<section class="diff-section section-removed".*?</section>', html, re.DOTALL
    ).group()
    assert text(section).startswith(
        "slettet: Politisk handlerum (fjernet afsnit) Slettet tekst: slettet: "
        "Beskæftigelses- og Integrationsudvalget kan beslutte andre rammer"
    )


def test_a_removed_section_stands_where_it_stood(tmp_path):
    new = edited(
        without_political_room(MEMO, tmp_path / "kort" / MEMO.name),
        tmp_path / "ny" / MEMO.name,
        (
            ("betinget af efterspørgslen", "betinget af den faktiske efterspørgsel", 1),
            ("igangsættes arbejdet", "igangsættes straks arbejdet", 1),
        ),
    )
    headings = re.findall(r"<h2 id=\"afsnit-\d+\">(.*?) <span", diff_page(tmp_path, MEMO, new))
    assert [text(h) for h in headings] == [
        "Økonomi",
        "slettet: Politisk handlerum",
        "Videre proces",
    ]


def test_an_added_section_is_marked_added(tmp_path):
    old = without_political_room(MEMO, tmp_path / "gammel" / MEMO.name)
    html = diff_page(tmp_path, old, MEMO)
    assert "1 afsnit tilføjet." in text(html)
    section = re.search(
        r'<section class="diff-section section-added".*?</section>', html, re.DOTALL
    ).group()
    assert text(section).startswith("indsat: Politisk handlerum (nyt afsnit) Ny tekst: indsat:")


def test_a_changed_risk_assessment_shows_only_its_changed_paragraph(tmp_path):
    new = edited(
        BI19,
        tmp_path / "ny" / "BI19.yaml",
        (
            (
                "Der er således risiko for et mindreforbrug",
                "Der er således en vis risiko for et mindreforbrug",
                1,
            ),
        ),
    )
    body = changes(diff_page(tmp_path, BI19, new))
    assert "Risikovurdering og proces (ændret)" in text(body)
    assert marked(body, "ins") == ["en vis"]
    assert "… 4 uændrede tekststykker …" in text(body)


def test_identical_versions_say_no_changes(tmp_path):
    out = tmp_path / "diff.html"
    result = run("diff", BI19, BI19, "--out", out)
    assert result.exit_code == 0, result.output
    assert "Ingen ændringer." in result.output
    html = out.read_text("utf-8")
    assert "Ingen ændringer." in text(html)
    assert '<section class="diff-section' not in html
    assert marked(html, "ins") == marked(html, "del") == []


def test_the_page_is_written_to_build_by_default_with_the_notes_look(tmp_path, monkeypatch):
    new = edited(BI19, tmp_path / "ny" / "BI19.yaml", (("gradvis optag", "langsom optag", 1),))
    monkeypatch.chdir(tmp_path)
    result = run("diff", BI19, new)
    assert result.exit_code == 0, result.output
    page = tmp_path / "build" / "BI19-diff.html"
    assert result.output.startswith("build/BI19-diff.html: 1 afsnit ændret.")
    html = page.read_text("utf-8")
    assert html.startswith('<!doctype html>\n<html lang="da">')
    assert "Content-Security-Policy" in html and "<script" not in html
    assert "--kk-blue: #003c71" in html  # the house stylesheet, inlined
    assert [p.name for p in page.parent.iterdir()] == ["BI19-diff.html"]  # no temporary left


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.th_without_scope = 0

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "th" and "scope" not in dict(attrs):
            self.th_without_scope += 1


def test_headings_are_in_order_and_every_table_header_has_a_scope(tmp_path):
    new = edited(BI19, tmp_path / "ny" / "BI19.yaml", WITH_NEW_ACTIVITY)
    structure = _Structure()
    structure.feed(diff_page(tmp_path, BI19, new))
    levels = structure.headings
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert structure.th_without_scope == 0


# --- against a git revision ------------------------------------------------------------------


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repository(tmp_path, monkeypatch):
    """Return a git repository holding notes/BI19.yaml in one commit; the working folder."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    folder = tmp_path / "repo"
    edited(BI19, folder / "notes" / "BI19.yaml")
    git(folder, "init", "-q")
    git(folder, "add", "notes/BI19.yaml")
    git(folder, "commit", "-q", "-m", "BI19")
    monkeypatch.chdir(folder)
    return folder


def test_rev_compares_with_the_committed_version(repository):
    note = repository / "notes" / "BI19.yaml"
    edited(note, note, MORE_IN_2025)
    result = run("diff", "--rev", "HEAD", "notes/BI19.yaml")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "build/BI19-diff.html: 2 afsnit ændret, 2 celler ændret, 6 totaler flyttet."
    )
    page = text((repository / "build" / "BI19-diff.html").read_text("utf-8"))
    assert "Før HEAD:notes/BI19.yaml Efter notes/BI19.yaml" in page
    assert "Udgifter i alt, 2025: 8.320 → 8.420 (+100)" in page


def test_rev_with_format_docx_writes_word_with_tracked_changes_dated_by_the_file(repository):
    note = repository / "notes" / "BI19.yaml"
    edited(note, note, MORE_IN_2025)
    os.utime(note, (1764928800, 1764928800))  # 2025-12-05 10:00:00 UTC
    result = run("diff", "--rev", "HEAD", "notes/BI19.yaml", "--format", "docx")
    assert result.exit_code == 0, result.output
    written = repository / "build" / "BI19-diff.docx"
    assert result.output.startswith("build/BI19-diff.docx: 2 afsnit ændret")
    body = zipfile.ZipFile(written).read("word/document.xml").decode("utf-8")
    assert re.search(
        r'<w:del w:id="\d+" w:author="notebuild" w:date="2025-12-05T10:00:00Z">'
        r"<w:r><w:rPr><w:b/></w:rPr><w:delText xml:space=\"preserve\">8.320</w:delText>",
        body,
    )
    assert ">8.420</w:t></w:r></w:ins>" in body


def test_a_date_that_is_not_one_is_a_danish_usage_error(tmp_path):
    result = run("diff", BI19, BI19, "--format", "docx", "--date", "i morgen")
    assert result.exit_code == 2
    assert "'i morgen' er ikke en dato" in result.output


def test_rev_works_from_another_folder_of_the_repository(repository, monkeypatch):
    note = repository / "notes" / "BI19.yaml"
    edited(note, note, (("gradvis optag", "langsom optag", 1),))
    monkeypatch.chdir(repository / "notes")
    result = run("diff", "--rev", "HEAD", "BI19.yaml", "--out", repository / "d.html")
    assert result.exit_code == 0, result.output
    assert marked(changes((repository / "d.html").read_text("utf-8")), "ins") == ["langsom"]


def test_an_unknown_revision_is_a_danish_usage_error(repository):
    result = run("diff", "--rev", "findesikke", "notes/BI19.yaml")
    assert result.exit_code == 2
    assert "revisionen 'findesikke' findes ikke i git-arkivet" in result.output
    assert "Traceback" not in result.output
    assert not (repository / "build").exists()


def test_a_file_absent_at_the_revision_is_named(repository):
    edited(MEMO, repository / "notes" / MEMO.name)  # never committed
    result = run("diff", "--rev", "HEAD", f"notes/{MEMO.name}")
    assert result.exit_code == 2
    assert f"notes/{MEMO.name} fandtes ikke i revision HEAD" in result.output


def test_rev_outside_a_git_repository_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    note = edited(BI19, tmp_path / "løs" / "BI19.yaml")
    result = run("diff", "--rev", "HEAD", note)
    assert result.exit_code == 2
    assert "ligger ikke i et git-arkiv" in result.output
    assert "notebuild diff GAMMEL.yaml NY.yaml" in result.output


# --- errors ----------------------------------------------------------------------------------


def test_a_missing_file_is_a_usage_error(tmp_path):
    result = run("diff", BI19, tmp_path / "findes-ikke.yaml", "--out", tmp_path / "d.html")
    assert result.exit_code == 2
    assert "findes ikke" in result.output and "findes-ikke.yaml" in result.output
    assert not (tmp_path / "d.html").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((BI19,), "giv to filer"),
        ((BI19, BI19, BI19), "giv to filer"),
        (("--rev", "HEAD", BI19, BI19), "med --rev gives én fil"),
    ],
)
def test_the_wrong_number_of_files_is_a_usage_error(args, message):
    result = run("diff", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_version_with_a_wrong_total_is_compared_as_a_draft(tmp_path):
    new = edited(
        BI19,
        tmp_path / "ny" / "BI19.yaml",
        (("gradvis optag", "langsom optag", 1), ("i_alt: 36.960", "i_alt: 36.991", 1)),
    )
    out = tmp_path / "diff.html"
    result = run("diff", BI19, new, "--out", out)
    assert result.exit_code == 0, result.output
    line = line_of(new, "i_alt: 36.991")
    assert f"BI19.yaml:{line}:" in result.output and "[total-mismatch]" in result.output
    assert "har fejl; sammenlignes som udkast" in result.output
    page = text(out.read_text("utf-8"))
    assert "Udgaver med fejl" in page and "sammenlignet som udkast" in page
    assert f"BI19.yaml, linje {line}" in page
    assert "slettet: gradvis indsat: langsom" in page


def test_an_unreadable_version_is_reported_and_nothing_is_written(tmp_path):
    out = tmp_path / "diff.html"
    out.write_text("tidligere side", "utf-8")
    broken = edited(
        BI19, tmp_path / "ny" / "BI19.yaml", (("titel: Forankring", "titel:: Forankring", 1),)
    )
    result = run("diff", BI19, broken, "--out", out)
    assert result.exit_code == 1
    assert f"BI19.yaml:{line_of(broken, 'titel::')}:" in result.output
    assert "kan ikke læses som et notat" in result.output
    assert "Ingen sammenligning skrevet" in result.output
    assert "Traceback" not in result.output
    assert out.read_text("utf-8") == "tidligere side"


def test_problems_in_a_git_revision_are_named_after_the_revision(repository):
    note = repository / "notes" / "BI19.yaml"
    edited(note, note, (("i_alt: 36.960", "i_alt: 36.991", 1),))
    git(repository, "commit", "-q", "-am", "forkert total")
    edited(note, note, (("i_alt: 36.991", "i_alt: 36.960", 1),))
    result = run("diff", "--rev", "HEAD", "notes/BI19.yaml")
    assert result.exit_code == 0, result.output
    line = line_of(note, "i_alt: 36.960")
    assert f"HEAD:notes/BI19.yaml:{line}:" in result.output
    assert "HEAD:notes/BI19.yaml: har fejl; sammenlignes som udkast" in result.output
    assert "notebuild-diff-" not in result.output  # the temporary copy is never named


def test_help_has_an_example():
    result = run("diff", "--help")
    assert result.exit_code == 0
    assert re.search(r"^\s+notebuild diff --rev HEAD notes/BI19.yaml", result.output, re.M)
    assert re.search(r"^\s+notebuild diff \S+/BI19.yaml notes/BI19.yaml", result.output, re.M)


# --- in a browser ----------------------------------------------------------------------------


def test_diff_pages_pass_axe_and_load_without_errors_in_chromium(tmp_path):
    node = _require_tools()
    pages = []
    for name, old, new in (
        ("beløb", BI19, edited(BI19, tmp_path / "a" / "BI19.yaml", MORE_IN_2025)),
        ("række", BI19, edited(BI19, tmp_path / "b" / "BI19.yaml", WITH_NEW_ACTIVITY)),
        ("ord", BI19, edited(BI19, tmp_path / "c" / "BI19.yaml", (("gradvis", "langsom", 1),))),
        ("uændret", MEMO, MEMO),
    ):
        page = tmp_path / f"diff-{name}.html"
        assert run("diff", old, new, "--out", page).exit_code == 0
        pages.append(page)
    shorter = edited(
        without_political_room(MEMO, tmp_path / "d" / MEMO.name),
        tmp_path / "e" / MEMO.name,
        (("ROCKWOOL Fonden", "ROCKWOOL Fondens analyse", 1), ("sommer 2025", "foråret 2026", 1)),
    )
    pages.append(tmp_path / "diff-afsnit.html")
    assert run("diff", MEMO, shorter, "--out", pages[-1]).exit_code == 0
    run_ = subprocess.run(
        [node, str(SCRIPT), str(tmp_path / "pdf"), *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run_.returncode == 0, run_.stderr
    found = [json.loads(line) for line in run_.stdout.splitlines()]
    assert len(found) == len(pages)
    for result in found:
        name = Path(result["file"]).name
        assert result["console_errors"] == [], name
        assert result["page_errors"] == [], name
        assert result["csp_violations"] == [], name
        assert result["violations"] == [], f"axe-core on {name}:\n{readable(result['violations'])}"
