"""`notebuild schema`: JSON Schemas (draft-07) that editors read, shipped in schemas/ and true.

Every shipped note is validated against its shipped schema twice: as notebuild loads it (every
scalar the text the author typed) and as an editor does (YAML 1.2: `8.320` is a number). A note
with a mistake the schema can see fails it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft7Validator
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from notebuild.cli import main
from notebuild.kind.organisation import organisation
from notebuild.readers.loader import load

from .conftest import NOTES, ROOT

SCHEMAS = ROOT / "schemas"
FIXTURES = ROOT / "tests" / "fixtures"
SHIPPED_NOTES = sorted(NOTES.glob("*.yaml"))
KINDS = ("budgetnotat", "dagsordenpunkt", "delaftale")
SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")


def run(*args: object):
    result = CliRunner().invoke(
        main, [str(a) for a in args], prog_name="notebuild", env={"NOTEBUILD_KINDS": ""}
    )
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def schema_of(kind: str, *options: object) -> dict[str, Any]:
    result = run("schema", kind, *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def as_notebuild_reads(path: Path) -> Any:
    source, problems = load(path)
    assert source is not None, problems
    return source.data


# YAML 1.2 core schema, as yaml-language-server reads a plain (unquoted) scalar.
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def as_editor_reads(text: str) -> Any:
    def build(node: Any) -> Any:
        if isinstance(node, ScalarNode):
            value = node.value
            if node.style is not None:  # quoted or a block: text
                return value
            if _NULL.fullmatch(value):
                return None
            if _BOOL.fullmatch(value):
                return value.lower() == "true"
            if _INT.fullmatch(value):
                return int(value)
            if _FLOAT.fullmatch(value):
                return float(value)
            return value
        if isinstance(node, SequenceNode):
            return [build(item) for item in node.value]
        assert isinstance(node, MappingNode)
        return {str(k.value): build(v) for k, v in node.value}

    return build(yaml.compose(text, Loader=yaml.SafeLoader))


def errors(schema: dict[str, Any], data: Any) -> list[str]:
    """Return each error as "path: message"; inside a union, each branch's own errors."""

    def leaves(error: Any) -> Any:
        if error.context:
            for inner in error.context:
                yield from leaves(inner)
        else:
            yield error

    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for top in Draft7Validator(schema).iter_errors(data)
        for e in leaves(top)
    ]


