"""Plain prose is read as paragraphs without the Markdown parser: the same blocks as the parser.

compose/markdown.py takes a text with no markup and no line that could open a block straight
to paragraphs. This holds that shortcut to markdown-it's result on generated texts made of
the characters that matter (markup, digits with "." and ")", spaces of several kinds, line
breaks) and on the shipped notes' texts.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from notebuild.compose import markdown
from notebuild.compose.markdown import Footnotes, plain_paragraphs, to_blocks

ALPHABET = "ab æ1.)-*+#>=_~`|<&[]!\\^:(\n\n\t\r\u00a0\u2003\x0c\x1c§"


def parsed(text: str):
    """Return the blocks markdown-it makes of `text` (the shortcut turned off)."""
    original = markdown.plain_paragraphs
    markdown.plain_paragraphs = lambda _text: None
    try:
        return to_blocks(text, Footnotes())
    finally:
        markdown.plain_paragraphs = original


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_plain_prose_gives_the_blocks_the_parser_gives(text):
    if plain_paragraphs(text) is not None:
        assert to_blocks(text, Footnotes()) == parsed(text)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Der afsættes", "1.000 kr.", "2016-17", " ", "\n", "  ", "\u00a0", "2)", "§"]
        )
    )
)
def test_prose_made_of_words_figures_and_breaks(pieces):
    text = "".join(pieces)
    if plain_paragraphs(text) is not None:
        assert to_blocks(text, Footnotes()) == parsed(text)


def test_the_shortcut_takes_plain_prose_and_leaves_markup_to_the_parser():
    assert plain_paragraphs("Første linje\nanden linje\n\nNyt afsnit.\n") == [
        "Første linje anden linje",
        "Nyt afsnit.",
    ]
    for marked in ("- punkt", "1. punkt", "**fed**", "tekst[^1]", "# Overskrift", "a  \nb"):
        assert plain_paragraphs(marked) is None, marked
