"""`notebuild serve` as an author meets it: the preview in the browser follows every saved edit.

Each test runs the server against its own copy of notes/ (notes/ itself is never touched): in a
thread of this process on a free port, as a real process stopped with Ctrl-C, and once in
headless Chromium, which must run the reload script under the page's own policy. Waiting is a
bounded loop that polls for the expected state, never a fixed sleep.
"""

from __future__ import annotations

import base64
import hashlib
import html
import http.client
import json
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from notebuild.cli import main
from notebuild.preview import server as preview_module
from notebuild.preview.server import Preview, PreviewServer
from notebuild.writers import html as html_writer

from .conftest import NOTES, ROOT, line_of

KINDS_FIXTURE = ROOT / "tests" / "fixtures" / "kinds"
MEMO_FIXTURE = ROOT / "tests" / "fixtures" / "orienteringsnotat.yaml"
BROWSER = ROOT / "tests" / "browser"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
TITLE = "titel: Forankring af metoder fra Projekt Trædesten\n"
SCRIPT = re.compile(r"<script>(.*?)</script>\n", re.DOTALL)
POLICY_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


# --- helpers ------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str


def fetch(port: int, path: str, method: str = "GET", host: str = "127.0.0.1") -> Answer:
    """Ask the server for `path` exactly as written (http.client does not tidy '..' away)."""
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        headers = {k.lower(): v for k, v in response.getheaders()}
        return Answer(response.status, headers, body)
    finally:
        connection.close()


