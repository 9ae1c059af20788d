// Open each HTML page in headless Chromium the way a reader does, check it and print it.
//
//   node tests/browser/check_pages.mjs OUTDIR PAGE.html...
//
// One Chromium (Debian's /usr/bin/chromium, or $CHROMIUM) for every page. For each page, one
// JSON object per line on stdout:
//   {"file", "console_errors", "page_errors", "csp_violations", "violations", "pdf"}
// `violations` are axe-core's WCAG 2.0/2.1 A and AA rules ({id, impact, help, targets}); `pdf`
// is OUTDIR/<name>.pdf, printed on A4 with the page's print stylesheet. The exit code is 0 when
// every page was opened and checked, whatever was found: the Python tests judge the findings.
//
// Each page is opened twice, in two contexts of the one browser that run side by side. First as
// it ships, its Content-Security-Policy in force: console errors, script errors and CSP
// violations are collected there, then that page is printed. axe-core needs its script in the
// page, which the policy (rightly) refuses, so axe runs in a second context that bypasses CSP
// (playwright's bypassCSP turns the policy off for the whole page, not just for axe); the DOM
// is the same, since the page has no scripts of its own.
//
// playwright-core only drives the browser: it downloads none (`npx playwright install` cannot
// work here), hence Debian's Chromium. The profile is a fresh temporary one each run.

import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

// As root and on a closed network: no sandbox, and no background connections to Google.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function usage(message) {
  process.stderr.write(`${message}\nusage: node check_pages.mjs OUTDIR PAGE.html...\n`);
  process.exit(2);
}

// Open every page as it ships, in one tab: collect what went wrong, then print it to PDF.
async function asShipped(context, files, outdir) {
  const page = await context.newPage();
  let found;
  // Listening from the first byte of each page: nothing the page does escapes.
  page.on("console", (message) => {
    if (message.type() === "error") found.console_errors.push(message.text());
  });
  page.on("pageerror", (error) => found.page_errors.push(String(error)));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__cspViolations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`,
      );
    });
  });
  const results = [];
  for (const file of files) {
    found = { console_errors: [], page_errors: [], csp_violations: [] };
    await page.emulateMedia({ media: "screen" });
    const response = await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    if (response && !response.ok()) found.page_errors.push(`HTTP ${response.status()}`);
    found.csp_violations = await page.evaluate(() => window.__cspViolations);
    found.pdf = resolve(outdir, basename(file).replace(/\.html?$/, "") + ".pdf");
    await page.emulateMedia({ media: "print" });
    await page.pdf({ path: found.pdf, format: "A4", printBackground: true });
    results.push(found);
  }
  await page.close();
  return results;
}

// Run axe-core on every page, in a tab of its own whose context lets axe's script in.
async function axeFindings(context, files) {
  await context.addInitScript({ content: AXE_SOURCE });
  const page = await context.newPage();
  const results = [];
  for (const file of files) {
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    const { violations } = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
      WCAG_TAGS,
    );
    results.push(
      violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((node) => node.target.join(" ")),
      })),
    );
  }
  await page.close();
  return results;
}

async function main() {
  const [outdir, ...files] = process.argv.slice(2);
  if (!outdir || files.length === 0) usage("no output folder or no pages given");
  mkdirSync(outdir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    // The two passes share nothing but the browser, so they run side by side.
    const [shipped, axe] = await Promise.all([
      asShipped(await browser.newContext(), files, outdir),
      axeFindings(await browser.newContext({ bypassCSP: true }), files),
    ]);
    files.forEach((file, i) => {
      process.stdout.write(JSON.stringify({ file, ...shipped[i], violations: axe[i] }) + "\n");
    });
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
