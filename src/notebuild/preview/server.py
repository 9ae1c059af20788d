"""A live preview on 127.0.0.1: each note rendered in memory, reloaded when its sources change.

Each note has a version (a content hash of its source, the kind.yaml files and the HTML
templates). The operating system tells the watcher when a file in the watched folders changes
(watchfiles: inotify, FSEvents, ReadDirectoryChangesW); the watcher then looks at every file,
gives each changed note a new version and makes again the pages of changed notes that are
open. A look every few seconds catches what notifications miss, and where there are none (a
network drive, no inotify watches left) the watcher looks twice a second instead.

A served page carries one small script that asks /version?note=<stem>&seen=<version>; the
server answers as soon as the version differs (or after LONG_POLL seconds with the same), and
the page reloads. The page's Content-Security-Policy is widened by exactly that script's hash
and connect-src 'self', in the served copy only. Nothing is written: `notebuild render` makes
the files.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import watchfiles

from ..characters import escaped, escaped_column
from ..config import DEFAULT_EDITION, Edition
from ..files.output import display_path
from ..files.sources import source_files
from ..kind import registry
from ..kind.shipped import KIND_FILE, extra_kind_dirs
from ..pipeline import check_file, compose
from ..problems import Problem
from ..report.reporting import SEVERITY, token_width
from ..writers.html import environment, render_html

HOST = "127.0.0.1"  # never 0.0.0.0: a draft budget note is not for the whole network
# The names a browser on this machine uses for the server. Any other Host header is a page
# that rebound its own name to 127.0.0.1 (DNS rebinding) to read the drafts: refused.
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
# How often the watcher looks at every file where the system sends no notifications.
INTERVAL = 0.5
# With notifications, a look this often still, for what they miss (a folder mounted over one).
SAFETY_INTERVAL = 3.0
# watchfiles gathers the events of one save (write, rename, attributes) until this many ms
# pass without another; more would add to every reload, less would look at half a save.
NOTIFY_STEP_MS = 20
# How long /version?seen= waits for a new version before answering the same one; the page then
# asks again at once. Well below the browsers' own time limits.
LONG_POLL = 20.0
# A connection that sends nothing for this long is closed: an idle socket must not keep a thread.
SOCKET_TIMEOUT = 10.0
# At most this many connections are served at once; more are answered 503 and closed.
MAX_CONNECTIONS = 32
# How long Ctrl-C waits for the watcher (which may wait for a page being made) before leaving.
STOP_WAIT = 5.0
TEMPLATES: Traversable = files("notebuild.templates") / "html"
# The policy every page notebuild writes carries (templates/html/document.html.j2).
SHIPPED_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
_POLICY_META = re.compile(
    r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', re.IGNORECASE
)
_RELOAD_SCRIPT = """\
(() => {
  const note = %s, version = %s;
  const url = "/version?note=" + encodeURIComponent(note) + "&seen=" + encodeURIComponent(version);
  const poll = () => fetch(url, {cache: "no-store"})
    .then((answer) => answer.status === 404 ? "" : answer.ok ? answer.text() : Promise.reject())
    .then((now) => { if (now !== version) location.reload(); else poll(); })
    .catch(() => setTimeout(poll, 1000));
  poll();
})();"""
_STYLE = """\
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 50rem; padding: 0 1rem;
  line-height: 1.5; color: #1a1a1a; }