def wait_for(condition: Callable[[], object], what: str, seconds: float = 8.0) -> object:
    """Poll `condition` until it holds, for at most `seconds`; return its value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"within {seconds} s: {what}")


def directives(policy: str) -> dict[str, list[str]]:
    parsed = (d.split() for d in policy.split(";") if d.strip())
    return {d[0]: d[1:] for d in parsed}


def replace_once(path: Path, old: str, new: str) -> None:
    """Save `path` with `old` replaced, at once, as an editor saves (no half-written file)."""
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    saved = path.with_name(path.name + ".saving")
    saved.write_text(text.replace(old, new), "utf-8")
    os.replace(saved, path)


@dataclass
class Running:
    preview: Preview
    server: PreviewServer
    lines: list[str]

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def get(self, path: str, method: str = "GET") -> Answer:
        return fetch(self.port, path, method)

    def version(self, note: str) -> str:
        answer = self.get(f"/version?note={note}")
        assert answer.status == 200, answer
        return answer.text

    def changed(self, note: str, old: str) -> str:
        """Wait for the watcher (and nothing else: no page is asked for) to see a new version."""
        return str(wait_for(lambda: (v := self.version(note)) != old and v, f"{note} changes"))


@pytest.fixture
def notes(tmp_path) -> Path:
    copy = tmp_path / "notes"
    shutil.copytree(NOTES, copy)
    return copy


@pytest.fixture
def serve() -> Iterator[Callable[..., Running]]:
    """Return a function starting a preview server in a thread; every one is stopped after."""
    started: list[Running] = []

    def start(
        path: Path,
        kind_dirs: tuple[Path, ...] = (),
        edition: str = "review",
        *,
        notify: bool = True,
        interval: float = 0.1,
    ) -> Running:
        lines: list[str] = []
        preview = Preview(path, kind_dirs, lines.append, edition)
        server = PreviewServer(preview, 0, lines.append)
        preview.start(interval=interval, notify=notify)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(Running(preview, server, lines))
        return started[-1]

    yield start
    for running in started:
        running.server.shutdown()
        running.server.server_close()
        running.preview.stop()


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="notebuild")


# --- pages --------------------------------------------------------------------------------------


def test_the_index_lists_every_note_with_a_link(serve, notes):
    answer = serve(notes).get("/")
    assert answer.status == 200
    assert '<html lang="da">' in answer.text
    for source in NOTES.glob("*.yaml"):
        assert f'<a href="/{source.stem}.html">{source.stem}</a>' in answer.text


def test_a_note_is_served_with_the_reload_script_and_a_policy_allowing_exactly_it(serve, notes):
    running = serve(notes)
    answer = running.get("/BI19.html")
    assert answer.status == 200
    assert "<title>BI19 Forankring af metoder fra Projekt Trædesten</title>" in answer.text
    scripts = SCRIPT.findall(answer.text)
    assert len(scripts) == 1 and answer.text.count("<script") == 1
    assert "/version?note=" in scripts[0] and running.version("BI19") in scripts[0]
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    meta = html.unescape(POLICY_META.search(answer.text).group(1))
    for policy in (meta, answer.headers["content-security-policy"]):
        found = directives(policy)
        assert found["script-src"] == [f"'sha256-{digest}'"]  # that script, and nothing else
        assert found["connect-src"] == ["'self'"]
        assert found["default-src"] == ["'none'"]
        assert "'unsafe-inline'" not in found["script-src"]
    assert answer.headers["cache-control"] == "no-store"


def test_the_served_note_is_the_rendered_note_and_nothing_is_written(
    serve, notes, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in notes.iterdir())
    served = serve(notes).get("/BI19.html").text
    assert not (tmp_path / "build").exists()
    assert sorted(p.name for p in notes.iterdir()) == before

    result = run("render", notes / "BI19.yaml", "--out", tmp_path / "out", "--format", "html")
    assert result.exit_code == 0, result.output
    written = (tmp_path / "out" / "BI19.html").read_text("utf-8")
    assert "<script" not in written
    shipped = directives(html.unescape(POLICY_META.search(written).group(1)))
    assert "script-src" not in shipped and "connect-src" not in shipped
    assert shipped == directives(preview_module.SHIPPED_POLICY)  # the preview's own pages too
    # The preview differs from the file only by the script and the policy that allows it.
    without_script = SCRIPT.sub("", served)
    assert POLICY_META.sub("", without_script) == POLICY_META.sub("", written)


def test_a_saved_source_gets_a_new_version_and_the_next_page_shows_it(serve, notes):
    running = serve(notes)
    first = running.version("BI19")
    assert "Trædesten, forhåndsvist" not in running.get("/BI19.html").text
    replace_once(notes / "BI19.yaml", TITLE, TITLE.replace("Trædesten", "Trædesten, forhåndsvist"))
    second = running.changed("BI19", first)
    page = running.get("/BI19.html").text
    assert "<title>BI19 Forankring af metoder fra Projekt Trædesten, forhåndsvist</title>" in page
    assert f'version = "{second}"' in page
    assert any("BI19.yaml er ændret" in line for line in running.lines)


def _made_pages(monkeypatch) -> list[str]:
    """Return a list that names each note whose page the preview makes, as it makes it."""
    made: list[str] = []
    check_file = preview_module.check_file

    def counted(file, *args, **kwargs):
        made.append(Path(file).stem)
        return check_file(file, *args, **kwargs)

    monkeypatch.setattr(preview_module, "check_file", counted)
    return made


def test_a_save_is_notified_at_once_and_only_the_changed_note_is_made_again(
    serve, notes, monkeypatch
):
    # No look at the files on a timer: only the system's notification can show the change.
    monkeypatch.setattr(preview_module, "SAFETY_INTERVAL", 600.0)
    made = _made_pages(monkeypatch)
    running = serve(notes, interval=600.0)
    assert running.preview.notifications
    first = running.version("BI19")
    assert running.get("/BI19.html").status == 200 and running.get("/BI07.html").status == 200
    assert sorted(made) == ["BI07", "BI19"]
    unchanged = running.version("BI07")

    # The page's own question: answered only when the version is new (a long poll).
    asked: dict[str, Answer] = {}
    waiting = threading.Thread(
        target=lambda: asked.setdefault("answer", running.get(f"/version?note=BI19&seen={first}"))
    )
    waiting.start()
    replace_once(notes / "BI19.yaml", TITLE, TITLE.replace("Trædesten", "Trædesten, gemt"))
    waiting.join(15)
    assert not waiting.is_alive(), "the long poll was not answered after the save"
    second = asked["answer"].text
    assert asked["answer"].status == 200 and second not in ("", first)

    # The open page is made again by the watcher, before the browser asks for it.
    wait_for(lambda: made.count("BI19") == 2, "the changed note's page is made again")
    page = running.get("/BI19.html").text
    assert "<title>BI19 Forankring af metoder fra Projekt Trædesten, gemt</title>" in page
    assert f'version = "{second}"' in page
    assert running.get("/BI07.html").status == 200
    assert running.version("BI07") == unchanged
    assert sorted(made) == ["BI07", "BI19", "BI19"]  # BI07 was not made again


def test_without_notifications_the_watcher_looks_on_a_timer(serve, notes):
    running = serve(notes, notify=False)
    assert not running.preview.notifications
    first = running.version("BI19")
    replace_once(notes / "BI19.yaml", TITLE, TITLE.replace("Trædesten", "Trædesten, set"))
    running.changed("BI19", first)
    assert "Trædesten, set</title>" in running.get("/BI19.html").text


def test_where_notifications_fail_the_watcher_looks_on_a_timer_and_says_so(
    serve, notes, monkeypatch
):
    def no_notifications(*paths, **options):
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(preview_module.watchfiles, "watch", no_notifications)
    monkeypatch.setattr(preview_module, "SAFETY_INTERVAL", 600.0)
    running = serve(notes)
    wait_for(lambda: not running.preview.notifications, "the watcher gives notifications up")
    assert any("giver ikke besked om ændringer" in line for line in running.lines)
    first = running.version("BI19")
    replace_once(notes / "BI19.yaml", TITLE, TITLE.replace("Trædesten", "Trædesten, set"))
    running.changed("BI19", first)


def test_a_version_already_seen_is_answered_after_the_long_poll_with_the_same(
    serve, notes, monkeypatch
):
    monkeypatch.setattr(preview_module, "LONG_POLL", 0.2)
    running = serve(notes)
    version = running.version("BI19")
    assert running.get(f"/version?note=BI19&seen={version}").text == version
    assert running.get("/version?note=BI19&seen=older").text == version  # at once
    assert running.get("/version?note=nothing&seen=x").status == 404


def test_a_new_folder_is_watched_too(serve, notes, monkeypatch):
    monkeypatch.setattr(preview_module, "SAFETY_INTERVAL", 600.0)
    running = serve(notes, interval=600.0)
    # A notified save first, so the folder is made while its parent is watched.
    first = running.version("BI07")
    replace_once(notes / "BI07.yaml", "# Budgetnotat BI07 til", "# Budgetnotat BI07, gemt, til")
    running.changed("BI07", first)
    folder = notes / "2027"
    folder.mkdir()
    wait_for(lambda: str(folder.resolve()) in running.preview.watching, "the folder is watched")

    def saved() -> str | None:
        # Saved again until seen: the watch may be a moment behind the list of folders.
        shutil.copy(notes / "BI07.yaml", folder / "BI08.yaml")
        return running.preview.version("BI08")

    wait_for(saved, "a note saved in the new folder is seen")
    assert running.get("/BI08.html").status == 200


def test_a_wrong_total_shows_the_note_as_a_draft_with_the_problem_at_its_figure(serve, notes):
    running = serve(notes)
    source = notes / "BI19.yaml"
    good = running.version("BI19")
    replace_once(source, "i_alt: 36.960", "i_alt: 36.991")
    broken = running.changed("BI19", good)
    answer = running.get("/BI19.html")
    assert answer.status == 200  # the server goes on; the page is the note, as a draft
    page = answer.text
    assert "<title>UDKAST: BI19 Forankring af metoder fra Projekt Trædesten</title>" in page
    line = line_of(source, "i_alt: 36.991")
    assert f"BI19.yaml, linje {line} (økonomi.i_alt.i_alt)" in page
    assert "angivet 36.991, men alle rækker og år giver 36.960" in page
    assert "Ret tallet til 36.960" in page
    # The cell shows the author's figure struck through beside the computed one, and links to
    # the problem in the summary, which links back.
    assert '<s class="stated"><span class="visually-hidden">angivet </span>36.991</s>' in page
    assert 'href="#problem-1">fejl 1</a>' in page and 'href="#at-problem-1"' in page
    assert f'version = "{broken}"' in page  # it reloads too, once the source is fixed
    assert any("vist som udkast" in line for line in running.lines)

    replace_once(source, "i_alt: 36.991", "i_alt: 36.960")
    running.changed("BI19", broken)
    assert (
        "<title>BI19 Forankring af metoder fra Projekt Trædesten</title>"
        in running.get("/BI19.html").text
    )


def test_the_published_edition_previews_clean_and_shows_a_wrong_total_as_problems(serve, notes):
    running = serve(notes, edition="publish")
    page = running.get("/BI19.html").text
    assert "<title>BI19 Forankring af metoder fra Projekt Trædesten</title>" in page
    assert 'class="verification' not in page and 'class="computed"' not in page
    good = running.version("BI19")
    replace_once(notes / "BI19.yaml", "i_alt: 36.960", "i_alt: 36.991")
    running.changed("BI19", good)
    page = running.get("/BI19.html").text  # never published with an error, nor as a draft
    assert "BI19 kan ikke vises endnu" in page and "UDKAST" not in page


def test_a_source_that_cannot_be_composed_shows_its_problems_at_their_lines(serve, notes):
    running = serve(notes)
    source = notes / "BI19.yaml"
    good = running.version("BI19")
    replace_once(source, "i_alt: 36.960", "i_alt: tre")
    broken = running.changed("BI19", good)
    page = running.get("/BI19.html").text
    assert '<html lang="da">' in page and "BI19 kan ikke vises endnu" in page
    line = line_of(source, "i_alt: tre")
    assert f"BI19.yaml:{line}:12</code>" in page
    assert f"<pre>{line} |     i_alt: <mark>tre</mark></pre>" in page
    assert "<title>BI19 Forankring" not in page
    replace_once(source, "i_alt: tre", "i_alt: 36.960")
    running.changed("BI19", broken)
    assert "<title>BI19 Forankring" in running.get("/BI19.html").text


def test_what_a_source_says_is_escaped_on_the_problem_page(serve, notes):
    running = serve(notes)
    replace_once(notes / "BI19.yaml", TITLE, TITLE + '"<script>alert(1)</script>": ja\n')
    page = running.get("/BI19.html").text
    assert "ukendt felt &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;" in page
    assert "<script>alert" not in page
    assert page.count("<script>") == 1  # the reload script only


def test_an_unknown_note_is_a_danish_404(serve, notes):
    answer = serve(notes).get("/BI99.html")
    assert answer.status == 404
    assert '<html lang="da">' in answer.text and "Siden findes ikke" in answer.text
    assert '<a href="/">Se alle noter</a>' in answer.text
    assert "<script" not in answer.text


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/..%2F..%2Fetc%2Fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd.html",
        "/../notes/BI19.yaml",
        "/BI19.yaml",
        "/..\\..\\etc\\passwd.html",
    ],
)
def test_paths_outside_the_notes_are_refused(serve, notes, path):
    answer = serve(notes).get(path)
    assert answer.status == 404
    assert "root:" not in answer.text and "type: budgetnotat" not in answer.text


def test_other_methods_get_a_danish_answer(serve, notes):
    answer = serve(notes).get("/BI19.html", method="POST")
    assert answer.status == 501
    assert "kun vise sider" in answer.text


def test_the_server_listens_on_127_0_0_1_only(serve, notes):
    running = serve(notes)
    assert running.server.server_address[0] == "127.0.0.1"
    assert running.server.url == f"http://127.0.0.1:{running.port}/"
    # 127.0.0.2 is this machine too: a server on 0.0.0.0 would answer there, ours must not.
    with pytest.raises(ConnectionRefusedError):
        fetch(running.port, "/", host="127.0.0.2")


def test_a_new_note_changes_the_index_version(serve, notes):
    running = serve(notes)
    first = running.version("")
    shutil.copy(notes / "BI19.yaml", notes / "BI20.yaml")
    running.changed("", first)
    assert '<a href="/BI20.html">BI20</a>' in running.get("/").text
    assert running.get("/BI20.html").status == 200


def test_a_changed_kind_rebuilds_its_notes(serve, tmp_path):
    kinds = tmp_path / "kinds"
    shutil.copytree(KINDS_FIXTURE, kinds)
    memo = tmp_path / "orienteringsnotat.yaml"
    shutil.copy(MEMO_FIXTURE, memo)
    running = serve(memo, (kinds,))
    first = running.version("orienteringsnotat")
    assert "Til orientering for" in running.get("/orienteringsnotat.html").text
    replace_once(
        kinds / "orienteringsnotat" / "kind.yaml", "Til orientering for", "Til efterretning for"
    )
    running.changed("orienteringsnotat", first)
    page = running.get("/orienteringsnotat.html").text
    assert "Til efterretning for" in page and "Til orientering for" not in page


def test_a_changed_template_rebuilds_the_page_and_a_broken_one_is_shown_not_fatal(
    serve, notes, tmp_path, monkeypatch
):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "html", templates)
    # The writer and the watcher both read the templates from here for this test.
    monkeypatch.setattr(html_writer, "_TEMPLATES", templates)
    monkeypatch.setattr(preview_module, "TEMPLATES", templates)
    html_writer.environment.cache_clear()
    try:
        running = serve(notes)
        first = running.version("BI19")
        assert "Set i forhåndsvisningen" not in running.get("/BI19.html").text
        page = templates / "document.html.j2"
        replace_once(page, "<body>\n", "<body>\n<p>Set i forhåndsvisningen</p>\n")
        second = running.changed("BI19", first)
        assert "<p>Set i forhåndsvisningen</p>" in running.get("/BI19.html").text

        replace_once(page, "<body>\n", "<body>\n{% if %}\n")
        running.changed("BI19", second)
        answer = running.get("/BI19.html")
        assert answer.status == 200 and "BI19 kunne ikke laves" in answer.text
        assert "TemplateSyntaxError" in answer.text
        assert running.get("/").status == 200  # the server goes on
    finally:
        html_writer.environment.cache_clear()  # later tests get the real templates


# --- the command --------------------------------------------------------------------------------


def test_serve_has_help_with_an_example():
    result = run("serve", "--help")
    assert result.exit_code == 0
    assert re.search(r"^\s+notebuild serve notes/", result.output, re.MULTILINE)
    assert "127.0.0.1" in result.output


def test_a_port_in_use_is_a_danish_message_and_exit_2(notes):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", notes, "--port", port)
    assert result.exit_code == 2
    assert f"port {port} på 127.0.0.1 bruges allerede af et andet program" in result.output
    assert "notebuild serve --port" in result.output
    assert "Traceback" not in result.output


def test_a_missing_folder_is_a_usage_error(tmp_path):
    result = run("serve", tmp_path / "ingen")
    assert result.exit_code == 2
    assert "findes ikke" in result.output


def _line(stream, seconds: float = 30.0) -> str:
    """Return the next line of a child's output, waiting at most `seconds` for it."""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        assert selector.select(timeout=seconds), f"no output within {seconds} s"
    return stream.readline()


