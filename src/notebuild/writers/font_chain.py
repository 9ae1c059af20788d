"""The house typeface and the free face that stands in for it, realised for LibreOffice.

The Word file names KBH (headings) and KBH Tekst (body), with Arial as the fallback in its font
table; the HTML names KBH, then Arial and Liberation Sans. Word honours that fallback, but
LibreOffice asks fontconfig for "KBH" and, where KBH is not installed, gets whatever fontconfig
likes best (DejaVu Sans on Debian), which is wider than Arial: the PDF then breaks lines where
Word and the browser do not. So LibreOffice runs with a fontconfig file that includes the
system's and accepts Liberation Sans for the KBH families. Liberation Sans (Debian package
fonts-liberation2) has Arial's advance widths glyph for glyph, so Word (Arial), the browser
(Arial or Liberation Sans) and the PDF (Liberation Sans) set the same lines. Where KBH is
installed, fontconfig finds it first and every client uses KBH; the alias only adds a fallback.
"""

from __future__ import annotations

import os
from pathlib import Path

HOUSE_FAMILIES = ("KBH", "KBH Tekst", "KBH Black")
FALLBACK_FAMILY = "Liberation Sans"
FALLBACK_PACKAGE = "fonts-liberation2"
SYSTEM_CONFIG = "/etc/fonts/fonts.conf"
ENVIRONMENT_VARIABLE = "FONTCONFIG_FILE"


def fontconfig_xml(system_config: str = SYSTEM_CONFIG) -> str:
    """Return a fontconfig file: the system's configuration plus the KBH fallback."""
    aliases = "".join(
        f'  <alias binding="same"><family>{family}</family>'
        f"<accept><family>{FALLBACK_FAMILY}</family></accept></alias>\n"
        for family in HOUSE_FAMILIES
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f'<fontconfig>\n  <include ignore_missing="yes">{system_config}</include>\n'
        f"{aliases}</fontconfig>\n"
    )


def font_environment(folder: Path) -> dict[str, str]:
    """Return the environment for a LibreOffice run, with the fontconfig file in `folder`.

    A FONTCONFIG_FILE the user set is included in place of the system's configuration.
    """
    system = os.environ.get(ENVIRONMENT_VARIABLE) or SYSTEM_CONFIG
    path = folder / "fonts.conf"
    path.write_text(fontconfig_xml(system), encoding="utf-8")
    return {**os.environ, ENVIRONMENT_VARIABLE: str(path)}
