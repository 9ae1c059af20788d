"""The overview build/index.html and the activity files a finance department opens.

One build of a budget round: the shipped notes plus three made from BI19 — BI20 with a wrong
total (so it fails), BI21 with an income (art I) under another committee and area and no stated
totals, and BI22 in another unit. The sums on the page are compared with sums computed here,
independently, from the sources' text; the CSV with the XLSX; and Chromium with axe-core judges
the page as it judges the notes.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import shutil
import subprocess
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from lxml import html as lxml_html

from notebuild.cli import main

from .conftest import NOTES, ROOT, line_of
from .test_browser import SCRIPT, _require_tools, readable

ORGANISATION = yaml.safe_load((ROOT / "src/notebuild/data/organisation.yaml").read_text("utf-8"))
AREA_NAMES = {code: v["navn"] for code, v in ORGANISATION["styringsområder"].items()}
MINUS = "\u2212"


def bi21(text: str) -> str:
    """BI19 as BI21: no stated totals, and its last activity an income of another committee."""
    text = text.replace("id: BI19", "id: BI21")
    text = re.sub(r'  # "Udgifter i alt \(netto\)".*?\n\n', "\n", text, flags=re.S)
    text = re.sub(r"(?m)^      i_alt: .*\n", "", text)
    old = (
        '      styringsområde: service\n      udvalg: BIU\n      bevilling: "35.10"\n'
        "      art: U\n      beløb: {2024: 1.260"
    )
    assert text.count(old) == 1
    return text.replace(
        old,
        '      styringsområde: anlæg\n      udvalg: ØU\n      bevilling: "10.10"\n'
        "      art: I\n      beløb: {2024: 1.260",
    )


@pytest.fixture(scope="module")
def round_(tmp_path_factory) -> Path:
    """Build the budget round once; return the folder holding notes/ and build/."""
    work = tmp_path_factory.mktemp("round")
    notes = work / "notes"
    shutil.copytree(NOTES, notes)
    bi19 = (NOTES / "BI19.yaml").read_text("utf-8")
    (notes / "BI20.yaml").write_text(
        bi19.replace("id: BI19", "id: BI20").replace("i_alt: 36.960", "i_alt: 36.991"), "utf-8"
    )
    (notes / "BI21.yaml").write_text(bi21(bi19), "utf-8")
    (notes / "BI22.yaml").write_text(
        bi19.replace("id: BI19", "id: BI22").replace("enhed: 1.000 kr.", "enhed: mio. kr."),
        "utf-8",
    )
    result = CliRunner().invoke(main, ["build", str(notes), "--out", str(work / "build")])
    assert result.exit_code == 1, result.stderr  # BI20 fails
    assert "1 med fejl" in result.stderr
    return work


@pytest.fixture(scope="module")
def page(round_):
    return lxml_html.fromstring((round_ / "build" / "index.html").read_bytes())


def text_of(element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


# --- independently, from the sources' text ------------------------------------------------


def danish(text: str) -> Decimal:
    """Return a Danish amount as written or shown: 8.320, 0,5, −1.260."""
    text = text.strip().replace(MINUS, "-")
    return Decimal(text.replace(".", "").replace(",", "."))


def source_rows(notes: Path, failing: set[str]) -> list[dict]:
    """Return every activity-year of the budget notes that pass, read with plain YAML."""
    rows = []
    for path in sorted(notes.glob("*.yaml")):
        data = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)  # scalars as text
        if data["type"] != "budgetnotat" or data["id"] in failing:
            continue
        models = data.get("modeller") or [{"aktiviteter": data["økonomi"]["aktiviteter"]}]
        for number, model in enumerate(models, 1):
            for activity in model["aktiviteter"]:
                sign = -1 if activity.get("art", "U") == "I" else 1
                for year, amount in activity["beløb"].items():
                    rows.append(
                        {
                            "note": data["id"],
                            "model": number,
                            "models": len(models),
                            "activity": activity["navn"],
                            "committee": activity["udvalg"],
                            "area": AREA_NAMES[activity["styringsområde"]],
                            "appropriation": activity["bevilling"],
                            "direction": activity.get("art", "U"),
                            "year": int(year),
                            "amount": sign * danish(amount),
                            "unit": data["enhed"],
                            "level": data["prisniveau"],
                        }
                    )
    return rows


def expected_sums(rows: list[dict]) -> dict[tuple, dict[str, dict[int, Decimal]]]:
    """Return {(table, model, unit, level): {group: {year: sum}}} as the page should show."""
    sums: dict[tuple, dict[str, dict[int, Decimal]]] = {}
    for unit, level in {(r["unit"], r["level"]) for r in rows}:
        basis = [r for r in rows if (r["unit"], r["level"]) == (unit, level)]
        models = max(r["model"] for r in basis)
        for model in range(1, models + 1):
            label = f"model {model}" if models > 1 else "alle budgetnotater"
            chosen = [r for r in basis if r["model"] == min(model, r["models"])]
            for table, key in (
                ("udvalg", "committee"),
                ("styringsområde", "area"),
                ("notat", "note"),
            ):
                groups: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
                for r in chosen:
                    groups[r[key]][r["year"]] += r["amount"]
                sums[(table, label, unit, level)] = {g: dict(y) for g, y in groups.items()}
    return sums


CAPTION = re.compile(
    r"Pr\. (?P<table>udvalg|styringsområde|notat), (?P<model>model \d+|alle budgetnotater), "
    r"(?P<unit>.+), (?P<level>\S+) p/l"
)


def shown_sums(page) -> tuple[dict, dict]:
    """Return the page's sum tables as expected_sums gives them, and their I alt rows."""
    tables, totals = {}, {}
    for table in page.xpath('//table[contains(@class, "sums")]'):
        caption = CAPTION.fullmatch(text_of(table.xpath("./caption")[0]))
        assert caption, text_of(table.xpath("./caption")[0])
        key = (caption["table"], caption["model"], caption["unit"], caption["level"])
        headers = [text_of(th) for th in table.xpath("./thead/tr/th")]
        years = [int(h) for h in headers if h.isdigit()]
        groups = {}
        for row in table.xpath("./tbody/tr"):
            label = text_of(row.xpath("./th")[0])
            figures = [danish(text_of(td)) for td in row.xpath("./td[@class='num']")]
            assert figures[-1] == sum(figures[:-1], Decimal(0)), label  # the I alt column
            amounts = dict(zip(years, figures[:-1], strict=True))
            if "total" in row.get("class", ""):
                totals[key] = amounts
                continue
            if key[0] == "udvalg":
                label = re.fullmatch(r".+ \((.+)\)", label)[1]  # "… udvalget (BIU)"
            elif key[0] == "notat":
                label = label.split(" ")[0]  # "BI07 (model 2)"
            groups[label] = amounts
        tables[key] = groups
    return tables, totals