def test_serve_runs_as_a_process_and_stops_cleanly_on_ctrl_c(notes, tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "notebuild", "serve", str(notes), "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = _line(process.stdout)
        found = re.fullmatch(
            r"Forhåndsvisning på http://127\.0\.0\.1:(\d+)/ — stop med Ctrl-C\n", first
        )
        assert found, first
        port = int(found.group(1))
        assert fetch(port, "/").status == 200
        assert "Forankring af metoder" in fetch(port, "/BI19.html").text
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out.strip().endswith("Forhåndsvisningen er stoppet.")
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert not (tmp_path / "build").exists()


# --- in a real browser ------------------------------------------------------------------------

# Opens the preview, then waits for each text in turn, printing a line when it is on the page;
# the test edits the source in between. Console errors (the init script reports each policy
# violation as one), script errors and page loads are counted from the first byte.
BROWSER_SCRIPT = """\
import { createRequire } from "node:module";

const [pkg, url, ...texts] = process.argv.slice(2);
const { chromium } = createRequire(pkg)("playwright-core");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const found = { console_errors: [], page_errors: [], loads: 0, reached: 0, error: null };
try {
  const page = await browser.newPage();
  page.on("console", (m) => { if (m.type() === "error") found.console_errors.push(m.text()); });
  page.on("pageerror", (e) => found.page_errors.push(String(e)));
  page.on("load", () => { found.loads += 1; });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
  });
  await page.goto(url);
  for (const [step, text] of texts.entries()) {
    await page.waitForFunction(
      (t) => document.body !== null && document.body.innerText.includes(t), text,
      { timeout: 20000, polling: 100 });
    found.reached = step + 1;
    process.stdout.write(JSON.stringify({ step }) + "\\n");
  }
} catch (error) {
  found.error = String(error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(found) + "\\n");
"""


def test_chromium_runs_the_reload_script_under_the_policy_and_follows_each_edit(
    serve, notes, tmp_path
):
    node = shutil.which("node")
    # No skip: a machine without the real client must fail here, not pass quietly.
    assert node and CHROMIUM.exists() and (BROWSER / "node_modules" / "playwright-core").is_dir(), (
        "node, Chromium and tests/browser/node_modules are needed: run `make test`"
    )
    script = tmp_path / "follow.mjs"
    script.write_text(BROWSER_SCRIPT, "utf-8")
    running = serve(notes)
    source = notes / "BI19.yaml"
    edited = "Forankring af metoder fra Projekt Trædesten, forhåndsvist"
    steps = [
        ("Forankring af metoder fra Projekt Trædesten", None),
        (edited, lambda: replace_once(source, TITLE, f"titel: {edited}\n")),
        # A wrong total: the note as a draft, with the problem at its figure.
        ("UDKAST", lambda: replace_once(source, "i_alt: 36.960", "i_alt: 36.991")),
        ("alle stemmer", lambda: replace_once(source, "i_alt: 36.991", "i_alt: 36.960")),
    ]
    process = subprocess.Popen(
        [node, str(script), str(BROWSER / "package.json"), f"{running.server.url}BI19.html"]
        + [text for text, _ in steps],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    found: dict = {}
    try:
        for _, edit in steps:
            if edit is not None:
                edit()
            reached = json.loads(_line(process.stdout, 60) or "{}")
            if "step" not in reached:  # the browser gave up: what it found says why
                found = reached
                break
        found = found or json.loads(_line(process.stdout, 60) or "{}")
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        _, err = process.communicate()
    assert found.get("reached") == len(steps), (found, err)
    assert found["error"] is None
    assert found["console_errors"] == [] and found["page_errors"] == []
    assert found["loads"] == len(steps)  # the first load, then one reload for each edit


# --- hostile clients ----------------------------------------------------------------------------


def fetch_as(port: int, path: str, host: str | None) -> Answer:
    """Ask for `path` with this Host header (None: none at all), as a rebinding page would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return Answer(response.status, dict(response.getheaders()), response.read().decode())
    finally:
        connection.close()


@pytest.mark.parametrize(
    "host",
    [
        "attacker.example:{port}",
        "attacker.example",
        "127.0.0.1.nip.io:{port}",
        "127.0.0.1:1",
        "localhost.:{port}",
        "",
        None,
    ],
)
def test_a_page_rebound_to_127_0_0_1_cannot_read_the_notes(serve, notes, host):
    running = serve(notes)
    for path in ("/BI19.html", "/", "/version?note=BI19"):
        answer = fetch_as(
            running.port, path, None if host is None else host.format(port=running.port)
        )
        assert answer.status == 421, (path, answer.status)
        assert "Forankring" not in answer.text and "BI19" not in answer.text
        assert "http://127.0.0.1:&lt;port&gt;/" in answer.text


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LOCALHOST:{port}"]
)
def test_the_local_names_with_the_port_are_served(serve, notes, host):
    running = serve(notes)
    answer = fetch_as(running.port, "/BI19.html", host.format(port=running.port))
    assert answer.status == 200 and "Forankring af metoder" in answer.text


def _threads() -> int:
    return threading.active_count()


def test_an_idle_connection_is_closed_and_does_not_keep_a_thread(serve, notes, monkeypatch):
    monkeypatch.setattr(preview_module, "SOCKET_TIMEOUT", 0.3)
    running = serve(notes)
    before = _threads()
    with socket.create_connection(("127.0.0.1", running.port), timeout=10) as idle:
        idle.sendall(b"GET /BI19.html HTTP/1.1\r\n")  # and then nothing more
        idle.settimeout(10)
        # The server gives up on it: the socket is closed (an empty read), not held open.
        assert idle.recv(65536) == b""
    wait_for(lambda: _threads() <= before, "the connection's thread ends")
    assert running.get("/BI19.html").status == 200


def test_idle_connections_beyond_the_cap_are_answered_503_and_pages_still_come(
    serve, notes, monkeypatch
):
    monkeypatch.setattr(preview_module, "MAX_CONNECTIONS", 8)
    running = serve(notes)
    before = _threads()
    idle = [socket.create_connection(("127.0.0.1", running.port), timeout=10) for _ in range(8)]
    try:
        wait_for(lambda: _threads() >= before + 8, "eight connections are served")
        more = [
            socket.create_connection(("127.0.0.1", running.port), timeout=10) for _ in range(40)
        ]
        for extra in more:
            answer = b""
            while chunk := extra.recv(65536):
                answer += chunk
            extra.close()
            assert answer.startswith(b"HTTP/1.0 503"), answer[:40]
            assert "for mange åbne forbindelser" in answer.decode()
        assert _threads() <= before + 8  # the 40 extra got no thread
    finally:
        for connection in idle:
            connection.close()
    wait_for(lambda: running.get("/BI19.html").status == 200, "pages come again")


def test_a_kind_template_that_never_ends_is_a_problem_page_and_other_pages_still_come(
    serve, tmp_path
):
    kinds = tmp_path / "kinds"
    shutil.copytree(KINDS_FIXTURE, kinds)
    replace_once(
        kinds / "orienteringsnotat" / "kind.yaml",
        'titel: "Orientering om {{ titel }}"',
        'titel: "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"',
    )
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(MEMO_FIXTURE, notes)
    shutil.copy(NOTES / "BI19.yaml", notes)
    running = serve(notes, (kinds,))
    answers: dict[str, Answer] = {}
    slow = threading.Thread(
        target=lambda: answers.update(memo=running.get("/orienteringsnotat.html"))
    )
    slow.start()
    # Asked while the endless page is being made: answered once its time budget has run out.
    assert "Forankring af metoder" in running.get("/BI19.html").text
    slow.join(30)
    page = answers["memo"]
    assert page.status == 200 and "orienteringsnotat kan ikke vises endnu" in page.text
    assert "MAX_TEMPLATE_SECONDS" in page.text and "kind.yaml" in page.text


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_serve_stops_on_ctrl_c_while_a_page_is_being_made(tmp_path):
    kinds = tmp_path / "kinds"
    shutil.copytree(KINDS_FIXTURE, kinds)
    replace_once(
        kinds / "orienteringsnotat" / "kind.yaml",
        'titel: "Orientering om {{ titel }}"',
        'titel: "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"',
    )
    shutil.copy(MEMO_FIXTURE, tmp_path)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "notebuild",
            "serve",
            "orienteringsnotat.yaml",
            "--port",
            "0",
            "--kinds",
            str(kinds),
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(re.search(r":(\d+)/", _line(process.stdout)).group(1))
        asked = socket.create_connection(("127.0.0.1", port), timeout=10)
        before = _cpu_seconds(process.pid)
        asked.sendall(b"GET /orienteringsnotat.html HTTP/1.0\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
        # The page is being made once the server burns CPU on it; by 0.7 s the watcher (every
        # 0.5 s) has asked for the lock the page holds.
        wait_for(lambda: _cpu_seconds(process.pid) > before + 0.7, "the page is being made")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    asked.close()
    assert "Forhåndsvisningen er stoppet." in out
    assert "Traceback" not in err