h1 { font-size: 1.6rem; }
.problems li { margin-bottom: 1.2rem; }
.severity { font-weight: bold; }
pre { background: #f3f3f3; padding: 0.5rem; overflow-x: auto; }
mark { background: #ffe08a; color: inherit; text-decoration: underline; }
.file { color: #444; }
"""


@dataclass(frozen=True, slots=True)
class Response:
    """What the server answers: status, body and the page's Content-Security-Policy."""

    status: int
    body: bytes
    policy: str = SHIPPED_POLICY
    content_type: str = "text/html; charset=utf-8"


@dataclass(slots=True)
class _Note:
    source: Path
    version: str
    page: Response | None = None  # the page of `version`, once asked for
    shown: bool = False  # asked for once: made again as soon as it changes


class Preview:
    """The notes under `path`, each with a version that changes when what makes it changes."""

    def __init__(
        self,
        path: Path,
        kind_dirs: tuple[Path, ...] = (),
        report: Callable[[str], None] = lambda line: None,
        edition: Edition = DEFAULT_EDITION,
    ) -> None:
        self.path = path
        self.kind_dirs = kind_dirs
        self.edition = edition
        self._report = report
        # One lock for the state and for rendering: the writer's and the kinds' caches are
        # shared by the whole process, so two pages are never made at once.
        self._lock = threading.RLock()
        self._notes: dict[str, _Note] = {}
        self._shared = ""  # the digest of the templates and kinds as last seen
        self._caches_for: str | None = None  # the digest the process caches were built from
        self._index_version = ""
        self._stop = threading.Event()
        self._wake = threading.Event()  # set by a notification: look now
        self._rewatch = threading.Event()  # set when the folders to watch are not those watched
        self._versions = threading.Condition()  # notified when a version may have changed
        self._threads: list[threading.Thread] = []
        self.notifications = False  # whether the system's file notifications are in use
        self.watching: list[str] = []  # the folders they are asked for
        self.scan()

    # --- watching ---------------------------------------------------------------------------

    def scan(self) -> list[str]:
        """Look once at every source, kind.yaml and template; return the notes that changed."""
        with self._lock:  # two looks at once could otherwise land in the wrong order
            changed = self._scan()
        with self._versions:  # after the lock: a waiting /version may take it
            self._versions.notify_all()
        return changed

    def _scan(self) -> list[str]:
        shared = _digest(_template_files() + _kind_files(self.kind_dirs))
        found: dict[str, tuple[Path, str]] = {}
        for file in source_files([self.path]):
            if file.stem in found:  # notes/a/X.yaml and notes/b/X.yaml: the first is served
                continue
            try:
                data = file.read_bytes()
            except OSError:  # removed while we looked
                continue
            found[file.stem] = (file, _digest([("", shared.encode()), (str(file), data)]))
        if self._shared and shared != self._shared:
            self._report("Skabelonerne eller dokumenttyperne er ændret; siderne genindlæses.")
        changed = []
        for stem, (file, version) in found.items():
            note = self._notes.get(stem)
            if note is None or note.source != file:
                self._notes[stem] = _Note(file, version)
            elif note.version != version:
                if shared == self._shared:
                    self._report(f"{display_path(file)} er ændret; siden genindlæses.")
                note.version, note.page = version, None
                changed.append(stem)
        for stem in set(self._notes) - set(found):
            del self._notes[stem]
        self._shared = shared
        self._index_version = _digest((stem, str(f).encode()) for stem, (f, _) in found.items())
        return changed

    def start(self, interval: float = INTERVAL, *, notify: bool = True) -> None:
        """Watch the sources in background threads until `stop`.

        With `notify`, the system's file notifications wake the watcher, which then also looks
        every SAFETY_INTERVAL; without (or where they fail), it looks every `interval`.
        """
        self.notifications = notify
        threads = [threading.Thread(target=self._watch, args=(interval,), name="notebuild-watch")]
        if notify:
            threads.append(threading.Thread(target=self._notified, name="notebuild-notify"))
        for thread in threads:
            # Daemons: should a page still be in the making, the process ends anyway.
            thread.daemon = True
            thread.start()
        self._threads = threads

    def stop(self) -> None:
        """Stop the watcher, answer every waiting /version, and wait for the threads."""
        self._stop.set()
        self._wake.set()
        with self._versions:
            self._versions.notify_all()
        deadline = time.monotonic() + STOP_WAIT
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _watch(self, interval: float) -> None:
        while not self._stop.is_set():
            self._wake.wait(SAFETY_INTERVAL if self.notifications else interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self._make_shown(self.scan())
                if self.notifications and self._folders() != self.watching:
                    self._rewatch.set()  # a folder made before its parent was watched
            except Exception as exc:  # the watcher must outlive one bad look at the files
                self._report(f"fejl: kunne ikke se efter ændringer: {exc}")

    def _notified(self) -> None:
        """Wake the watcher at each change the system reports in the watched folders."""
        try:
            while not self._stop.is_set():
                self._rewatch.clear()
                folders = self.watching = self._folders()
                for changes in watchfiles.watch(
                    *folders,
                    watch_filter=None,  # every change: the look decides what matters
                    step=NOTIFY_STEP_MS,
                    stop_event=_Either(self._stop, self._rewatch),
                    recursive=False,  # the folders are listed; a new one is added below
                    raise_interrupt=False,
                ):
                    self._wake.set()
                    if any(Path(path).is_dir() for _, path in changes if path not in folders):
                        break  # a new folder: watch it too
        except Exception as exc:  # no notifications (no inotify watches left…): look often
            self.notifications = False
            self._wake.set()
            self._report(
                f"Filsystemet giver ikke besked om ændringer ({_describe(exc)}); "
                "forhåndsvisningen ser i stedet efter ændringer to gange i sekundet."
            )

    def _folders(self) -> list[str]:
        """Return every folder whose files make a page: the sources', the templates', kinds'."""
        found: list[Path] = []
        if self.path.is_dir():
            found += [self.path, *(p for p in self.path.rglob("*") if p.is_dir())]
        else:
            found.append(self.path.parent)
        if isinstance(TEMPLATES, Path):
            found.append(TEMPLATES)
        for root in _kind_roots(self.kind_dirs):
            if isinstance(root, Path) and root.is_dir():
                found += [root, *(p for p in root.iterdir() if p.is_dir())]
        return sorted({str(folder.resolve()) for folder in found})

    def _make_shown(self, changed: list[str]) -> None:
        """Make again the pages of changed notes that were shown, so a reload finds them made."""
        for stem in changed:
            with self._lock:
                note = self._notes.get(stem)
                if note is not None and note.shown and note.page is None:
                    note.page = self._render(note.source, stem, note.version)

    # --- answering ----------------------------------------------------------------------------

    def version(self, note: str) -> str | None:
        """Return the note's current version ("" is the list of notes), None if unknown."""
        with self._lock:
            if note == "":
                return self._index_version
            found = self._notes.get(note)
            return found.version if found else None

    def next_version(self, note: str, seen: str, timeout: float | None = None) -> str | None:
        """Return the note's version once it is not `seen`, or after `timeout` (LONG_POLL) s."""
        deadline = time.monotonic() + (LONG_POLL if timeout is None else timeout)
        with self._versions:
            while True:
                now = self.version(note)
                left = deadline - time.monotonic()
                if now != seen or left <= 0 or self._stop.is_set():
                    return now
                self._versions.wait(left)

    def index_page(self) -> Response:
        """Return the page listing every note, with a link to each."""
        self.scan()
        with self._lock:
            notes = sorted((stem, note.source) for stem, note in self._notes.items())
            version = self._index_version
        where = display_path(self.path) + ("/" if self.path.is_dir() else "")
        if notes:
            items = "\n".join(
                f'<li><a href="/{quote(stem)}.html">{_e(stem)}</a> '
                f'<span class="file">({_e(display_path(source))})</span></li>'
                for stem, source in notes
            )
            body = f"<ul>\n{items}\n</ul>"
        else:
            body = f"<p>Der er ingen .yaml-filer i {_e(where)} endnu.</p>"
        title = f"Noter i {where}"
        intro = (
            "<p>Vælg en note. Siden opdateres af sig selv, når du gemmer kilden, dens "
            "dokumenttype eller skabelonerne.</p>"
        )
        return _with_reload(_page(title, f"<h1>{_e(title)}</h1>\n{intro}\n{body}"), "", version)

    def note_page(self, stem: str) -> Response | None:
        """Return the note's page, made again if its version changed; None if no such note."""
        self.scan()  # a reload pressed before the watcher looked still shows the saved source
        with self._lock:
            note = self._notes.get(stem)
            if note is None:
                return None
            note.shown = True
            if note.page is None:
                note.page = self._render(note.source, stem, note.version)
            return note.page

    def _render(self, file: Path, stem: str, version: str) -> Response:
        if self._caches_for != self._shared:
            # An edited template or kind.yaml must be read again, not served from the caches.
            environment.cache_clear()
            registry.reload()
            self._caches_for = self._shared
        try:
            kinds = registry.load_kinds(self.kind_dirs)
            checked = check_file(file, kinds)
            if checked.ok:
                page = render_html(compose(checked, edition=self.edition))
            elif checked.renderable_as_draft and self.edition == "review":
                # The note as a draft, each problem at its figure: an author who changed one
                # amount sees the document, not a wall of mismatches.
                page = render_html(compose(checked, draft=True))
                self._report(
                    f"{display_path(file)}: {count(checked.problems)}; vist som udkast med "
                    "problemerne ved tallene."
                )
            else:
                problems = [*kinds.problems, *checked.problems]
                page = problem_page(stem, file, problems)
                self._report(f"{display_path(file)}: {count(problems)}; se siden i browseren.")
        except Exception as exc:  # an edited template may fail; the server must go on
            page = failure_page(stem, file, exc)
            self._report(f"{display_path(file)}: siden kunne ikke laves: {_describe(exc)}")
        return _with_reload(page, stem, version)


# --- what is watched ---------------------------------------------------------------------------


class _Either:
    """Set when either event is: watchfiles stops a watch when its stop_event.is_set()."""

    def __init__(self, *events: threading.Event) -> None:
        self._events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self._events)


def _digest(parts: Iterable[tuple[str, bytes]]) -> str:
    hashed = hashlib.sha256()
    for name, data in parts:
        hashed.update(f"{name}\0{len(data)}\0".encode())
        hashed.update(data)
    return hashed.hexdigest()[:20]


def _read(resource: Traversable) -> bytes:
    try:
        return resource.read_bytes()
    except OSError:  # replaced while we looked: seen on the next look
        return b""


def _template_files() -> list[tuple[str, bytes]]:
    found = sorted((item.name, item) for item in TEMPLATES.iterdir() if item.is_file())
    return [(f"templates/{name}", _read(item)) for name, item in found]


def _kind_roots(kind_dirs: tuple[Path, ...]) -> list[Traversable]:
    """Return where load_kinds looks for kinds: shipped, $NOTEBUILD_KINDS, --kinds."""
    roots: list[Traversable] = [files("notebuild.kinds")]
    return roots + list(extra_kind_dirs()) + list(kind_dirs)


def _kind_files(kind_dirs: tuple[Path, ...]) -> list[tuple[str, bytes]]:
    """Return every kind.yaml that load_kinds would read (shipped, $NOTEBUILD_KINDS, --kinds)."""
    found: list[tuple[str, bytes]] = []
    for number, root in enumerate(_kind_roots(kind_dirs)):
        if (root / KIND_FILE).is_file():
            kinds = [root / KIND_FILE]
        elif root.is_dir():
            folders = sorted((item for item in root.iterdir() if item.is_dir()), key=_name)
            kinds = [f / KIND_FILE for f in folders if (f / KIND_FILE).is_file()]
        else:
            kinds = []
        found += [(f"{number}/{_name(kind)}", _read(kind)) for kind in kinds]
    return found


def _name(resource: Traversable) -> str:
    return str(resource) if isinstance(resource, Path) else resource.name


# --- pages ------------------------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{SHIPPED_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>
{_STYLE}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def problem_page(stem: str, file: Path, problems: list[Problem]) -> str:
    """Return the page shown instead of a note with errors: each problem where it stands."""
    lines: dict[Path, list[str]] = {}
    items = []
    for problem in problems:
        if problem.file not in lines:
            try:
                text = problem.file.read_text("utf-8-sig", errors="replace")
            except OSError:
                text = ""
            lines[problem.file] = text.splitlines()
        items.append(_problem_item(problem, lines[problem.file]))
    title = f"{stem} kan ikke vises endnu"
    body = (
        f"<h1>{_e(title)}</h1>\n"
        f"<p>{_e(display_path(file))} har {_e(count(problems))}. Ret kilden og gem den; "
        "siden opdateres af sig selv.</p>\n"
        f'<ol class="problems">\n{"".join(items)}</ol>\n'
        '<p><a href="/">Alle noter</a></p>'
    )
    return _page(title, body)


def count(problems: list[Problem]) -> str:
    """Return "2 fejl og 1 advarsel" for these problems."""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    text = f"{errors} fejl"
    if warnings:
        text += f" og {warnings} {'advarsel' if warnings == 1 else 'advarsler'}"
    return text


def _problem_item(problem: Problem, lines: list[str]) -> str:
    where = display_path(problem.file)
    if problem.position:
        where += f":{problem.position.line}:{problem.position.column}"
    out = [
        f'<li><p><span class="severity">{_e(SEVERITY[problem.severity])}</span> '
        f"<code>{_e(where)}</code>: {_e(problem.message)} <code>[{_e(problem.code)}]</code></p>"
    ]
    if problem.path:
        out.append(f"<p>Felt: <code>{_e(problem.yaml_path)}</code></p>")
    if problem.position and 0 < problem.position.line <= len(lines):
        out.append(_source_line(lines[problem.position.line - 1], problem.position))
    if problem.hint:
        out.append(f"<p>{_e(problem.hint)}</p>")
    return "\n".join(out) + "</li>\n"


def _source_line(text: str, position) -> str:
    """Return the source line with the token at `position` marked, as in the terminal."""
    start = min(escaped_column(text, position.column - 1), len(escaped(text)))
    text = escaped(text)
    rest = text[start:]
    width = token_width(rest)
    marked = f"<mark>{_e(rest[:width])}</mark>" if width else ""
    return f"<pre>{position.line} | {_e(text[:start])}{marked}{_e(rest[width:])}</pre>"


def failure_page(stem: str, file: Path, exc: Exception) -> str:
    """Return the page shown when a page could not be made at all (say, a broken template)."""
    title = f"{stem} kunne ikke laves"
    body = (
        f"<h1>{_e(title)}</h1>\n"
        f"<p>notebuild kunne ikke lave siden af {_e(display_path(file))}:</p>\n"
        f"<pre>{_e(_describe(exc))}</pre>\n"
        "<p>Er en skabelon i templates/html ændret, så ret den og gem den; siden opdateres "
        'af sig selv.</p>\n<p><a href="/">Alle noter</a></p>'
    )
    return _page(title, body)


def _describe(exc: Exception) -> str:
    where = getattr(exc, "lineno", None)
    name = getattr(exc, "name", None) or getattr(exc, "filename", None)
    place = f" ({name}, linje {where})" if where else ""
    return f"{type(exc).__name__}: {exc}{place}"


def not_found_page(path: str) -> Response:
    """Return the Danish 404 page."""
    body = (
        "<h1>Siden findes ikke</h1>\n"
        f"<p>Der er ingen note på adressen <code>{_e(path)}</code>. En note vises på "
        "/&lt;filnavn&gt;.html, fx /BI19.html for notes/BI19.yaml.</p>\n"
        '<p><a href="/">Se alle noter</a></p>'
    )
    return Response(HTTPStatus.NOT_FOUND, _page("Siden findes ikke", body).encode())


_ERRORS = {
    HTTPStatus.BAD_REQUEST: "Forespørgslen kan ikke læses.",
    HTTPStatus.NOT_IMPLEMENTED: "Forhåndsvisningen kan kun vise sider (GET og HEAD).",
    HTTPStatus.REQUEST_URI_TOO_LONG: "Adressen er for lang.",
    HTTPStatus.MISDIRECTED_REQUEST: "Forhåndsvisningen svarer kun på adressen "
    "http://127.0.0.1:<port>/ (eller localhost). Åbn siden med den adresse.",
    HTTPStatus.SERVICE_UNAVAILABLE: "Forhåndsvisningen har for mange åbne forbindelser lige nu. "
    "Luk nogle faner, og prøv igen om lidt.",
}


def error_page(code: int) -> Response:
    """Return a Danish page for an error the HTTP layer found (a bad request, a POST…)."""
    text = _ERRORS.get(code, f"Forespørgslen kunne ikke besvares (HTTP {code}).")
    return Response(code, _page("Fejl", f"<h1>Fejl</h1>\n<p>{_e(text)}</p>").encode())


# --- the reload script and the policy that allows exactly it ----------------------------------


def _with_reload(page: str, note: str, version: str) -> Response:
    """Return the page with the reload script, and its policy widened by exactly that script."""

    def literal(text: str) -> str:
        return json.dumps(text).replace("<", "\\u003c")

    script = _RELOAD_SCRIPT % (literal(note), literal(version))
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    found = _POLICY_META.search(page)
    policy = allow_script(html.unescape(found.group(1)) if found else SHIPPED_POLICY, digest)
    if found:
        meta = found.group(0).replace(found.group(1), html.escape(policy, quote=False))
        page = page[: found.start()] + meta + page[found.end() :]
    tag = f"<script>{script}</script>\n"
    end = page.rfind("</body>")
    page = page[:end] + tag + page[end:] if end >= 0 else page + tag
    return Response(HTTPStatus.OK, page.encode("utf-8"), policy)


def allow_script(policy: str, sha256: str) -> str:
    """Return `policy` that also runs the one script with this hash and may fetch from 'self'."""
    widened = ("script-src", "script-src-elem", "script-src-attr", "connect-src")
    kept = [d.strip() for d in policy.split(";") if d.strip()]
    kept = [d for d in kept if d.split()[0].lower() not in widened]
    return "; ".join([*kept, f"script-src 'sha256-{sha256}'", "connect-src 'self'"])


# --- the server ---------------------------------------------------------------------------------


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server of one Preview, on 127.0.0.1 only."""

    daemon_threads = True

    def __init__(
        self, preview: Preview, port: int, report: Callable[[str], None] = lambda line: None
    ) -> None:
        self.preview = preview
        self.report = report
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__((HOST, port), _Handler)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            _refuse_busy(request)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def server_bind(self) -> None:
        # HTTPServer would look the host's name up in DNS; the host is fixed, so skip that.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def local_host(self, host: str | None) -> bool:
        """Return whether a Host header names this server as this machine's browser does."""
        port = self.server_address[1]
        names = {f"{name}:{port}" for name in LOCAL_NAMES}
        if port == 80:
            names.update(LOCAL_NAMES)
        return (host or "").strip().lower() in names

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):  # a closed tab is not worth a line
            self.report(f"fejl i forhåndsvisningen: {exc!r}")


def _refuse_busy(request: socket.socket) -> None:
    """Answer 503 on a connection over the cap, without reading it (it may never send)."""
    page = error_page(HTTPStatus.SERVICE_UNAVAILABLE)
    head = (
        f"HTTP/1.0 503 Service Unavailable\r\nContent-Type: {page.content_type}\r\n"
        f"Content-Length: {len(page.body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
    )
    try:
        request.settimeout(1.0)
        request.sendall(head.encode("ascii") + page.body)
    except OSError:
        pass


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    @property
    def timeout(self) -> float:  # StreamRequestHandler sets it on the socket: no endless read
        return SOCKET_TIMEOUT

    def version_string(self) -> str:
        return "notebuild"

    def do_GET(self) -> None:
        self._answer(self._route())

    def do_HEAD(self) -> None:
        self._answer(self._route(), body=False)

    def _route(self) -> Response:
        if not self.server.local_host(self.headers.get("Host")):
            return error_page(HTTPStatus.MISDIRECTED_REQUEST)
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        preview = self.server.preview
        if path in ("/", "/index.html"):
            return preview.index_page()
        if path == "/version":
            query = parse_qs(parts.query, keep_blank_values=True)
            note = query.get("note", [""])[0]
            # With `seen` (the page's script) the answer waits for a new version: a long poll.
            seen = query.get("seen")
            version = preview.version(note) if seen is None else preview.next_version(note, seen[0])
            if version is None:
                return Response(HTTPStatus.NOT_FOUND, b"", content_type="text/plain")
            return Response(HTTPStatus.OK, version.encode(), content_type="text/plain")
        if path == "/favicon.ico":
            return Response(HTTPStatus.NO_CONTENT, b"", content_type="text/plain")
        # A note is looked up by name among the sources; nothing in the address reaches the disk.
        name = path[1:]
        if name.endswith(".html") and "/" not in name and "\\" not in name:
            page = preview.note_page(name.removesuffix(".html"))
            if page is not None:
                return page
        return not_found_page(path)

    def _answer(self, response: Response, *, body: bool = True) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Content-Security-Policy", response.policy)
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if body:
            self.wfile.write(response.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        self.close_connection = True
        self._answer(error_page(code), body=self.command != "HEAD")

    def log_message(self, format: str, *args: object) -> None:
        pass  # each open page asks for its version again and again: no line per request