def test_the_sums_per_committee_area_and_note_equal_those_computed_from_the_sources(round_, page):
    rows = source_rows(round_ / "notes", failing={"BI20"})
    expected = expected_sums(rows)
    tables, _ = shown_sums(page)
    assert set(tables) == set(expected)
    for key, groups in expected.items():
        years = sorted({y for amounts in groups.values() for y in amounts})
        want = {g: {y: amounts.get(y, Decimal(0)) for y in years} for g, amounts in groups.items()}
        assert tables[key] == want, key
    # What the round is: BI07's two models make two sets, BI22's unit a set of its own.
    assert ("udvalg", "model 2", "1.000 kr.", "2023") in tables
    assert ("udvalg", "alle budgetnotater", "mio. kr.", "2023") in tables
    assert tables[("udvalg", "model 1", "1.000 kr.", "2023")]["ØU"][2024] == Decimal(-1260)


def test_the_sums_per_year_equal_those_computed_from_the_sources(round_, page):
    rows = source_rows(round_ / "notes", failing={"BI20"})
    expected = expected_sums(rows)
    _, totals = shown_sums(page)
    assert set(totals) == set(expected)
    for key, groups in expected.items():
        per_year: dict[int, Decimal] = defaultdict(Decimal)
        for amounts in groups.values():
            for year, amount in amounts.items():
                per_year[year] += amount
        assert totals[key] == dict(per_year), key
    # Model 1 of BI07 (11.000 in 2023), BI19 and BI21 (720 each in 2023).
    assert totals[("udvalg", "model 1", "1.000 kr.", "2023")][2023] == Decimal(12440)


def test_a_failing_budget_note_is_left_out_of_the_sums_and_the_page_says_so(page):
    summed = page.xpath('//h2[@id="summer"]/following-sibling::p[1]')[0]
    assert "BI07, BI19, BI21, BI22" in text_of(summed)
    assert "Budgetnotater med fejl er ikke talt med: BI20" in text_of(summed)
    assert "BI20" not in " ".join(text_of(t) for t in page.xpath('//table[@class="sums"]'))


# --- the notes table ------------------------------------------------------------------------


def note_rows(page) -> dict[str, object]:
    """Return the notes table's rows by their source file's name."""
    rows = {}
    for row in page.xpath('//table[@class="notes"]/tbody/tr'):
        source = text_of(row.xpath('.//span[@class="source"]')[0])
        rows[Path(source).name] = row
    return rows


