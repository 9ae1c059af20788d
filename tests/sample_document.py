"""A small hand-built document that uses every node of the document model, for writer tests."""

from notebuild.document.model import (
    Cell,
    Check,
    Column,
    Computed,
    Document,
    Emphasis,
    FootnoteRef,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Row,
    Strong,
    Table,
    Text,
    Verification,
)


def _cells(*texts: str) -> tuple[Cell, ...]:
    return tuple(Cell((Text(t),) if t else ()) for t in texts)


def sample_document(draft: bool = False) -> Document:
    """Return a document with a heading, prose, lists, a footnote, a link and two tables.

    It also has meta lines above the title, a quote holding a paragraph and a bulleted list, and
    one paragraph of each role: a lead under the title, a note under a table and a signature.
    """
    footnote = FootnoteRef(1, (Paragraph((Text("Kilde: Jobindsats.dk"),)),))
    economy = Table(
        caption="Oversigt over ønskets aktiviteter på alle styringsområder",
        number=2,
        columns=(
            Column(width=4),
            Column(width=2),
            Column("right", 1, numeric=True),
            Column("right", 1, numeric=True),
            Column("right", 1, numeric=True),
        ),
        header=(
            Row(
                (
                    Cell(
                        (Text("Aktiviteter i forslaget"), LineBreak(), Text("1.000 kr., 2023 p/l"))
                    ),
                    *_cells("Styringsområde", "2023", "2024", "I alt"),
                ),
                role="header",
            ),
        ),
        body=(
            Row(
                (
                    *_cells("1 årsværk i 2023 til udarbejdelse af udbuddet", "Service", "720", ""),
                    Cell((Computed("720", "720 = 720"),)),
                )
            ),
            Row(
                (
                    *_cells("Beskæftigelsesrettet aktivering", "Overførsler mv.", "", "6.240"),
                    Cell((Computed("6.240", "6.240 = 6.240"),)),
                )
            ),
            Row(
                (
                    *_cells("Udgifter i alt (netto)", ""),
                    Cell((Computed("720", "720 + 0 = 720"),)),
                    Cell((Computed("6.240", "0 + 6.240 = 6.240"),)),
                    Cell((Computed("6.960", "720 + 6.240 = 6.960"),)),
                ),
                role="total",
            ),
        ),
    )
    grid = Table(
        caption="Bydele",
        columns=(Column(width=3), Column("center", 1), Column(width=3), Column("center", 1)),
        header=(),
        body=(
            Row((*_cells("Bydækkende", "X"), Cell(colspan=2))),
            Row(_cells("Bispebjerg", "", "Indre By", "")),
            Row((*_cells("Adresse"), Cell((Text("Saxogade 3"),), colspan=3))),
        ),
    )
    return Document(
        title="BI19 Forankring af metoder fra Projekt Trædesten",
        kind_label="Budgetnotat",
        identifier="BI19",
        sender=("KØBENHAVNS KOMMUNE", "Beskæftigelses- og Integrationsforvaltningen"),
        subject="Budgetnotat",
        draft=draft,
        meta=(("Mødedato", "17.06.2024, kl. 16:00"), ("Mødested", "Rådhuset, 1. sal, værelse 57")),
        blocks=(
            Heading(1, (Text("BI19 Forankring af metoder fra Projekt Trædesten"),)),
            Paragraph((Text("DELAFTALE - Aktivitetsparate"),), role="lead"),
            Heading(2, (Text("Baggrund"),)),
            Paragraph(
                (
                    Text("Enhedslisten har bestilt et "),
                    Strong((Text("budgetnotat"),)),
                    Text(" om "),
                    Emphasis((Text("Projekt Trædesten"),)),
                    Text("."),
                    footnote,
                )
            ),
            Heading(3, (Text("Sagsantallets betydning"),)),
            ListBlock(
                False,
                (
                    (Paragraph((Text("at arbejde målrettet"),)),),
                    (Paragraph((Text("at støtte de unge"),)),),
                ),
            ),
            ListBlock(True, ((Paragraph((Text("første"),)),), (Paragraph((Text("anden"),)),))),
            Paragraph((Text("Se "), Link("https://www.kk.dk", (Text("kk.dk"),)), Text("."))),
            Paragraph((Text("Enhedslisten ønskede følgende tilført protokollen:"),)),
            Quote(
                (
                    Paragraph((Text("Enhedslisten finder, at forankringen skal omfatte:"),)),
                    ListBlock(
                        False,
                        (
                            (Paragraph((Text("flere mentorer"),)),),
                            (Paragraph((Text("opfølgning efter et år"),)),),
                        ),
                    ),
                )
            ),
            Heading(2, (Text("Økonomi"),)),
            economy,
            Paragraph(
                (Text("Note til tabel 2: Tallene kan afvige på grund af afrunding."),), role="note"
            ),
            Heading(2, (Text("Øvrige tekniske oplysninger"),)),
            grid,
            Paragraph((Text("Henrik Lund / Marianne Becker Andersen"),), role="signature"),
        ),
        verification=Verification(
            checks=(Check("Tabel 2, Udgifter i alt (netto), I alt", "6.960", "6.960", True),),
            computed_count=4,
        ),
    )
