"""Render a document as one self-contained, accessible HTML page.

The page around the document (head, masthead, the reviewer's verification panel) is the Jinja
template templates/html/document.html.j2; the document's blocks are written in Python by
html_blocks.py.
"""

from __future__ import annotations

import functools
import hashlib
import os
from importlib.resources import files

import jinja2
from jinja2.bccache import Bucket
from markupsafe import Markup

from notebuild.document.model import Document, Table
from notebuild.files.user_cache import cache_folder
from notebuild.writers import docx_layout
from notebuild.writers.html_blocks import page_content

_TEMPLATES = files("notebuild.templates") / "html"


def _load(name: str) -> str | None:
    # Read through importlib.resources so the templates also load from a wheel or a zip.
    resource = _TEMPLATES / name
    return resource.read_text(encoding="utf-8") if resource.is_file() else None


def _kind(node: object) -> str:
    """Return the node's type name in lower case, e.g. "paragraph" or "footnoteref"."""
    return type(node).__name__.lower()


class _SourceKeyedCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk, one entry per template source.

    jinja2 keys an entry by the template's name alone and recompiles when the source differs,
    so two versions of notebuild on one machine (an upgrade, a second checkout, `serve` with an
    edited template) overwrote each other's entry at every run and neither was ever read.
    """

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        checksum = self.get_source_checksum(source)
        key = hashlib.sha1(f"{name}\0{checksum}".encode()).hexdigest()
        bucket = Bucket(environment, key, checksum)
        self.load_bytecode(bucket)
        return bucket


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Return a cache of compiled templates shared by runs, or None where none can be kept.

    Compiling the page template costs a new process some 50 ms; entries are keyed by the
    template's source, so an edited template is compiled again.
    """
    folder = cache_folder("jinja")
    if folder is None:
        return None
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return _SourceKeyedCache(str(folder)) if os.access(folder, os.W_OK) else None


@functools.cache
def environment() -> jinja2.Environment:
    """Return the jinja2 environment of the HTML pages (built once per process)."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    stylesheet = _load("style.css")
    if stylesheet is None:
        raise FileNotFoundError("templates/html/style.css is missing")
    if "</" in stylesheet:
        raise ValueError("templates/html/style.css must not contain '</' (it is inlined)")
    env.filters["kind"] = _kind
    env.globals.update(
        # The house stylesheet is ours and inlined verbatim: nothing is fetched at view time.
        stylesheet=Markup(stylesheet),
        remarks_stylesheet=Markup(_load("remarks.css") or ""),
    )
    return env


def render_html(document: Document) -> str:
    """Return the document as one self-contained HTML page."""
    template = environment().get_template("document.html.j2")
    tables = [block for block in document.blocks if isinstance(block, Table)]
    widths = docx_layout.house_layouts(tables)
    measured = {id(table): widths[index] for index, table in enumerate(tables)}
    return template.render(document=document, content=page_content(document, measured))