def test_every_note_is_listed_with_id_title_kind_and_owner(round_, page):
    rows = note_rows(page)
    assert sorted(rows) == sorted(p.name for p in (round_ / "notes").glob("*.yaml"))
    cells = {name: [text_of(c) for c in row.xpath("./th|./td")] for name, row in rows.items()}
    bi19 = cells["BI19.yaml"]
    assert bi19[0] == "BI19"
    assert bi19[1].startswith("Forankring af metoder fra Projekt Trædesten")
    assert bi19[2:4] == ["Budgetnotat", "Beskæftigelses- og Integrationsforvaltningen"]
    memo = cells["memo-2024-06-17.yaml"]
    assert memo[0] == "BIU 17.06.2024"
    assert memo[1].startswith("Forsøg med lokalt forankret indsats for unge")
    assert memo[2:4] == ["Dagsordenpunkt", "Beskæftigelses- og Integrationsudvalget"]
    assert cells["delaftale-2014.yaml"][0] == "KJ46"
    assert cells["delaftale-2014.yaml"][2] == "Delaftale"
    # The table reads as a table: a caption, column headers, a row header per note.
    table = page.xpath('//table[@class="notes"]')[0]
    assert text_of(table.xpath("./caption")[0])
    assert all(th.get("scope") == "col" for th in table.xpath("./thead/tr/th"))
    assert all(row.xpath("./th[@scope='row']") for row in rows.values())


def test_each_note_links_to_its_own_files_and_they_exist(round_, page):
    for name, row in note_rows(page).items():
        links = {text_of(a): a.get("href") for a in row.xpath('./td[@class="files"]/a')}
        if name == "BI20.yaml":
            assert links == {}  # it failed and was never built
            continue
        stem = Path(name).stem
        assert links == {"HTML": f"{stem}.html", "Word": f"{stem}.docx"}, name
        for href in links.values():
            assert (round_ / "build" / href).is_file(), href


def test_statuses_say_verified_or_link_to_the_listed_problems(page):
    rows = note_rows(page)
    for name, row in rows.items():
        status = row.xpath('./td[@class="status"]')[0]
        if name == "BI20.yaml":
            (link,) = status.xpath("./a")
            assert text_of(link) == "✗ 1 fejl"
            target = page.xpath(f'//*[@id="{link.get("href")[1:]}"]')[0]
            listed = text_of(target.getparent())
            assert target.tag == "h3" and text_of(target).startswith("BI20")
            line = line_of(NOTES / "BI19.yaml", "i_alt: 36.960")  # BI20 is BI19, one total off
            assert f"linje {line}, kolonne 12" in listed and "angivet 36.991" in listed
            assert "Ret tallet til 36.960" in listed
        elif name == "delaftale-2014.yaml":
            assert text_of(status) == "✓ Kontrolleret, 1 advarsel"
            target = page.xpath(f'//*[@id="{status.xpath("./a")[0].get("href")[1:]}"]')[0]
            assert "[rounding-difference]" in text_of(target.getparent())
        else:
            assert text_of(status) == "✓ Kontrolleret", name
            assert status.xpath("./a") == []
    assert text_of(page.xpath('//p[@class="overview-summary"]')[0]) == (
        f"{len(rows)} notater: 1 med fejl, {len(rows) - 1} kontrolleret uden fejl."
    )


