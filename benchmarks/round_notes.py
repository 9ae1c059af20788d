"""Generate a realistic budget round from the shipped notes, for benchmarks/round.py.

Each generated note starts from one of the five notes in notes/ and is varied: a new file
name and id, another administration and committee, shifted years, scaled and perturbed
amounts, longer or shorter prose, more or fewer models, activities, table rows, solutions and
signatories. Every total the note states is recomputed from the varied amounts, so every note
passes `notebuild check` (the one warning kept on purpose is described in `_agreement`).

Sources are read with yaml.BaseLoader, which keeps every scalar as the text the author typed
(`8.320` stays "8.320", never 8.32), and written with a dumper that has no implicit types, so
amounts, years and codes are written plain, as an author writes them.
"""

from __future__ import annotations

import copy
import math
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "notes"

# A budget round is mostly budget notes: of every ten notes, seven budget notes (four shaped
# like BI19 with one set of activities, three like BI07 with models), two committee memos
# and one budget agreement.
CYCLE = (
    "BI19",
    "BI07",
    "BI19",
    "memo-2024-06-17",
    "BI19",
    "BI07",
    "memo-2019-06-03",
    "BI19",
    "BI07",
    "delaftale-2014",
)
# A round of full-size budget notes only, each shaped like BI19 (`round.py --mix bi19`).
BI19_ONLY = ("BI19",)
MIXES = {"mixed": CYCLE, "bi19": BI19_ONLY}

# code: (id prefix, committee, administration's name, committee's name, appropriation prefix).
# The appropriation numbers are made up but have the real shape ("35.10").
ADMINISTRATIONS = {
    "BIF": ("BI", "BIU", "Beskæftigelses- og Integrationsforvaltningen",
            "Beskæftigelses- og Integrationsudvalget", "35"),
    "ØKF": ("ØK", "ØU", "Økonomiforvaltningen", "Økonomiudvalget", "10"),
    "TMF": ("TM", "TMU", "Teknik- og Miljøforvaltningen", "Teknik- og Miljøudvalget", "20"),
    "KFF": ("KF", "KFU", "Kultur- og Fritidsforvaltningen", "Kultur- og Fritidsudvalget", "40"),
    "SOF": ("SO", "SOU", "Socialforvaltningen", "Socialudvalget", "50"),
    "SUF": ("SU", "SUU", "Sundheds- og Omsorgsforvaltningen", "Sundheds- og Omsorgsudvalget",
            "60"),
    "BUF": ("BU", "BUU", "Børne- og Ungdomsforvaltningen", "Børne- og Ungdomsudvalget", "70"),
}  # fmt: skip
# The shipped notes are all employment notes, so most of the round stays with BIF.
ADMINISTRATION_WEIGHTS = {"BIF": 4, "ØKF": 1, "TMF": 1, "KFF": 1, "SOF": 1, "SUF": 1, "BUF": 1}
AREA_SUFFIX = {"service": "10", "overførsler": "30", "anlæg": "50"}

