"""The HTML writer: one self-contained, accessible, deterministic page."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from notebuild.document.model import (
    Cell,
    Check,
    Column,
    Computed,
    Document,
    FootnoteRef,
    Heading,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Remark,
    Row,
    Table,
    Text,
    Verification,
)
from notebuild.writers import docx_layout
from notebuild.writers.html import environment, render_html
from tests.html_text import VOID_ELEMENTS as VOID
from tests.html_text import html_text
from tests.sample_document import sample_document

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "sample_document.html"

# --- a small DOM over html.parser -------------------------------------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = None

    def iter(self, tag: str | None = None):
        """Yield this element and its descendants in document order, optionally by tag."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(tag)

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        return [
            element
            for element in self.iter(tag)
            if all(
                element.attrs.get(name.rstrip("_").replace("_", "-")) == value
                for name, value in attrs.items()
            )
        ]

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    @property
    def text(self) -> str:
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text)
        return "".join(parts)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), parent=self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag: str) -> None:
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> tuple[Element, str]:
    """Return the parsed page and its doctype; fails on a mis-nested end tag."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, f"<{builder.current.tag}> is never closed"
    return builder.root, builder.doctype


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(sample_document())


@pytest.fixture(scope="module")
def dom(page: str) -> Element:
    return parse(page)[0]


def _economy_table(dom: Element) -> Element:
    return next(t for t in dom.find_all("table") if t.find("caption").text.startswith("Tabel 2"))


def _one_table(table: Table) -> Document:
    return Document(title="T", blocks=(table,))


# --- the page -------------------------------------------------------------------------------


def test_page_is_danish_with_title_doctype_and_viewport(page, dom):
    _, doctype = parse(page)
    assert doctype.lower() == "doctype html"
    assert dom.find("html").attrs["lang"] == "da"
    assert dom.find("meta", charset="utf-8")
    assert "width=device-width" in (dom.find("meta", name="viewport").attrs["content"] or "")
    assert dom.find("title").text == "BI19 Forankring af metoder fra Projekt Trædesten"


def test_content_security_policy_forbids_scripts_and_network(dom):
    csp = dom.find("meta", http_equiv="Content-Security-Policy").attrs["content"] or ""
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"]
    assert "script-src" not in directives  # falls back to default-src 'none'
    assert directives["style-src"] == ["'unsafe-inline'"]
    assert directives["img-src"] == ["data:"]


def test_page_has_no_script_and_fetches_nothing(page, dom):
    assert not dom.find_all("script")
    assert not [e for e in dom.iter() if "src" in e.attrs]
    assert not dom.find_all("link")
    external = [e.attrs["href"] for e in dom.find_all("a") if "://" in (e.attrs["href"] or "")]
    assert external == ["https://www.kk.dk"]  # the document's own link, nothing else
    style = dom.find("style").text
    assert style.strip()
    assert "@import" not in style
    assert not re.search(r"url\(", style)
    assert "//" not in re.sub(r"/\*.*?\*/", "", style, flags=re.S)  # no address at all


def test_header_holds_sender_kind_and_identifier(dom):
    header = dom.find("header")
    text = html_text(_serialise(header))
    assert "KØBENHAVNS KOMMUNE" in text
    assert "Beskæftigelses- og Integrationsforvaltningen" in text
    assert "Budgetnotat" in text
    assert "BI19" in text
    assert len(dom.find_all("main")) == 1


def test_headings_follow_the_model_in_order(dom):
    headings = [(e.tag, e.text) for e in dom.iter() if re.fullmatch(r"h[1-6]", e.tag)]
    assert headings == [
        ("h1", "BI19 Forankring af metoder fra Projekt Trædesten"),
        ("h2", "Baggrund"),
        ("h3", "Sagsantallets betydning"),
        ("h2", "Økonomi"),
        ("h2", "Øvrige tekniske oplysninger"),
        ("h2", "Fodnoter"),
    ]


def test_inline_markup_becomes_strong_em_link_and_lists(dom):
    assert dom.find("strong").text == "budgetnotat"
    assert dom.find("em").text == "Projekt Trædesten"
    assert dom.find("a", href="https://www.kk.dk").text == "kk.dk"
    assert [li.text for li in dom.find("ul").find_all("li")] == [
        "at arbejde målrettet",
        "at støtte de unge",
    ]
    assert [li.text for li in dom.find("ol").find_all("li")] == ["første", "anden"]


def test_ordered_list_keeps_its_start_and_multi_block_items_keep_paragraphs():
    items = ((Paragraph((Text("a"),)), Paragraph((Text("b"),))),)
    document = Document(title="T", blocks=(ListBlock(True, items, start=3),))
    ol = parse(render_html(document))[0].find("ol")
    assert ol.attrs["start"] == "3"
    assert [p.text for p in ol.find("li").find_all("p")] == ["a", "b"]


# --- quotes, meta lines and paragraph roles -------------------------------------------------


def test_quote_is_a_blockquote_holding_its_paragraph_and_list(dom):
    quotes = dom.find_all("blockquote")
    assert len(quotes) == 1
    children = [c for c in quotes[0].children if isinstance(c, Element)]
    assert [c.tag for c in children] == ["p", "ul"]
    assert children[0].text == "Enhedslisten finder, at forankringen skal omfatte:"
    assert [li.text for li in children[1].find_all("li")] == [
        "flere mentorer",
        "opfølgning efter et år",
    ]


def test_quote_keeps_nested_and_numbered_lists():
    items = ((Paragraph((Text("a"),)), ListBlock(False, ((Paragraph((Text("b"),)),),))),)
    quote = Quote((ListBlock(True, items, start=2),))
    dom = parse(render_html(Document(title="T", blocks=(quote,))))[0]
    ol = dom.find("blockquote").find("ol")
    assert ol.attrs["start"] == "2"
    assert ol.find("li").find("ul").find("li").text == "b"


def test_footnote_inside_a_quote_is_listed():
    note = FootnoteRef(3, (Paragraph((Text("Kilde"),)),))
    quote = Quote((Paragraph((Text("citeret"), note)),))
    dom = parse(render_html(Document(title="T", blocks=(quote,))))[0]
    assert dom.find("blockquote").find("sup").find("a").attrs["href"] == "#fn-3"
    assert "Kilde" in dom.find("li", id="fn-3").text


def test_meta_lines_are_a_description_list_right_before_the_title(dom):
    meta = dom.find("dl", class_="meta")
    pairs = [
        ([e.text for e in div.find_all("dt")], [e.text for e in div.find_all("dd")])
        for div in meta.find_all("div")
    ]
    assert pairs == [
        (["Mødedato"], ["17.06.2024, kl. 16:00"]),
        (["Mødested"], ["Rådhuset, 1. sal, værelse 57"]),
    ]
    order = [e for e in dom.iter() if e is meta or e.tag in ("header", "h1")]
    assert [e.tag for e in order] == ["header", "dl", "h1"]
    assert meta.parent is not None and meta.parent.tag == "main"


def test_meta_lines_read_as_label_and_value(page):
    assert "Mødedato 17.06.2024, kl. 16:00 Mødested Rådhuset" in html_text(page)
    assert re.search(r"\.meta dt::after\s*\{\s*content:\s*\":\"", page)


def test_document_without_meta_has_no_meta_list():
    dom = parse(render_html(Document(title="T", blocks=(Paragraph((Text("a"),)),))))[0]
    assert not dom.find_all("dl")


def test_paragraph_roles_become_classes_and_body_text_has_none(dom):
    classes = {p.text: p.attrs.get("class") for p in dom.find("main").find_all("p")}
    assert classes["DELAFTALE - Aktivitetsparate"] == "lead"
    assert classes["Henrik Lund / Marianne Becker Andersen"] == "signature"
    assert classes["Note til tabel 2: Tallene kan afvige på grund af afrunding."] == "note"
    assert classes["Enhedslisten ønskede følgende tilført protokollen:"] is None


def test_role_classes_are_styled(dom):
    style = dom.find("style").text

    def rule(selector: str) -> str:
        match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", style)
        assert match, f"no rule for {selector}"
        return match.group(1)

    lead = rule("p.lead")
    assert "font-weight: 700" in lead
    assert "var(--kk-blue)" in lead
    assert re.search(r"font-size:\s*0\.\d+rem", rule("p.note"))
    assert "margin-top" in rule("p.signature")
    assert "border-left" in rule("blockquote")
    print_css = style[style.index("@media print") :]
    assert re.search(r"blockquote\s*\{\s*border-left:[^}]*#000", print_css)


# --- tables ---------------------------------------------------------------------------------


def test_table_caption_is_its_numbered_label(dom):
    captions = [c.text for c in dom.find_all("caption")]
    assert "Tabel 2 - Oversigt over ønskets aktiviteter på alle styringsområder" in captions
    assert "Bydele" in captions


def test_header_row_cells_are_column_headers(dom):
    thead = _economy_table(dom).find("thead")
    headers = thead.find_all("th")
    assert [th.attrs.get("scope") for th in headers] == ["col"] * 5
    assert headers[0].find_all("br")  # the unit line stays on its own line
    assert [th.text for th in headers[2:]] == ["2023", "2024", "I alt"]


def test_first_cell_of_each_body_row_is_a_row_header(dom):
    for table in dom.find_all("table"):
        if "checks" in table.classes:
            continue
        for tr in table.find("tbody").find_all("tr"):
            first = next(c for c in tr.children if isinstance(c, Element))
            assert first.tag == "th"
            assert first.attrs["scope"] == "row"
            assert not [c for c in tr.find_all("th") if c is not first]


def test_grid_without_header_rows_still_has_row_headers(dom):
    grid = next(t for t in dom.find_all("table") if t.find("caption").text == "Bydele")
    assert not grid.find_all("thead")
    assert [th.text for th in grid.find_all("th", scope="row")] == [
        "Bydækkende",
        "Bispebjerg",
        "Adresse",
    ]
    assert grid.find("td", colspan="3").text == "Saxogade 3"


def test_table_without_row_headers_has_only_data_cells_in_the_body():
    table = Table("T", (Column(),), (), (Row((Cell((Text("a"),)),)),), row_headers=False)
    dom = parse(render_html(_one_table(table)))[0]
    assert not dom.find("tbody").find_all("th")


def test_total_row_is_marked(dom):
    rows = _economy_table(dom).find("tbody").find_all("tr")
    assert [r.attrs.get("class") for r in rows] == [None, None, "total"]
    assert rows[-1].find("th").text == "Udgifter i alt (netto)"


def test_group_row_is_marked():
    table = Table("T", (Column(),), (), (Row((Cell((Text("Indsatsudgifter:"),)),), "group"),))
    assert parse(render_html(_one_table(table)))[0].find("tr").classes == ["group"]


def test_numeric_cells_are_right_aligned(dom):
    table = _economy_table(dom)
    for tr in table.find("tbody").find_all("tr"):
        cells = [c for c in tr.children if isinstance(c, Element)]
        assert [("num" in c.classes) for c in cells] == [False, False, True, True, True]
    assert re.search(
        r"\.num\s*\{[^}]*text-align:\s*right;[^}]*tabular-nums;[^}]*white-space:\s*nowrap",
        dom.find("style").text,
    )


def test_column_widths_are_those_measured_for_word(dom):
    document = sample_document()
    tables = [b for b in document.blocks if isinstance(b, Table)]
    measured = docx_layout.house_layouts(tables)
    economy = next(i for i, t in enumerate(tables) if len(t.columns) == 5)
    widths = [float(c.attrs["style"][7:-1]) for c in _economy_table(dom).find_all("col")]
    shares = [w / sum(measured[economy]) * 100 for w in measured[economy]]
    assert widths == pytest.approx(shares, abs=0.01)
    assert widths != pytest.approx([44.44, 22.22, 11.11, 11.11, 11.11], abs=0.01)  # not weights


def test_table_scrolls_in_a_named_focusable_region(dom):
    table = _economy_table(dom)
    wrapper = table.parent
    assert wrapper is not None
    assert "table-scroll" in wrapper.classes
    assert wrapper.attrs["role"] == "region"
    assert wrapper.attrs["tabindex"] == "0"
    assert wrapper.attrs["aria-labelledby"] == table.find("caption").attrs["id"]


# --- computed figures, footnotes ------------------------------------------------------------


def test_computed_figure_is_focusable_and_described_by_its_explanation(dom):
    total = _economy_table(dom).find("tr", class_="total")
    figures = total.find_all("span", class_="computed")
    assert [f.attrs["tabindex"] for f in figures] == ["0", "0", "0"]
    last = figures[-1]
    described = dom.find(id=last.attrs["aria-describedby"])
    assert "how" in described.classes
    assert described.text == "Beregnet: 720 + 6.240 = 6.960"
    assert html_text(_serialise(last)) == "6.960"


def test_explanation_shows_on_hover_and_keyboard_focus(dom):
    style = dom.find("style").text
    assert re.search(r"\.computed \.how\s*\{[^}]*display:\s*none", style)
    shown = re.search(r"([^{}]*)\{\s*display:\s*block;?\s*\}", style)
    assert shown
    selectors = {s.strip() for s in shown.group(1).split(",")}
    assert {".computed:hover .how", ".computed:focus .how"} <= selectors


def test_computed_ids_are_unique(dom):
    ids = [e.attrs["id"] for e in dom.iter() if "id" in e.attrs]
    assert len(ids) == len(set(ids))


def test_footnote_reference_links_to_the_footnote_and_back(dom):
    ref = dom.find("sup").find("a")
    assert ref.text == "1"
    assert ref.attrs["href"] == "#fn-1"
    assert ref.attrs["aria-describedby"] == "footnotes-label"
    section = dom.find("section", class_="footnotes")
    assert section.find("h2").attrs["id"] == "footnotes-label"
    note = section.find("li", id="fn-1")
    assert "Kilde: Jobindsats.dk" in note.text
    back = note.find("a", class_="backref")
    assert back.attrs["href"] == "#" + ref.attrs["id"]
    assert back.attrs["aria-label"] == "Tilbage til teksten"


def test_footnotes_keep_the_numbers_compose_gave_them():
    note = FootnoteRef(7, (Paragraph((Text("syv"),)),))
    document = Document(title="T", blocks=(Paragraph((Text("a"), note)),))
    dom = parse(render_html(document))[0]
    assert dom.find("sup").find("a").attrs["href"] == "#fn-7"
    assert dom.find("li", id="fn-7").attrs["value"] == "7"


def test_document_without_footnotes_has_no_footnote_section():
    dom = parse(render_html(Document(title="T", blocks=(Paragraph((Text("a"),)),))))[0]
    assert not dom.find_all("section", class_="footnotes")


# --- verification summary -------------------------------------------------------------------


def test_verification_summary_says_what_was_checked(dom):
    section = dom.find("section", aria_label="Kontrol af totaler")
    assert section.parent is not None and section.parent.tag == "main"
    assert not [e for e in section.iter() if re.fullmatch(r"h[1-6]", e.tag)]
    summary = html_text(_serialise(section))
    assert "notebuild har beregnet 4 totaler og kontrolleret 1 angivet total: den stemmer." in (
        summary
    )
    row = section.find("details").find("tbody").find("tr")
    assert [c.text for c in row.children if isinstance(c, Element)] == [
        "Tabel 2, Udgifter i alt (netto), I alt",
        "6.960",
        "6.960",
        "✓ stemmer",
    ]


def test_problems_and_failed_checks_are_listed_prominently():
    verification = Verification(
        checks=(
            Check("Tabel 2, I alt", "6.960", "6.961", False),
            Check("Tabel 3, I alt", "720", "720", True),
        ),
        computed_count=36,
        problems=(Remark(1, "error", "Tabel 2: angivet 6.960, men summen er 6.961"),),
    )
    document = replace(sample_document(), verification=verification)
    dom = parse(render_html(document))[0]
    section = dom.find("section", aria_label="Kontrol af totaler")
    assert "has-problems" in section.classes
    text = html_text(_serialise(section))
    assert "Kontrollen har fundet problemer." in text
    assert "kontrolleret 2 angivne totaler: 1 af 2 afviger." in text
    assert "1 problem, som skal rettes:" in text
    assert section.find("ul", class_="problems").find("li").text == (
        "Tabel 2: angivet 6.960, men summen er 6.961"
    )
    assert "open" in section.find("details").attrs
    assert section.find("tr", class_="mismatch").find("td", class_="result").text == "✗ afviger"


def test_a_warning_in_a_draft_is_listed_as_a_warning_not_as_a_problem_to_fix():
    from notebuild.pipeline import check_file, compose

    checked = check_file(Path(__file__).resolve().parents[2] / "notes" / "delaftale-2014.yaml")
    assert [p.severity for p in checked.problems] == ["warning"]
    dom = parse(render_html(compose(checked, draft=True)))[0]
    section = dom.find("section", aria_label="Kontrol af totaler")
    text = html_text(_serialise(section))
    assert "som skal rettes" not in text
    assert "1 advarsel:" in text
    assert "afrunding" in section.find("ul", class_="warnings").find("li").text


def test_errors_and_warnings_are_listed_apart():
    verification = Verification(
        problems=(
            Remark(1, "warning", "'titel' mangler at blive udfyldt"),
            Remark(2, "error", "Tabel 2: angivet 6.960, men summen er 6.961"),
            Remark(3, "warning", "Tabel 3: afrundingsforskel"),
        )
    )
    document = replace(sample_document(), verification=verification)
    section = parse(render_html(document))[0].find("section", aria_label="Kontrol af totaler")
    text = html_text(_serialise(section))
    assert "1 problem, som skal rettes:" in text
    assert "2 advarsler:" in text
    assert len(section.find("ul", class_="warnings").find_all("li")) == 2


# --- draft, escaping, determinism -----------------------------------------------------------


def test_draft_has_banner_and_title_prefix():
    dom = parse(render_html(sample_document(draft=True)))[0]
    assert dom.find("title").text == "UDKAST: BI19 Forankring af metoder fra Projekt Trædesten"
    banner = dom.find(class_="draft-banner")
    assert banner.parent is not None and banner.parent.tag == "header"
    assert "UDKAST" in banner.text


def test_final_document_has_no_draft_banner(page, dom):
    assert not dom.find_all(class_="draft-banner")
    assert "UDKAST" not in html_text(page)


def test_text_is_escaped_never_markup():
    evil = "<script>alert(1)</script>"
    table = Table(evil, (Column(),), (), (Row((Cell((Text(evil),)),)),))
    document = Document(
        title=evil,
        identifier='"><b>',
        sender=(evil,),
        meta=((evil, evil),),
        blocks=(
            Heading(1, (Text(evil),)),
            Quote((Paragraph((Text(evil),), role="note"),)),
            Paragraph((Text(evil), Computed(evil, evil), Link('https://x.dk/"onclick="', ()))),
            table,
        ),
        verification=Verification(
            checks=(Check(evil, evil, evil, True),),
            problems=(Remark(1, "error", evil, evil, evil, evil),),
        ),
    )
    page = render_html(document)
    dom = parse(page)[0]
    assert not dom.find_all("script")
    assert not dom.find_all("b")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert dom.find("title").text == evil
    assert dom.find("h1").text == evil
    assert dom.find("dt").text == evil
    assert dom.find("dd").text == evil
    assert dom.find("blockquote").find("p").text == evil
    assert dom.find("a", href='https://x.dk/"onclick="')
    assert not [e for e in dom.iter() if "onclick" in e.attrs]


def test_two_renders_are_identical():
    assert render_html(sample_document()) == render_html(sample_document())
    assert render_html(sample_document(draft=True)) == render_html(sample_document(draft=True))


def test_environment_is_built_once_with_autoescape_and_strict_undefined():
    import jinja2

    env = environment()
    assert env is environment()
    assert env.autoescape is True
    assert env.undefined is jinja2.StrictUndefined


def test_unknown_node_type_fails_loudly():
    @dataclass(frozen=True)
    class Mystery:
        text: str

    with pytest.raises(TypeError, match="Mystery"):
        render_html(Document(title="T", blocks=(Paragraph((Mystery("x"),)),)))  # type: ignore[arg-type]


def test_visible_text_reads_the_document_without_explanations(page):
    text = html_text(page)
    assert text.startswith("KØBENHAVNS KOMMUNE Beskæftigelses- og Integrationsforvaltningen")
    assert "Projekt Trædesten.1" in text
    assert "Udgifter i alt (netto) 720 6.240 6.960" in text
    assert "Beregnet:" not in text
    assert "720 + 6.240" not in text
    assert "Kilde: Jobindsats.dk" in text
    assert "{" not in text  # no stylesheet


def test_print_stylesheet_hides_tooltips_repeats_headers_and_keeps_rows_whole(dom):
    style = dom.find("style").text
    print_css = style[style.index("@media print") :]
    assert re.search(r"\.how\s*\{\s*display:\s*none", print_css)
    assert re.search(r"thead\s*\{\s*display:\s*table-header-group", print_css)
    assert re.search(r"tr\s*\{\s*break-inside:\s*avoid", print_css)
    assert 'content: " (" attr(href) ")"' in print_css
    assert "size: A4" in style


def test_matches_golden_file(page):
    if os.environ.get("NOTEBUILD_REGENERATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(page, "utf-8", newline="\n")
    assert GOLDEN.exists(), "run with NOTEBUILD_REGENERATE_GOLDEN=1 to create the golden file"
    assert page == GOLDEN.read_text("utf-8"), (
        "HTML changed; if on purpose, regenerate with NOTEBUILD_REGENERATE_GOLDEN=1"
    )


def test_html_text_drops_head_hidden_and_explanations():
    page = (
        "<html><head><title>T</title><style>p{}</style></head><body><p>a<br>b</p>"
        '<p hidden>skjult <b>x</b></p><span class="computed">7<span class="how">3+4'
        "<i>!</i></span></span><td>c</td><td>d</td></body></html>"
    )
    assert html_text(page) == "a b 7 c d"


# --- helpers --------------------------------------------------------------------------------


def _serialise(element: Element) -> str:
    """Return a fragment's HTML again (attributes dropped except class, enough for html_text)."""
    parts = []
    for child in element.children:
        if isinstance(child, str):
            parts.append(child.replace("&", "&amp;").replace("<", "&lt;"))
        else:
            cls = child.attrs.get("class")
            attr = f' class="{cls}"' if cls else ""
            attr += " hidden" if "hidden" in child.attrs else ""
            inner = "" if child.tag in VOID else _serialise(child) + f"</{child.tag}>"
            parts.append(f"<{child.tag}{attr}>{inner}")
    return "".join(parts)


