"""Every shipped note renders as its golden files say: a readable Word dump and the HTML page.

The goldens hold the outputs still while the code beneath them moves. When an output is meant
to change, regenerate them on purpose with NOTEBUILD_REGENERATE_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import os

import pytest

from notebuild.pipeline import check_file, compose, render_outputs

from .conftest import NOTES, ROOT
from .docx_dump import dump_docx

GOLDEN = ROOT / "tests" / "golden" / "notes"
SHIPPED = sorted(NOTES.glob("*.yaml"))


@pytest.fixture(scope="module", params=SHIPPED, ids=lambda path: path.stem)
def rendered(request) -> tuple[str, dict[str, str]]:
    checked = check_file(request.param)
    assert checked.ok, [p.message for p in checked.problems]
    outputs = render_outputs(compose(checked), ("docx", "html"))
    return request.param.stem, {
        "docx.txt": dump_docx(outputs["docx"]),
        "html": outputs["html"].decode("utf-8"),
    }


@pytest.mark.parametrize("suffix", ["docx.txt", "html"])
def test_shipped_note_matches_its_golden(rendered, suffix):
    stem, outputs = rendered
    golden = GOLDEN / f"{stem}.{suffix}"
    if os.environ.get("NOTEBUILD_REGENERATE_GOLDEN") == "1":
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(outputs[suffix], "utf-8", newline="\n")
    assert golden.exists(), "run with NOTEBUILD_REGENERATE_GOLDEN=1 to create the golden file"
    assert outputs[suffix] == golden.read_text("utf-8"), (
        f"{golden.name} changed; if on purpose, regenerate with NOTEBUILD_REGENERATE_GOLDEN=1"
    )


def test_every_shipped_note_has_its_goldens_and_no_golden_is_stale():
    expected = {f"{p.stem}.{s}" for p in SHIPPED for s in ("docx.txt", "html")}
    assert {p.name for p in GOLDEN.iterdir()} == expected