def test_the_page_is_danish_with_headings_in_order(page):
    assert page.get("lang") == "da"
    levels = [int(h.tag[1]) for h in page.xpath("//h1|//h2|//h3|//h4|//h5|//h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert page.xpath("//meta[@http-equiv='Content-Security-Policy']")
    assert page.xpath("//script") == []


# --- the activity files ---------------------------------------------------------------------


def csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads æøå
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(path: Path) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_csv_and_the_xlsx_hold_the_same_rows(round_):
    from_csv = csv_rows(round_ / "build" / "aktiviteter.csv")
    from_xlsx = xlsx_rows(round_ / "build" / "aktiviteter.xlsx")
    assert from_csv[0] == [str(h) for h in from_xlsx[0]]
    assert len(from_csv) == len(from_xlsx) > 1
    amount = from_csv[0].index("Beløb")
    for line, (text_row, sheet_row) in enumerate(zip(from_csv[1:], from_xlsx[1:], strict=True), 2):
        for column, (text, value) in enumerate(zip(text_row, sheet_row, strict=True)):
            if column == amount:
                assert isinstance(value, int | float), (line, value)
                assert Decimal(text.replace(",", ".")) == Decimal(str(value)), line
            else:
                assert text == ("" if value is None else str(value)), (line, from_csv[0][column])


def test_the_activity_files_hold_one_row_per_note_model_activity_and_year(round_):
    header, *rows = csv_rows(round_ / "build" / "aktiviteter.csv")
    assert header == [
        "Notat",
        "Titel",
        "Model",
        "Modelnavn",
        "Aktivitet",
        "Udvalg",
        "Styringsområde",
        "Bevilling",
        "I/U",
        "År",
        "Beløb",
        "Enhed",
        "Prisniveau",
    ]
    column = {name: i for i, name in enumerate(header)}

    def key(values: dict) -> tuple:
        names = ("note", "model", "activity", "committee", "area", "appropriation", "direction")
        return (
            *(str(values[name]) for name in names),
            str(values["year"]),
            values["amount"],
            values["unit"],
            values["level"],
        )

    shown = sorted(
        key(
            {
                "note": r[column["Notat"]],
                "model": r[column["Model"]],
                "activity": r[column["Aktivitet"]],
                "committee": r[column["Udvalg"]],
                "area": r[column["Styringsområde"]],
                "appropriation": r[column["Bevilling"]],
                "direction": r[column["I/U"]],
                "year": r[column["År"]],
                "amount": Decimal(r[column["Beløb"]].replace(",", ".")),
                "unit": r[column["Enhed"]],
                "level": r[column["Prisniveau"]],
            }
        )
        for r in rows
    )
    assert shown == sorted(key(r) for r in source_rows(round_ / "notes", failing={"BI20"}))
    titles = {r[column["Notat"]]: r[column["Titel"]] for r in rows}
    assert titles["BI07"] == "Fokuseret indsats for udsatte unge i risiko for langtidsledighed"
    assert {r[column["Modelnavn"]] for r in rows if r[column["Notat"]] == "BI07"} == {
        "model 1",
        "model 2",
    }


def test_the_xlsx_has_a_frozen_bold_header_widths_and_number_formats(round_):
    sheet = openpyxl.load_workbook(round_ / "build" / "aktiviteter.xlsx").active
    assert sheet.title == "Aktiviteter"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["I"].width >= 5
    amounts = {
        sheet.cell(row, 12).value: sheet.cell(row, 11).number_format
        for row in range(2, sheet.max_row + 1)
    }
    assert amounts == {"1.000 kr.": "#,##0", "mio. kr.": "#,##0.0"}
    assert isinstance(sheet.cell(2, 10).value, int)  # the year


def test_the_overview_and_the_activity_files_are_the_same_bytes_when_built_again(round_):
    first = {
        name: (round_ / "build" / name).read_bytes()
        for name in ("index.html", "aktiviteter.csv", "aktiviteter.xlsx")
    }
    again = CliRunner().invoke(
        main, ["build", str(round_ / "notes"), "--out", str(round_ / "again"), "--clean"]
    )
    assert again.exit_code == 1
    for name, data in first.items():
        assert (round_ / "again" / name).read_bytes() == data, name


def test_the_cache_records_only_the_notes_that_were_built(round_):
    cache = json.loads((round_ / "build" / ".notebuild-cache.json").read_text("utf-8"))
    assert "BI20.yaml" not in cache["notes"]
    assert "BI19.yaml" in cache["notes"]
    assert len(cache["notes"]["BI19.yaml"]["key"]) == 64


# --- in the browser -----------------------------------------------------------------------


def test_chromium_and_axe_find_no_problems_in_the_overview(round_, tmp_path):
    node = _require_tools()
    run = subprocess.run(
        [node, str(SCRIPT), str(tmp_path / "pdf"), str(round_ / "build" / "index.html")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"{SCRIPT.name} failed:\n{run.stderr}"
    (found,) = [json.loads(line) for line in run.stdout.splitlines()]
    assert found["console_errors"] == []
    assert found["page_errors"] == []
    assert found["csp_violations"] == []
    assert found["violations"] == [], f"axe-core on index.html:\n{readable(found['violations'])}"


def test_a_title_that_looks_like_a_formula_is_text_in_the_workbook_and_amounts_are_exact():
    from notebuild.round.activities import ActivityRow, xlsx_bytes

    def row(title: str, amount: str, decimals: int) -> ActivityRow:
        return ActivityRow(
            "BI99", title, 1, "", "Aktivitet", "BIU", "Service", "", "U", 2026,
            Decimal(amount), "mio. kr." if decimals else "1.000 kr.", "2026-pl", decimals,
        )  # fmt: skip

    rows = [
        row("=cmd|' /C calc'!A0", "1234567.8", 1),
        row("+SUM(A1:A2)", "-12", 0),
        row('@HYPERLINK("x")', "0.1", 1),
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rows))).active
    titles = [sheet.cell(line, 2) for line in (2, 3, 4)]
    assert [c.value for c in titles] == [r.title for r in rows]
    assert all(c.data_type == "s" for c in titles)
    assert [sheet.cell(line, 11).value for line in (2, 3, 4)] == [1234567.8, -12, 0.1]
    assert xlsx_bytes(rows) == xlsx_bytes(rows)