BUDGET_TITLES = (
    "Forankring af metoder fra Projekt Trædesten",
    "Fokuseret indsats for udsatte unge i risiko for langtidsledighed",
    "Flere borgere i fleksjob gennem virksomhedsnære forløb",
    "Styrket mentorindsats for aktivitetsparate borgere",
    "Helhedsorienteret indsats for familier på kontanthjælp",
    "Jobrettet danskundervisning for flygtninge og familiesammenførte",
    "Lavere sagsstammer for sygemeldte borgere",
    "Brobygning til uddannelse for unge uden job",
    "Virksomhedsrettet indsats for seniorer over 55 år",
    "Håndholdt indsats for borgere med psykiske lidelser",
    "Styrket samarbejde med socialøkonomiske virksomheder",
    "Opkvalificering til job i bygge- og anlægsbranchen",
    "Sommerjob til unge i udsatte boligområder",
    "Flere voksenlærlinge i kommunens institutioner",
    "IPS-forløb for borgere i misbrugsbehandling",
    "Forlængelse af den lokale beskæftigelsesindsats i Tingbjerg",
    "Koordinerende sagsbehandlere på tværs af forvaltninger",
    "Kompetenceafklaring af nyankomne borgere",
)
MEMO_TITLES = (
    "Forsøg med lokalt forankret indsats for unge",
    "Udvikling af udbud for udsatte ledige og sygemeldte",
    "Status på sagsstammerne i jobcentret",
    "Evaluering af mentorindsatsen 2022-2024",
    "Ny model for virksomhedsservice",
    "Partnerskab med socialøkonomiske virksomheder",
    "Indsats for langtidsledige over 50 år",
    "Handleplan for flere i fleksjob",
    "Samarbejde med erhvervsskolerne om voksenlærlinge",
    "Opfølgning på rundbordsmøder med civilsamfundet",
    "Forlængelse af rammeaftaler for aktivering",
    "Tidlig indsats for sygemeldte borgere",
)
ACTIVITIES = (
    ("Mentorstøtte til ca. 120 borgere om året", "Mentorstøtte", "service"),
    ("Projektledelse og koordinering (1 årsværk)", "Projektledelse", "service"),
    ("Virksomhedskonsulenter til opsøgende arbejde (2 årsværk)", "Virksomhedskonsulenter",
     "service"),
    ("Kursusforløb og opkvalificering af deltagerne", "Kursusforløb", "overførsler"),
    ("Løntilskud i private virksomheder", "Løntilskud", "overførsler"),
    ("Evaluering ved ekstern konsulent", "Evaluering", "service"),
    ("Indretning af lokaler til indsatsen", "Lokaler", "anlæg"),
    ("IT-understøttelse og registrering af resultater", "IT-understøttelse", "service"),
    ("Jobrettet danskundervisning", "Danskundervisning", "overførsler"),
    ("Kommunikation og rekruttering af deltagere", "Kommunikation", "service"),
)  # fmt: skip
INCOME = (
    "Mindreudgifter til forsørgelse, når flere kommer i job",
    "Mindreudgifter til forsørgelse",
)
TARGET_GROUPS = (
    "Aktivitetsparate kontanthjælpsmodtagere over 30 år",
    "Unge under 30 år med uddannelsespålæg",
    "Sygedagpengemodtagere med risiko for langvarigt forløb",
    "Borgere visiteret til fleksjob, der endnu ikke er i job",
    "Nyankomne flygtninge og familiesammenførte i integrationsprogrammet",
    "Ledige seniorer over 55 år",
)
BILAG = (
    "Nuværende og tidligere samarbejder med civilsamfundsbaserede aktører",
    "Borgernes oplevelse af forvaltningens anvendelse af leverandører",
    "Notat fra leverandørerne med ønsker til forvaltningens udbudsprocesser",
    "Tidsplan for indsatsen",
    "Økonomiske beregninger",
    "Evaluering fra VIVE",
    "Høringssvar fra de lokale udvalg",
)
CLAUSES = (
    "at {udvalg} godkender, at forvaltningen arbejder videre med model 1",
    "at {udvalg} tager orienteringen til efterretning",
    "at {udvalg} godkender, at forvaltningen indhenter tilbud fra tre aktører",
    "at forvaltningen orienterer udvalget om resultaterne i {next_year}",
    "at {udvalg} godkender den foreslåede tidsplan",
)
DECISIONS = (
    "Indstillingen blev godkendt uden afstemning.",
    "Behandling af sagen blev udskudt til næste udvalgsmøde.",
    "Indstillingen blev godkendt.",
    "Udvalget tog orienteringen til efterretning.",
)
PEOPLE = (
    "Henrik Lund", "Marianne Becker Andersen", "Tanja Frank", "Michael Baunsgaard Schreiber",
    "Mette Holm", "Jens Kristiansen", "Louise Dahl", "Peter Skov", "Anne Sofie Bak",
    "Karen Vestergaard", "Lars Winther", "Camilla Brandt", "Søren Møller", "Sara Nørgaard",
    "Thomas Krogh", "Ida Lykke Hansen", "Rasmus Friis", "Nadia Østergaard", "Mikkel Bech",
)  # fmt: skip
PARTIES = ("A", "B", "C", "F", "I", "M", "O", "V", "Æ", "Ø", "Å")
VENUES = (
    "Rådhuset, 1. sal, værelse 57",
    "Tingbjerg Kulturhus",
    "Rådhuset, udvalgsværelse B",
    "Valby Kulturhus",
    "Rådhuset, 2. sal, værelse 212",
)
DISTRICTS = (
    "Bispebjerg", "Indre By", "Vesterbro/Kgs. Enghave", "Valby", "Amager Øst", "Nørrebro",
    "Østerbro", "Brønshøj/Husum", "Vanløse", "Amager Vest",
)  # fmt: skip
THEMES = ("Aktivitetsparate", "Unge uden uddannelse", "Sygedagpenge", "Integration", "Seniorer")
SOLUTIONS = (
    ("Flere i fleksjob", "Der etableres virksomhedsnære forløb for borgere visiteret til "
     "fleksjob, med en fast kontaktperson i jobcentret og opfølgning hos arbejdsgiveren."),
    ("Mentorordning for unge", "Unge uden uddannelse tilbydes en mentor i op til et år, der "
     "følger dem fra opstart på uddannelse til de er fastholdt."),
    ("Sprog og job", "Nyankomne tilbydes danskundervisning kombineret med praktik, så "
     "sproget læres på en arbejdsplads."),
    ("Tidlig opfølgning", "Sygemeldte borgere får en samtale inden for fire uger, hvor der "
     "lægges en plan for tilbagevenden til arbejdet."),
)  # fmt: skip
AGREEMENT_ROWS = (
    "Kompetent til job", "Mentorordning", "Virksomhedscentre", "Brobygningsforløb",
    "Misbrugsindsats", "Sprogpakker", "Psykisk sårbare unge",
)  # fmt: skip
FUNDING_ROWS = ("Ordinær uddannelse", "Eksterne leverandører", "Løntilskud", "Administration")
MEMO_ROWS = ("Mentorforløb", "Kursusforløb", "Projektledelse", "Evaluering", "Lokaler")
MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip


