"""Write src/notebuild/writers/glyph_widths.py: Liberation Sans' and DejaVu Sans' advance widths.

The Word writer sizes table columns by measuring text in the face the reader sees where KBH
is missing (see writers/font_chain.py): Liberation Sans, whose widths are Arial's. What must
stay on one line is also measured in DejaVu Sans, the face LibreOffice takes on Debian when it
opens the .docx without notebuild's font configuration. This reads the widths from the fonts
of the Debian packages fonts-liberation2 and fonts-dejavu-core with fontTools (not a
dependency of notebuild; `pip install fonttools` to run it):

    python tools/make_glyph_widths.py
"""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "notebuild" / "writers" / "glyph_widths.py"
FACES = {
    "REGULAR": "liberation2/LiberationSans-Regular.ttf",
    "BOLD": "liberation2/LiberationSans-Bold.ttf",
    "FALLBACK_REGULAR": "dejavu/DejaVuSans.ttf",
    "FALLBACK_BOLD": "dejavu/DejaVuSans-Bold.ttf",
}
FONTS = Path("/usr/share/fonts/truetype")
CHARACTERS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0xA0, 0x100))
    + "\u2013\u2014\u2212\u2026\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u20ac"
)


def widths(path: Path) -> tuple[int, list[int]]:
    """Return the face's units per em and each character's advance width in those units."""
    font = TTFont(path)
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    missing = metrics[".notdef"][0]
    return font["head"].unitsPerEm, [
        metrics[cmap[ord(char)]][0] if ord(char) in cmap else missing for char in CHARACTERS
    ]


def main() -> int:
    lines = [
        "# ruff: noqa: E501",
        '"""Advance widths of Liberation Sans (Arial\'s) and DejaVu Sans, by '
        'tools/make_glyph_widths.py."""',
        "",
        "# fmt: off",
        f"CHARACTERS = {CHARACTERS!r}",
    ]
    for name, file in FACES.items():
        units, advances = widths(FONTS / file)
        lines.append(f"{name}_UNITS_PER_EM = {units}")
        lines.append(f"{name} = {tuple(advances)!r}")
    lines.append("# fmt: on")
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(TARGET.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
