"""The documentation shows the real BI19, so the example can never drift from the source."""

import re

from .conftest import NOTES, ROOT


def test_format_documentation_embeds_the_whole_bi19_verbatim():
    doc = (ROOT / "docs" / "budgetnotat.md").read_text("utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.DOTALL)
    assert (NOTES / "BI19.yaml").read_text("utf-8") in blocks


def test_readme_opens_with_the_two_set_up_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    first_block = re.search(r"```\w*\n(.*?)```", readme, re.DOTALL).group(1)
    assert "make render" in first_block and "make test" in first_block
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in ci