# --- reading and writing YAML -----------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """A dumper without implicit types: `8.320`, `2024` and `35.10` are written plain."""


_Dumper.yaml_implicit_resolvers = {}


class Quoted(str):
    """Text written in double quotes, as authors write `bevilling: "35.10"` and `"16:00"`."""


def _short(value: Any) -> bool:
    return isinstance(value, str) and "\n" not in value and len(value) <= 40


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_dict(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    # Amounts by year and other small maps in flow style, as the shipped notes write them.
    flow = len(data) <= 8 and all(_short(v) for v in data.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = len(data) <= 8 and all(_short(v) and len(v) <= 25 for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(
    Quoted, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)


def read_note(name: str) -> tuple[str, dict]:
    """Return a shipped note's first line (the editor's schema line) and its data as text."""
    text = (SHIPPED / f"{name}.yaml").read_text("utf-8")
    return text.splitlines()[0], yaml.load(text, Loader=yaml.BaseLoader)


def dump_note(first_line: str, origin: str, data: dict) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)
    return f"{first_line}\n# Generated by benchmarks/round.py from notes/{origin}.yaml.\n{body}"


# --- Danish amounts ---------------------------------------------------------------------------


def parse_amount(text: str) -> Decimal:
    """Return the value of a Danish amount: `8.320` is 8320, `0,5` is 0.5."""
    return Decimal(text.replace(".", "").replace(",", "."))


def format_amount(value: Decimal, decimals: int = 0) -> str:
    """Return `value` the Danish way: 8320 as `8.320`, 0.5 as `0,5`, -3500 as `-3.500`."""
    value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    text = ".".join([whole, *groups])
    return sign + text + ("," + fraction if decimals else "")


YEARS = re.compile(r"\b(20\d\d)(?:-(\d\d))?\b")


def _shift_years(match: re.Match, shift: int) -> str:
    """Return "2016-17" shifted by two years as "2018-19", "2018" as "2020"."""
    text = str(int(match.group(1)) + shift)
    if match.group(2):
        text += f"-{(int(match.group(2)) + shift) % 100:02d}"
    return text


# A figure named in prose by its column's year: {{ tal: model-1.i_alt.2023 | mio. kr. }}.
REFERENCE_YEAR = re.compile(r"(\{\{\s*tal:[^}|]*?\.)(20\d\d)\b")
MODEL_REFERENCE = re.compile(r"(\{\{\s*tal:\s*model-)(\d+)")


def _in_prose(value: Any, pattern: re.Pattern, new: Callable[[re.Match], str]) -> Any:
    """Return `value` with `pattern` replaced by `new` in every text it holds."""
    if isinstance(value, str):
        return pattern.sub(new, value)
    if isinstance(value, dict):
        return {k: _in_prose(v, pattern, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_in_prose(v, pattern, new) for v in value]
    return value


def _shift_references(value: Any, shift: int) -> Any:
    """Return `value` with the years named in its prose references shifted with the note's."""
    return _in_prose(value, REFERENCE_YEAR, lambda m: f"{m[1]}{int(m[2]) + shift}")


def _by_year(amounts: dict[int, Decimal], decimals: int = 0) -> dict[str, str]:
    return {str(year): format_amount(value, decimals) for year, value in sorted(amounts.items())}


# --- varying prose ----------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.strip("\n").split("\n\n") if p.strip()]


def _is_footnote(paragraph: str) -> bool:
    return paragraph.lstrip().startswith("[^")


def _plain_prose(paragraph: str) -> bool:
    first = paragraph.lstrip()[:3]
    return (
        len(paragraph) > 120
        and "[^" not in paragraph
        and "{{" not in paragraph  # a figure reference names its own note's tables
        and not first.startswith(("#", "-", "*", "|", ">"))
        and not re.match(r"\d+[.)]", first)
        and not paragraph.rstrip().endswith(":")
    )


def _all_paragraphs(value: Any) -> list[str]:
    """Return the paragraphs of every text in a note's data."""
    if isinstance(value, str):
        return _paragraphs(value) if "\n" in value else []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [p for item in value for p in _all_paragraphs(item)]
    return []


def prose_pool() -> list[str]:
    """Return the plain paragraphs of every shipped note: material to lengthen prose with."""
    pool = []
    for name in sorted(set(CYCLE)):
        pool += [p for p in _all_paragraphs(read_note(name)[1]) if _plain_prose(p)]
    return list(dict.fromkeys(pool))


class Prose:
    """Makes a Markdown text shorter or longer by whole paragraphs.

    A heading stays with the paragraph after it, and so does a paragraph ending in a colon
    (it introduces a list). A paragraph that holds a footnote reference, and every footnote
    definition, is kept, so no reference loses its footnote. Added paragraphs are plain prose
    from the shipped notes, each used once per text while there are unused ones.
    """

    FACTORS = (0.3, 0.5, 0.75, 1.0, 1.0, 1.25, 1.5, 2.0, 3.0)

    def __init__(self, rng: random.Random, pool: list[str]) -> None:
        self.rng, self.pool = rng, pool
        self.used: set[str] = set()

    def begin(self, note: Any) -> None:
        """Start on a note: its own paragraphs are not added to it a second time."""
        self.used = set(_all_paragraphs(note))

    def factor(self) -> float:
        return self.rng.choice(self.FACTORS)

    def vary(self, text: str, factor: float) -> str:
        paragraphs = _paragraphs(text)
        notes = [p for p in paragraphs if _is_footnote(p)]
        units: list[str] = []
        joined = False
        for paragraph in (p for p in paragraphs if not _is_footnote(p)):
            if joined:
                units[-1] += "\n\n" + paragraph
            else:
                units.append(paragraph)
            joined = paragraph.startswith("#") or paragraph.rstrip().endswith(":")
        target = max(1, round(len(units) * factor))
        while len(units) > target:
            removable = [i for i, u in enumerate(units) if "[^" not in u]
            if not removable:
                break
            del units[self.rng.choice(removable)]
        unused = [p for p in self.pool if p not in self.used]
        while len(units) < target:
            if not unused:
                unused = list(self.pool)
            added = unused.pop(self.rng.randrange(len(unused)))
            self.used.add(added)
            units.insert(self.rng.randrange(1, len(units) + 1), added)
        return "\n\n".join(units + notes) + "\n"


# --- the round --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    """One generated note: its file, its kind and the shipped note it was made from."""

    path: Path
    kind: str
    origin: str


class Round:
    """Generates one round of notes into a folder; deterministic for a given seed."""

    def __init__(self, seed: int, cycle: tuple[str, ...] = CYCLE) -> None:
        self.rng = random.Random(seed)
        self.prose = Prose(self.rng, prose_pool())
        self.cycle = cycle
        self.sources = {name: read_note(name) for name in sorted(set(cycle))}
        self.names: set[str] = set()
        self.ids: set[str] = set()

    def generate(self, count: int, folder: Path) -> list[Generated]:
        folder.mkdir(parents=True, exist_ok=True)
        made = []
        for n in range(count):
            origin = self.cycle[n % len(self.cycle)]
            first_line, shipped = self.sources[origin]
            data = copy.deepcopy(shipped)
            self.prose.begin(data)
            if origin == "BI19":
                name, data = self._budget_note(data)
            elif origin == "BI07":
                name, data = self._model_note(data)
            elif origin.startswith("memo"):
                name, data = self._memo(data)
            else:
                name, data = self._agreement(data)
            path = folder / f"{name}.yaml"
            path.write_text(dump_note(first_line, origin, data), "utf-8")
            made.append(Generated(path, data["type"], origin))
        return made

    # --- shared helpers -------------------------------------------------------------------

    def _unique(self, make: Any, taken: set[str]) -> str:
        while (value := make()) in taken:
            pass
        taken.add(value)
        return value

    def _administration(self) -> tuple[str, ...]:
        """Return a randomly chosen administration (see ADMINISTRATIONS)."""
        codes, weights = zip(*ADMINISTRATION_WEIGHTS.items(), strict=True)
        return ADMINISTRATIONS[self.rng.choices(codes, weights)[0]]

    def _relabel(self, data: Any, info: tuple[str, ...]) -> Any:
        """Move a note to another administration: every code and name of BIF and BIU in it.

        Done last, so prose added from the pool is moved too.
        """
        old = ADMINISTRATIONS["BIF"]
        code = next(c for c, i in ADMINISTRATIONS.items() if i == info)
        replacements = [
            (re.compile(re.escape(old[2])), info[2]),
            (re.compile(re.escape(old[3])), info[3]),
            (re.compile(r"\bBIF\b"), code),
            (re.compile(r"\bBIU\b"), info[1]),
        ]

        def walk(value: Any) -> Any:
            if isinstance(value, Quoted):
                return value
            if isinstance(value, str):
                for pattern, new in replacements:
                    value = pattern.sub(new, value)
                return value
            if isinstance(value, dict):
                return {k: walk(v) for k, v in value.items()}
            if isinstance(value, list):
                return [walk(v) for v in value]
            return value

        return walk(data)

    def _text(self, data: dict, *keys: str) -> None:
        """Make each named prose field of `data` shorter or longer."""
        for key in keys:
            if isinstance(data.get(key), str):
                data[key] = self.prose.vary(data[key], self.prose.factor())

    def _scale(self) -> float:
        # Log-uniform between a quarter and four times the shipped amounts.
        return math.exp(self.rng.uniform(math.log(0.25), math.log(4.0)))

    def _round10(self, value: float) -> Decimal:
        return Decimal(max(10, round(value / 10) * 10))

    def _years(self, base: float, years: list[int]) -> dict[int, Decimal]:
        """Return amounts for some of `years`: all, from the second, the first, or the middle."""
        pattern = self.rng.choices(("all", "later", "first", "middle"), (5, 3, 1, 1))[0]
        chosen = {
            "all": years,
            "later": years[1:],
            "first": years[:1],
            "middle": years[1:-1],
        }[pattern] or years
        flat = self.rng.random() < 0.6
        amounts = {}
        for i, year in enumerate(chosen):
            value = base if flat else base * self.rng.uniform(0.85, 1.15)
            if i == 0 and pattern == "all" and self.rng.random() < 0.3:
                value *= 0.75  # a first year with gradual intake, as BI19's 6.240 of 8.320
            amounts[year] = self._round10(value)
        return amounts

    def _meeting_date(self, first_year: int, last_year: int) -> date:
        start = date(first_year, 1, 1)
        day = start + timedelta(days=self.rng.randrange((date(last_year, 12, 31) - start).days))
        return day - timedelta(days=day.weekday())  # committees meet on Mondays

    # --- budget notes ---------------------------------------------------------------------

    def _header(self, data: dict) -> tuple[dict, tuple[str, ...], int]:
        """Vary what every budget note has: administration, id, title, years, prose, districts."""
        info = self._administration()
        prefix = info[0]

        def make_id() -> str:
            letter = self.rng.choice("ab") if self.rng.random() < 0.1 else ""
            return f"{prefix}{self.rng.randint(1, 199)}{letter}"

        data["id"] = self._unique(make_id, self.ids)
        data["titel"] = self.rng.choice(BUDGET_TITLES)
        category = self.rng.choice((None, "Specifik udfordring", "Need to", "Rettidig omhu"))
        data.pop("kategori", None)
        if category:
            data = {**{k: data[k] for k in ("type", "id")}, "kategori": category, **data}
        shift = self.rng.randint(0, 3)
        first, last = (int(y) + shift for y in data["år"].split("-"))
        data["år"] = f"{first}-{last}"
        data["prisniveau"] = str(int(data["prisniveau"]) + shift)
        self._text(data, "baggrund", "indhold", "risikovurdering")
        if self.rng.random() < 0.6:
            data["bydele"] = "bydækkende"
        else:
            data["bydele"] = self.rng.sample(DISTRICTS, self.rng.randint(1, 4))
            if self.rng.random() < 0.3:
                data["adresse"] = f"Saxogade {self.rng.randint(1, 120)}, 1662 København V"
        self._earlier_funds(data, shift)
        return _shift_references(data, shift), info, shift

    def _earlier_funds(self, data: dict, shift: int) -> None:
        """Shift, scale and recount "Tidligere afsatte midler", or leave the table out."""
        funds = data.get("tidligere_afsatte_midler")
        if funds is None:
            return
        if self.rng.random() < 0.25:
            del data["tidligere_afsatte_midler"]
            return
        first, last = (int(y) + shift for y in funds["år"].split("-"))
        funds["år"] = f"{first}-{last}"
        scale = self._scale()
        rows = []
        kept = [row for row in funds["bevillinger"] if self.rng.random() >= 0.2]
        for row in kept or funds["bevillinger"][:1]:
            amounts = {
                int(y) + shift: self._round10(float(parse_amount(v)) * scale)
                for y, v in row["beløb"].items()
            }
            name = YEARS.sub(lambda m: _shift_years(m, shift), row["navn"])
            rows.append({"navn": name, "beløb": amounts})
        funds["bevillinger"] = [{"navn": r["navn"], "beløb": _by_year(r["beløb"])} for r in rows]
        # BI19 states "Afsatte midler i alt", BI07 leaves it to notebuild: recount it when it is
        # stated, and state it in half of the others.
        if "i_alt" in funds or self.rng.random() < 0.5:
            totals: Counter[int] = Counter()
            for row in rows:
                totals.update(row["beløb"])
            funds["i_alt"] = {"beløb": _by_year(dict(totals))}

    def _activities(
        self, originals: list[dict], info: tuple[str, ...], shift: int, years: list[int]
    ) -> list[dict]:
        """Return a varied list of activities: some dropped, new ones added, amounts varied."""
        count = self.rng.choice((1, 2, 3, 3, 4, 5, 6, 8))
        scale = self._scale()
        chosen = []
        for activity in originals[:count]:
            base = max(parse_amount(v) for v in activity["beløb"].values())
            chosen.append(
                (
                    activity["navn"],
                    activity.get("bevillingsnavn"),
                    activity["styringsområde"],
                    "U",
                    float(base),
                )
            )
        for name, short, area in self.rng.sample(ACTIVITIES, max(0, count - len(chosen))):
            base = self.rng.choice((150, 300, 500, 720, 1000, 1260, 2500, 4000, 8320))
            chosen.append((name, short, area, "U", float(base)))
        if count >= 3 and self.rng.random() < 0.3:
            chosen.append((*INCOME, "overførsler", "I", 0.3 * min(c[4] for c in chosen)))
        activities = []
        for name, short, area, direction, base in chosen:
            amounts = self._years(base * scale * self.rng.uniform(0.6, 1.6), years)
            signed = sum(amounts.values()) * (-1 if direction == "I" else 1)
            activity = {"navn": name}
            if short:
                activity["bevillingsnavn"] = short
            activity |= {
                "styringsområde": area,
                "udvalg": info[1],
                "bevilling": Quoted(f"{info[4]}.{AREA_SUFFIX[area]}"),
                "art": direction,
                "beløb": _by_year(amounts),
                "i_alt": format_amount(signed),
            }
            activities.append(activity)
        return activities

    def _totals(self, activities: list[dict]) -> tuple[dict, dict]:
        """Return the stated "Udgifter i alt (netto)" and the appropriation totals by area."""
        net: Counter[int] = Counter()
        by_area: dict[str, Counter[int]] = {}
        for activity in activities:
            sign = -1 if activity["art"] == "I" else 1
            amounts = {int(y): sign * parse_amount(v) for y, v in activity["beløb"].items()}
            net.update(amounts)
            by_area.setdefault(activity["styringsområde"], Counter()).update(amounts)
        total = {"beløb": _by_year(dict(net)), "i_alt": format_amount(sum(net.values()))}
        areas = {
            area: {"beløb": _by_year(dict(sums)), "i_alt": format_amount(sum(sums.values()))}
            for area, sums in sorted(by_area.items(), key=lambda a: list(AREA_SUFFIX).index(a[0]))
        }
        return total, areas

    def _effect_rows(self, rows: list[dict]) -> list[dict]:
        count = self.rng.choice((1, 1, 2, 3))
        out = [dict(rows[i % len(rows)]) for i in range(count)]
        groups = self.rng.sample(TARGET_GROUPS, len(TARGET_GROUPS))
        for row, group in zip(out[len(rows) :], groups, strict=False):
            row["målgruppe"] = group
        return out

    def _budget_note(self, data: dict) -> tuple[str, dict]:
        """A note shaped like BI19: one set of activities, Tabel 1 and 2, appropriations."""
        data, info, shift = self._header(data)
        first, last = (int(y) for y in data["år"].split("-"))
        years = list(range(first, last + 1))
        economy = data["økonomi"]
        self._text(economy, "tekst")
        self._text(data["effekt"], "tekst")
        data["effekt"]["tabel"] = self._effect_rows(data["effekt"]["tabel"])
        economy["aktiviteter"] = self._activities(economy["aktiviteter"], info, shift, years)
        economy["i_alt"], economy["bevilling_i_alt"] = self._totals(economy["aktiviteter"])
        return data["id"], self._relabel(data, info)

    def _model_note(self, data: dict) -> tuple[str, dict]:
        """A note shaped like BI07: one to four models, each with its own tables."""
        data, info, shift = self._header(data)
        first, last = (int(y) for y in data["år"].split("-"))
        years = list(range(first + 1, last + 1))  # BI07's first year stays empty
        shipped = data["modeller"]
        models = []
        for i in range(self.rng.choice((1, 2, 2, 3, 4))):
            model = shipped[i % len(shipped)]
            activities = self._activities(model["aktiviteter"], info, shift, years)
            total, areas = self._totals(activities)
            models.append(
                {
                    "navn": f"model {i + 1}",
                    "effekt": self._effect_rows(model["effekt"]),
                    "aktiviteter": activities,
                    "i_alt": total,
                    "bevilling_i_alt": areas,
                }
            )
        data["modeller"] = models
        # Prose naming a model this note does not have names its last one instead.
        data = _in_prose(data, MODEL_REFERENCE, lambda m: f"{m[1]}{min(int(m[2]), len(models))}")
        return data["id"], self._relabel(data, info)

    # --- committee memos ------------------------------------------------------------------

    def _memo(self, data: dict) -> tuple[str, dict]:
        """A committee memo: another committee, date, title, attachments, clauses, prose."""
        info = self._administration()
        day = self._meeting_date(2019, 2025)
        data["mødedato"] = day.strftime("%d.%m.%Y")
        data["mødetid"] = Quoted(self.rng.choice(("15:00", "16:00", "16:30", "17:00")))
        data["mødested"] = self.rng.choice(VENUES)
        data["titel"] = self.rng.choice(MEMO_TITLES)
        attachments = self.rng.sample(BILAG, self.rng.randint(0, 3))
        if attachments:
            data["bilag"] = [{"titel": f"Bilag {i}: {t}"} for i, t in enumerate(attachments, 1)]
        else:
            data.pop("bilag", None)
        clauses = self.rng.sample(CLAUSES, self.rng.randint(1, 3))
        data["indstilling"]["punkter"] = [
            c.format(udvalg=info[3], next_year=day.year + 1) for c in clauses
        ]
        self._text(data, "resumé", "problemstilling", "løsning", "videre_proces")
        self._text(data, "økonomi", "politisk_handlerum")
        if "politisk_handlerum" in data and self.rng.random() < 0.3:
            del data["politisk_handlerum"]
        if self.rng.random() < 0.5:
            data["økonomi"] = self._memo_economy(data.get("økonomi", ""), day.year)
        data["underskrift"] = self.rng.sample(PEOPLE, 2)
        if self.rng.random() < 0.4:
            data.pop("beslutning", None)
        elif "beslutning" in data:
            data["beslutning"]["tekst"] = self.rng.choice(DECISIONS)
        name = self._unique(
            lambda: f"memo-{day.isoformat()}-punkt-{self.rng.randint(1, 30)}", self.names
        )
        return name, self._relabel(data, info)

    def _memo_economy(self, text: str, year: int) -> list:
        """The memo's economy as text, a finance table with its stated total, and text."""
        columns = (
            [year + 1, year + 2] if self.rng.random() < 0.5 else [year + 1, year + 2, year + 3]
        )
        scale = self._scale()
        rows = []
        for name in self.rng.sample(MEMO_ROWS, self.rng.randint(2, 5)):
            base = self.rng.choice((250, 470, 590, 1150, 1500)) * scale
            rows.append(
                (name, {c: self._round10(base * self.rng.uniform(0.8, 1.2)) for c in columns})
            )
        table: dict[str, Any] = {
            "titel": "Forsøgets økonomi",
            "enhed": "1.000 kr.",
            "prisniveau": str(year),
            "kolonner": [str(c) for c in columns],
            "rækker": [{"navn": n, "beløb": _by_year(a)} for n, a in rows],
        }
        if self.rng.random() < 0.5:
            table["i_alt"] = "ja"
        else:
            totals = {c: sum(a[c] for _, a in rows) for c in columns}
            table["i_alt"] = {"navn": "I alt", "beløb": _by_year(totals)}
        parts: list = [text] if text.strip() else []
        return [*parts, {"tabel": table}, f"Beløbene er i {year}-priser.\n"]

    # --- budget agreements ----------------------------------------------------------------

    def _agreement(self, data: dict) -> tuple[str, dict]:
        """A budget agreement: another committee, year, theme, signatories, solutions, tables.

        One in four keeps the shipped funding table as signed (0,5 + 3,4 stated as 4,0), the
        `rounding-difference` warning the real agreement has; the others state the true sum.
        """
        info = self._administration()
        year = self.rng.randint(2014, 2027)
        data["budgetår"] = str(year)
        data["tema"] = self.rng.choice(THEMES)
        day = self._meeting_date(year - 1, year - 1)
        data["dato"] = f"{day.day}. {MONTHS[day.month - 1]} {day.year}"

        def make_reference() -> str:
            return f"{self.rng.choice(('KJ', 'BF', 'UA'))}{self.rng.randint(10, 99)}"

        reference = self._unique(make_reference, self.ids)
        data["reference"] = reference
        data["underskrivere"] = [
            {"navn": person, "parti": self.rng.choice(PARTIES)}
            for person in self.rng.sample(PEOPLE, self.rng.randint(3, 8))
        ]
        self._text(data, "udfordringer", "løsninger_efter", "effekter")
        solutions = list(data["løsninger"])
        self.rng.shuffle(solutions)
        count = self.rng.randint(2, 6)
        extra = [{"overskrift": h, "tekst": t} for h, t in SOLUTIONS]
        data["løsninger"] = (solutions + self.rng.sample(extra, len(extra)))[:count]
        data["økonomi"] = [{"tabel": self._agreement_table(data["økonomi"][0]["tabel"], year)}]
        funding = data["finansiering"]
        funding[0] = self.prose.vary(funding[0], self.prose.factor())
        funding[2] = self.prose.vary(funding[2], self.prose.factor())
        if self.rng.random() >= 0.25:
            funding[1]["tabel"] = self._funding_table(funding[1]["tabel"])
        # The prose's figures name rows and years of the shipped tables: point them at cells
        # every generated agreement has (the first group's first year, the funding total).
        funding[2] = re.sub(
            r"\{\{\s*tal:\s*oversigt\.[^|}]*",
            f"{{{{ tal: oversigt.Indsatsudgifter.{year} ",
            funding[2],
        )
        funding[2] = re.sub(r"\{\{\s*tal:\s*råderum\.[^|}]*", "{{ tal: råderum.i_alt ", funding[2])
        name = f"delaftale-{year}-{reference.lower()}"
        return name, self._relabel(data, info)

    def _agreement_table(self, table: dict, year: int) -> dict:
        columns = list(range(year, year + self.rng.choice((3, 4))))
        table["prisniveau"] = str(year - 1)
        table["kolonner"] = [str(c) for c in columns]
        scale = self._scale()
        groups = []
        for group in ("Indsatsudgifter", "Administration")[: self.rng.choice((1, 1, 2))]:
            rows = []
            for name in self.rng.sample(AGREEMENT_ROWS, self.rng.randint(1, 5)):
                base = self.rng.choice((500, 1000, 2000, 3000)) * scale
                rows.append((name, {c: self._round10(base) for c in columns}))
            totals = {c: sum(a[c] for _, a in rows) for c in columns}
            groups.append(
                {
                    "gruppe": group,
                    "rækker": [{"navn": n, "beløb": _by_year(a)} for n, a in rows],
                    "i_alt": _by_year(totals),
                }
            )
        table["rækker"] = groups
        if len(groups) > 1:
            totals = Counter()
            for group in groups:
                totals.update({int(y): parse_amount(v) for y, v in group["i_alt"].items()})
            table["i_alt"] = {"navn": "I alt", "beløb": _by_year(dict(totals))}
        return table

    def _funding_table(self, table: dict) -> dict:
        """The one-column table in mio. kr., with new rows and the true total stated."""
        rows = []
        for name in self.rng.sample(FUNDING_ROWS, self.rng.randint(2, 4)):
            rows.append((name, Decimal(self.rng.randint(2, 60)) / 10))
        table["rækker"] = [{"navn": n, "beløb": format_amount(v, 1)} for n, v in rows]
        table["i_alt"] = {"beløb": format_amount(sum(v for _, v in rows), 1)}
        return table