def test_the_check_box_is_left_out_when_nothing_was_computed_checked_or_wrong():
    plain = Document(title="Et dagsordenpunkt", blocks=(Paragraph((Text("Tekst."),)),))
    assert 'class="verification' not in render_html(plain)
    computed = replace(plain, verification=Verification(computed_count=1))
    assert 'class="verification' in render_html(computed)
    wrong = replace(
        plain,
        verification=Verification(problems=(Remark(1, "error", "kilde.yaml, linje 3: fejl"),)),
    )
    assert 'class="verification has-problems"' in render_html(wrong)


def test_the_template_cache_keeps_a_compiled_entry_for_each_source(tmp_path):
    # Two versions of a template (an upgrade, a second checkout) must not evict each other.
    import jinja2

    from notebuild.writers.html import _SourceKeyedCache

    cache = _SourceKeyedCache(str(tmp_path))
    versions = ("<p>{{ x }}</p>", "<div>{{ x }}</div>")
    for source in versions:
        env = jinja2.Environment(
            loader=jinja2.FunctionLoader(lambda name, s=source: s), bytecode_cache=cache
        )
        assert env.get_template("page.html.j2").render(x=1) == source.replace("{{ x }}", "1")
    env = jinja2.Environment(bytecode_cache=cache)
    for source in versions:
        assert cache.get_bucket(env, "page.html.j2", None, source).code is not None
