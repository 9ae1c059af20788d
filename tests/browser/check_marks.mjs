// Open pages of the reviewer's and the published edition in headless Chromium and report,
// for each, where the problems stand and whether a reader can get to them.
//
//   node tests/browser/check_marks.mjs OUTDIR PAGE.html...
//
// For each page, one JSON object per line on stdout:
//   {"file", "marks", "summary", "computed_stops", "verification", "violations",
//    "console_errors", "screenshot"}
// `marks` are the marked places (cells with data-problem, mark.at-problem): their text, whether
// they are visible, the texts their aria-describedby names, the link in them and whether
// following it to the summary and back (by keyboard: focus and Enter) scrolls the target into
// view. `summary` are the summary's items and the place each links to. `violations` are
// axe-core's WCAG 2.0/2.1 A and AA findings. OUTDIR/<name>.png is a screenshot of the page
// scrolled to its first mark (or its top), OUTDIR/<name>-top.png one of its top. Debian's
// Chromium, as in check_pages.mjs.

import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function inView(page, id) {
  return page.evaluate((id) => {
    const element = document.getElementById(id);
    if (!element) return false;
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight;
  }, id);
}

async function follow(page, selector, target) {
  // As a keyboard user would: focus the link, press Enter.
  await page.focus(selector);
  await page.keyboard.press("Enter");
  await page.waitForFunction((id) => location.hash === id, target);
}

async function check(page, file, outdir) {
  const errors = [];
  page.removeAllListeners("console");
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
  const marks = await page.evaluate(() =>
    [...document.querySelectorAll("[data-problem], mark.at-problem")].map((el) => {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const link = el.tagName === "MARK" ? el.nextElementSibling : el.querySelector("a.problem-ref");
      return {
        tag: el.tagName.toLowerCase(),
        text: el.innerText.replace(/\s+/g, " ").trim(),
        stated: [...el.querySelectorAll("s.stated")].map((s) => s.lastChild.textContent.trim()),
        row_marked: el.closest("tr") ? el.closest("tr").classList.contains("has-problem") : null,
        visible: box.width > 0 && box.height > 0 && style.visibility === "visible",
        described_by: (el.getAttribute("aria-describedby") || "")
          .split(" ")
          .filter(Boolean)
          .map((id) => (document.getElementById(id) || {}).textContent || null),
        link_id: link ? link.id : null,
        link_href: link ? link.getAttribute("href") : null,
      };
    }),
  );
  const summary = await page.evaluate(() =>
    [...document.querySelectorAll("ul.problems > li, ul.warnings > li")].map((li) => ({
      id: li.id,
      href: (li.querySelector("a.to-place") || { getAttribute: () => null }).getAttribute("href"),
    })),
  );
  // Follow the first mark's link to the summary and the summary's link back.
  for (const mark of marks.slice(0, 1)) {
    if (!mark.link_id) continue;
    await follow(page, `#${mark.link_id}`, mark.link_href);
    mark.summary_in_view = await inView(page, mark.link_href.slice(1));
    await follow(page, `a.to-place[href="#${mark.link_id}"]`, `#${mark.link_id}`);
    mark.back_in_view = await inView(page, mark.link_id);
  }
  const computedStops = await page.evaluate(
    () => document.querySelectorAll('.computed[tabindex="0"]').length,
  );
  const verification = await page.evaluate(() => document.querySelector(".verification") !== null);
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: resolve(outdir, basename(file).replace(/\.html?$/, "") + "-top.png") });
  await page.evaluate(() => {
    const first = document.querySelector("[data-problem], mark.at-problem");
    if (first) first.scrollIntoView({ block: "center" });
    else window.scrollTo(0, 0);
  });
  const screenshot = resolve(outdir, basename(file).replace(/\.html?$/, "") + ".png");
  await page.screenshot({ path: screenshot });
  const { violations } = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
    WCAG_TAGS,
  );
  return {
    file,
    marks,
    summary,
    computed_stops: computedStops,
    verification,
    console_errors: errors,
    screenshot,
    violations: violations.map((v) => ({
      id: v.id,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    })),
  };
}

async function main() {
  const [outdir, ...files] = process.argv.slice(2);
  if (!outdir || files.length === 0) {
    process.stderr.write("usage: node check_marks.mjs OUTDIR PAGE.html...\n");
    process.exit(2);
  }
  mkdirSync(outdir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    // axe's script must be let into the page, which the page's policy refuses (see
    // check_pages.mjs); the pages have no scripts of their own, so the DOM is the same.
    const context = await browser.newContext({ bypassCSP: true });
    await context.addInitScript({ content: AXE_SOURCE });
    const page = await context.newPage();
    for (const file of files) {
      await page.setViewportSize({ width: 1100, height: 900 });
      process.stdout.write(JSON.stringify(await check(page, file, outdir)) + "\n");
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
