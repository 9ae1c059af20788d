"""The documentation shows the real sources, so the examples can never drift from them."""

import re

import pytest

from .conftest import NOTES, ROOT

FIXTURES = ROOT / "tests" / "fixtures"


def yaml_blocks(doc: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / doc).read_text("utf-8"), re.DOTALL)


def test_format_documentation_embeds_the_whole_bi19_verbatim():
    assert (NOTES / "BI19.yaml").read_text("utf-8") in yaml_blocks("budgetnotat.md")


@pytest.mark.parametrize(
    ("doc", "source"),
    [
        ("dagsordenpunkt.md", NOTES / "memo-2024-06-17.yaml"),
        ("delaftale.md", NOTES / "delaftale-2014.yaml"),
        ("regnskabsnotat.md", NOTES / "regnskab-BIU-2025.yaml"),
        ("lokaludvalgspunkt.md", NOTES / "lokaludvalg-2025-09-10.yaml"),
        # the walk-through of a kind with computed tables is the shipped kind, byte for byte
        ("kinds.md", ROOT / "kinds" / "regnskabsnotat" / "kind.yaml"),
        # the worked example of a new kind is the test kind and its source, byte for byte
        ("kinds.md", FIXTURES / "kinds" / "orienteringsnotat" / "kind.yaml"),
        ("kinds.md", FIXTURES / "orienteringsnotat.yaml"),
    ],
    ids=[
        "memo-2024-06-17",
        "delaftale-2014",
        "regnskab-BIU-2025",
        "lokaludvalg-2025-09-10",
        "regnskabsnotat-kind",
        "orienteringsnotat-kind",
        "orienteringsnotat",
    ],
)
def test_format_documentation_embeds_its_example_verbatim(doc, source):
    assert source.read_text("utf-8") in yaml_blocks(doc)


@pytest.mark.parametrize(
    "doc",
    ["dagsordenpunkt.md", "delaftale.md", "kinds.md", "regnskabsnotat.md", "lokaludvalgspunkt.md"],
)
def test_the_kinds_name_their_documentation_and_it_exists(doc):
    kinds = [*(ROOT / "kinds").glob("*/kind.yaml"), *(FIXTURES / "kinds").glob("*/kind.yaml")]
    named = {
        m[1]
        for k in kinds
        if (m := re.search(r"^dokumentation: (\S+)$", k.read_text("utf-8"), re.M))
    }
    assert f"docs/{doc}" in named
    assert (ROOT / "docs" / doc).is_file()


def test_readme_opens_with_the_two_set_up_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    first_block = re.search(r"```\w*\n(.*?)```", readme, re.DOTALL).group(1)
    assert "make render" in first_block and "make test" in first_block
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in ci


def test_every_picture_the_readme_and_docs_show_exists_and_is_a_png():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    shown = [
        (page, target)
        for page in pages
        for target in re.findall(r"!\[[^\]]+\]\(([^)]+)\)", page.read_text("utf-8"))
    ]
    assert any("BI19-side-1.png" in t for _, t in shown)
    assert any("memo-" in t for _, t in shown)
    for page, target in shown:
        picture = page.parent / target
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", (page.name, target)


def _docs_table(heading: str) -> list[list[str]]:
    """Return the rows of the first table under `heading` in docs/budgetnotat.md, cells unquoted."""
    text = (ROOT / "docs" / "budgetnotat.md").read_text("utf-8")
    section = text.split(f"\n{heading}\n", 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("|"):
            rows.append([c.strip().strip("`") for c in line.strip("|").split("|")])
        elif rows:
            break
    return rows[2:]  # without the header and the |---| line


def test_the_budget_note_docs_list_exactly_the_codes_in_the_data():
    from notebuild.kind.organisation import organisation

    org = organisation()
    assert {r[0]: (r[1], r[2]) for r in _docs_table("### Forvaltninger")} == {
        c: (a.name, a.prefix) for c, a in org.administrations.items()
    }
    assert dict(r[:2] for r in _docs_table("### Udvalg")) == org.committees
    assert dict(r[:2] for r in _docs_table("### Styringsområder")) == {
        c: a.name for c, a in org.areas.items()
    }
    assert [r[0] for r in _docs_table("### Enheder")] == list(org.units)
    assert [r[0] for r in _docs_table("### Kategorier")] == list(org.categories)
    districts = {r[0]: r[1] for r in _docs_table("### Bydele")}
    assert districts == {
        name: ", ".join(org.district_neighbourhoods[code]) for code, name in org.districts.items()
    }