def shipped(kind: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{kind}.schema.json").read_text("utf-8"))


def kind_of(path: Path) -> str:
    return re.search(r"^type: (\S+)$", path.read_text("utf-8"), re.M)[1]


# -- the schemas ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft_07(kind):
    schema = schema_of(kind)
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["properties"]["type"]["const"] == kind
    assert schema["additionalProperties"] is False


def test_the_shipped_schemas_are_what_notebuild_makes_now(tmp_path):
    result = run("schema", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in SCHEMAS.iterdir())
    for name in made:
        assert (tmp_path / name).read_bytes() == (SCHEMAS / name).read_bytes(), (
            f"schemas/{name} is out of date: run `notebuild schema --out schemas`"
        )


def test_the_fields_are_described_in_danish_under_their_danish_keys():
    budget = schema_of("budgetnotat")["properties"]
    assert budget["baggrund"]["description"] == "Tekst (Markdown) under Baggrund."
    assert budget["baggrund"]["title"] == "Baggrund"
    assert "prisniveau" in budget and "price_level" not in budget
    activity = schema_of("budgetnotat")["definitions"]["Activity"]["properties"]
    assert activity["beløb"]["description"].startswith("Beløbene pr. år")
    memo = schema_of("dagsordenpunkt")["properties"]
    assert memo["resumé"]["title"] == "Resumé"
    assert memo["resumé"]["description"].startswith("Står under overskriften 'Resumé'.")
    assert memo["mødetid"]["description"].endswith("Valgfrit.")


def test_codes_are_enums_from_the_organisation_file():
    org = organisation()
    budget = schema_of("budgetnotat")
    assert budget["properties"]["forvaltning"]["enum"] == list(org.administrations)
    assert budget["properties"]["enhed"]["enum"] == list(org.units)
    activity = budget["definitions"]["Activity"]["properties"]
    assert activity["udvalg"]["enum"] == list(org.committees)
    assert activity["styringsområde"]["enum"] == list(org.areas)
    assert "BIU (Beskæftigelses- og Integrationsudvalget)" in activity["udvalg"]["description"]
    # An activity's udvalg has appropriations; the udvalg of a kind made as data holds an
    # agenda or an agreement, which Borgerrepræsentationen may too.
    assert "BR" not in activity["udvalg"]["enum"]
    agreement = schema_of("delaftale")
    assert agreement["properties"]["udvalg"]["enum"] == [*org.committees, "BR"]
    signatory = agreement["definitions"]["Signatory"]["properties"]
    assert signatory["parti"]["enum"] == list(org.parties)


def test_amounts_are_danish_text_or_a_number():
    amount = schema_of("budgetnotat")["definitions"]["Activity"]["properties"]["beløb"]
    validator = Draft7Validator(amount)
    for good in ("8.320", "0,5", "-3.500", "1.000.000", 720, 8.32):
        assert validator.is_valid({"2024": good}), good
    for bad in ("8.32", "otte", "8,320.5"):
        assert not validator.is_valid({"2024": bad}), bad
    assert not validator.is_valid({"år 2024": "720"})


# -- the shipped notes -----------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED_NOTES, ids=lambda p: p.stem)
def test_every_shipped_note_names_its_schema_on_its_first_line(path):
    first = path.read_text("utf-8").splitlines()[0]
    match = SCHEMA_LINE.fullmatch(first)
    assert match, first
    assert (path.parent / match[1]).resolve() == SCHEMAS / f"{kind_of(path)}.schema.json"


@pytest.mark.parametrize("path", SHIPPED_NOTES, ids=lambda p: p.stem)
def test_every_shipped_note_validates_against_its_schema(path):
    schema = shipped(kind_of(path))
    assert errors(schema, as_notebuild_reads(path)) == []
    assert errors(schema, as_editor_reads(path.read_text("utf-8"))) == []


def test_the_fixture_note_validates_against_its_kinds_schema():
    path = FIXTURES / "orienteringsnotat.yaml"
    schema = schema_of("orienteringsnotat", "--kinds", FIXTURES / "kinds")
    Draft7Validator.check_schema(schema)
    assert schema["properties"]["status"]["title"] == "Status"
    assert errors(schema, as_notebuild_reads(path)) == []
    assert errors(schema, as_editor_reads(path.read_text("utf-8"))) == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_skeleton_has_the_shape_of_its_schema(kind, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = {"budgetnotat": ["BI20"], "dagsordenpunkt": ["x", "--udvalg", "BIU"]}
    assert run("new", kind, *args.get(kind, ["x", "--udvalg", "BIU"])).exit_code == 0
    (path,) = (tmp_path / "notes").iterdir()
    data = as_notebuild_reads(path)
    found = {e.split(": ")[0] for e in errors(shipped(kind), data)}
    # Only placeholders are flagged: those where a code, an amount, a year or a date belongs
    # (a union's other branches are reported at the union, which holds the placeholder).
    assert found, "a skeleton's placeholders should show in the editor"
    holders = set(placeholders(data, ()))
    for path in found:
        assert any(h == path or h.startswith(f"{path}/") for h in holders), path


def placeholders(data: Any, path: tuple[str, ...]) -> Any:
    if isinstance(data, str) and "UDFYLD" in data:
        yield "/".join(path)
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from placeholders(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from placeholders(value, (*path, str(index)))


# -- wrong notes fail -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "old", "new", "where"),
    [
        ("BI19", "\nbaggrund: |", "\nbaggrnd: |", ""),
        ("BI19", "forvaltning: BIF", "forvaltning: BIX", "forvaltning"),
        ("BI19", "      udvalg: BIU\n", "      udvalg: BIY\n", "økonomi/aktiviteter/0/udvalg"),
        ("BI19", "i_alt: 36.960", "i_alt: 36.96", "økonomi/i_alt/i_alt"),
        ("BI19", "bydele: bydækkende", "bydele: [Nørrebrø]", "bydele"),
        ("memo-2024-06-17", "udvalg: BIU", "udvalg: BIY", "udvalg"),
        ("memo-2024-06-17", "mødedato: 17.06.2024", "mødedato: 17/6 2024", "mødedato"),
        ("delaftale-2014", "parti: B}", "parti: X}", "underskrivere/0/parti"),
        ("delaftale-2014", "tema: Aktivitetsparate\n", "emne: Aktivitetsparate\n", ""),
    ],
    ids=[
        "unknown-key",
        "unknown-administration",
        "unknown-committee",
        "amount-read-two-ways",
        "unknown-district",
        "memo-unknown-committee",
        "memo-unreadable-date",
        "unknown-party",
        "renamed-required-field",
    ],
)
def test_a_wrong_note_fails_its_schema(note, old, new, where, tmp_path):
    text = (NOTES / f"{note}.yaml").read_text("utf-8")
    assert old in text
    path = tmp_path / f"{note}.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    found = errors(shipped(kind_of(path)), as_notebuild_reads(path))
    assert found
    assert any(e.split(":")[0] == where for e in found), found


# -- the command ------------------------------------------------------------------------------


def test_without_kind_the_kinds_are_listed():
    result = run("schema")
    assert result.exit_code == 0
    for kind in KINDS:
        assert f"  {kind} " in result.output


def test_out_writes_the_schema_to_a_file(tmp_path):
    target = tmp_path / "skema" / "memo.json"
    result = run("schema", "dagsordenpunkt", "--out", target)
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == (SCHEMAS / "dagsordenpunkt.schema.json").read_bytes()


def test_out_without_kind_must_be_a_folder(tmp_path):
    file = tmp_path / "fil.json"
    file.write_text("{}", "utf-8")
    result = run("schema", "--out", file)
    assert result.exit_code == 2
    assert "uden KIND skal --out være en mappe" in result.output
    assert file.read_text("utf-8") == "{}"


def test_an_unknown_kind_is_a_danish_usage_error():
    result = run("schema", "dagsordenpunk")
    assert result.exit_code == 2
    assert "ukendt dokumenttype 'dagsordenpunk'. Mente du 'dagsordenpunkt'?" in result.output


def test_help_has_an_example():
    result = run("schema", "--help")
    assert result.exit_code == 0
    assert "notebuild schema --out schemas" in result.output
