// End-to-end tests of `brink serve` in Chromium. Each test drives the page as a user would and
// checks what it shows against the `brink` command line run on the same input: the page's
// numbers must be the CLI's. The page must log no console error.
//
// BRINK: the brink binary (default: target/release/brink of this repository).
// SCREENSHOTS: a directory to write screenshots of the main views into (docs/img).
const { test, expect } = require("@playwright/test");
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const REPO = path.resolve(__dirname, "../../..");
const BRINK = process.env.BRINK || path.join(REPO, "target/release/brink");
const SHOTS = process.env.SCREENSHOTS;
const DRAWS = 300;

let dir, server, url;
const consoleErrors = [];

// The stance the tests edit: the United States on NATO enlargement, and the line of its position.
const USA_ENLARGEMENT = 'actor = "usa"\nissue = "enlargement"\nposition = { triangular = [10, 20, 35] }\nsalience = { triangular = [0.4, 0.55, 0.75] }';

function cli(args, cwd) {
  return execFileSync(BRINK, args, { cwd: cwd || dir, encoding: "utf8" });
}

function cliStatus(args, cwd) {
  try {
    return { out: execFileSync(BRINK, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }), code: 0 };
  } catch (e) {
    return { out: String(e.stdout) + String(e.stderr), code: e.status };
  }
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "brink-e2e-"));
  // The server opens the built-in scenario and may read and write the directory's files.
  server = spawn(BRINK, ["serve", dir, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (b) => {
      out += b;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve(m[0]);
    });
    server.on("exit", (code) => reject(new Error(`brink serve exited with ${code}`)));
    setTimeout(() => reject(new Error("brink serve printed no URL")), 30_000);
  });
});

test.afterAll(async () => {
  if (server) server.kill();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test.beforeEach(async ({ page }) => {
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
});

test.afterEach(async () => {
  expect(consoleErrors, "the page logged console errors").toEqual([]);
});

async function setDraws(page, n) {
  await page.fill("#draws", String(n));
  await page.press("#draws", "Enter");
}

// Waits until the run on the text of this version has finished and returns its status element.
async function runDone(page, version) {
  const status = page.locator(`#run-status[data-done="true"][data-version="${version}"]`);
  await expect(status).toBeVisible();
  return status;
}

// The page's text version, once its script has loaded the scenario (right after `goto`, the state
// may not exist yet).
async function version(page) {
  await page.waitForFunction(() => typeof state !== "undefined" && state !== null && state.version !== undefined);
  return page.evaluate(() => state.version);
}

// Every model's value on every issue as the page shows it, from the cells' full-precision values.
async function pageValues(page) {
  return page.evaluate(() => {
    const out = {};
    for (const t of document.querySelectorAll("#forecasts table[data-issue]")) {
      for (const c of t.querySelectorAll("td[data-model]")) {
        out[`${t.dataset.issue}:${c.dataset.model}`] = c.dataset.value === "" ? null : Number(c.dataset.value);
      }
    }
    return out;
  });
}

function cliValues(doc) {
  const out = {};
  for (const is of doc.issues) for (const f of is.forecasts) out[`${is.id}:${f.model}`] = f.value;
  return out;
}

test("open the built-in scenario, move a position: the forecast changes to the CLI's value", async ({ page }) => {
  await page.goto(url);
  await expect(page.locator("#name")).toHaveText("<built-in: ukraine-2021-12>");
  await setDraws(page, DRAWS);
  await runDone(page, await version(page));
  const before = await pageValues(page);
  // The built-in scenario's forecast is the CLI's.
  expect(before).toEqual(cliValues(JSON.parse(cli(["run", "--format", "json"]))));
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, "serve-forecast.png"), fullPage: false });

  const row = page.locator('details.row[data-field="stances[5]"]');
  await expect(row.locator("summary")).toContainText("usa on enlargement");
  await row.locator("summary").click();
  const mode = page.locator('[data-path="stances[5].position.triangular[1]"]');
  await mode.fill("30");
  await mode.press("Enter");
  await expect(page.locator("#dirty")).toBeVisible();
  const v = await version(page);
  await runDone(page, v);
  await expect(row.locator("[data-unevidenced]")).toBeVisible();
  const after = await pageValues(page);
  expect(after["enlargement:compromise"]).not.toEqual(before["enlargement:compromise"]);

  // The same edit in a file, through the CLI.
  const edited = fs.readFileSync(path.join(REPO, "scenarios/ukraine-2021-12.toml"), "utf8")
    .replace(USA_ENLARGEMENT, USA_ENLARGEMENT.replace("[10, 20, 35]", "[10, 30, 35]"));
  expect(edited).toContain("[10, 30, 35]");
  const other = fs.mkdtempSync(path.join(os.tmpdir(), "brink-e2e-cli-"));
  fs.writeFileSync(path.join(other, "same.toml"), edited);
  const doc = JSON.parse(cli(["run", "same.toml", "--format", "json", "--draws", String(DRAWS), "--seed", "0", "-q"], other));
  expect(after).toEqual(cliValues(doc));
  // The distributions too: each model's median over the draws.
  const medians = await page.evaluate(() => forecast.issues.map((i) => i.forecasts.map((f) => f.distribution?.summary?.quantiles)));
  expect(medians).toEqual(doc.issues.map((i) => i.forecasts.map((f) => f.distribution?.summary?.quantiles)));
  // The "as given" column is the unedited forecast.
  const given = await page.locator('#forecasts table[data-issue="enlargement"] td[data-given="compromise"]').textContent();
  expect(Number(given)).toBeCloseTo(before["enlargement:compromise"], 2);
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, "serve-whatif.png"), fullPage: false });
  fs.rmSync(other, { recursive: true, force: true });
});

test("save and reload: the file keeps its comments, the page shows the saved text", async ({ page }) => {
  await page.goto(url);
  await page.fill("#save-as", "edited.toml");
  await page.click("#save");
  await expect(page.locator("#message")).toHaveText("saved edited.toml");
  await expect(page.locator("#dirty")).toBeHidden();
  const saved = fs.readFileSync(path.join(dir, "edited.toml"), "utf8");
  const original = fs.readFileSync(path.join(REPO, "scenarios/ukraine-2021-12.toml"), "utf8");
  // One line differs: the edited position; every comment and blank line is kept.
  const a = original.split("\n"), b = saved.split("\n");
  expect(b.length).toBe(a.length);
  const diff = a.map((l, i) => [l, b[i]]).filter(([x, y]) => x !== y);
  expect(diff).toEqual([["position = { triangular = [10, 20, 35] }", "position = { triangular = [10, 30, 35] }"]]);
  expect(cliStatus(["check", "edited.toml"], dir).code).toBe(0);

  await page.reload();
  await expect(page.locator("#name")).toHaveText("edited.toml");
  await page.locator('details.row[data-field="stances[5]"] summary').click();
  await expect(page.locator('[data-path="stances[5].position.triangular[1]"]')).toHaveValue("30");
  // Opened from the file list, the saved file gives the CLI's forecast.
  await page.selectOption("#files", "edited.toml");
  await expect(page.locator("#message")).toHaveText("opened edited.toml");
  await setDraws(page, 0);
  await runDone(page, await version(page));
  expect(await pageValues(page)).toEqual(cliValues(JSON.parse(cli(["run", "edited.toml", "--format", "json"]))));
});

test("break a field: the CLI's words appear at the field; undo and redo", async ({ page }) => {
  await page.goto(url);
  await page.locator('details.row[data-field="stances[5]"] summary').click();
  const hi = page.locator('[data-path="stances[5].salience.triangular[2]"]');
  await hi.fill("1.5");
  await hi.press("Enter");
  const inline = page.locator('details.row[data-field="stances[5]"] .problem').first();
  await expect(inline).toBeVisible();
  await expect(hi).toHaveClass(/invalid/);
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, "serve-error.png"), fullPage: false });

  // The CLI on the same text, under the same name as the page's (the saved file's): the same lines.
  const saved = USA_ENLARGEMENT.replace("[10, 20, 35]", "[10, 30, 35]");
  const broken = fs.readFileSync(path.join(dir, "edited.toml"), "utf8")
    .replace(saved, saved.replace("[0.4, 0.55, 0.75]", "[0.4, 0.55, 1.5]"));
  expect(broken).toContain("[0.4, 0.55, 1.5]");
  const other = fs.mkdtempSync(path.join(os.tmpdir(), "brink-e2e-cli-"));
  fs.writeFileSync(path.join(other, "edited.toml"), broken);
  const check = cliStatus(["check", "edited.toml"], other);
  expect(check.code).toBe(2);
  const lines = check.out.trim().split("\n").filter((l) => l.startsWith("edited.toml:"));
  expect(lines.length).toBeGreaterThan(0);
  const shown = await page.locator("#problems .problem").allTextContents();
  expect(shown).toEqual(lines);
  expect(await inline.textContent()).toBe(lines[0]);
  fs.rmSync(other, { recursive: true, force: true });

  await page.click("#undo");
  await expect(page.locator("#problems .problem")).toHaveCount(0);
  await expect(hi).toHaveValue("0.75");
  await page.click("#redo");
  await expect(page.locator("#problems .problem")).toHaveCount(lines.length);
  await page.click("#undo");
  await expect(page.locator("#problems .problem")).toHaveCount(0);
  // The file on disk was never touched by the broken text.
  expect(fs.readFileSync(path.join(dir, "edited.toml"), "utf8")).not.toContain("1.5]");
});

test("a long run streams its progress and can be cancelled", async ({ page }) => {
  await page.goto(url);
  await runDone(page, await version(page));
  await setDraws(page, 1000000);
  await expect(page.locator("#progress")).toBeVisible();
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, "serve-progress.png"), fullPage: false });
  await page.click("#cancel");
  const status = page.locator('#run-status[data-done="true"]');
  await expect(status).toHaveAttribute("data-stopped", "true");
  await expect(status).toContainText(/stopped/);
  await expect(page.locator("#progress")).toBeHidden();
  // The page still answers: a short run after the cancelled one.
  await setDraws(page, 0);
  await expect(page.locator('#run-status[data-stopped="false"]')).toBeVisible();
});

test("download the HTML report", async ({ page }) => {
  await page.goto(url);
  await setDraws(page, 100);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#report")]);
  expect(download.suggestedFilename()).toBe("edited-report.html");
  const p = await download.path();
  const html = fs.readFileSync(p, "utf8");
  expect(html).toContain("<html");
  expect(html).toContain("eastward enlargement");
  // The report of the saved file, as `brink report` names its input.
  const sha = require("node:crypto").createHash("sha256").update(fs.readFileSync(path.join(dir, "edited.toml"))).digest("hex");
  expect(html).toContain(sha);
});

test("options changed before the scenario has loaded: no error, the first run uses them", async ({ page }) => {
  // Hold the session's state back, so that the draws change while the page has no scenario yet.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route("**/api/state", async (route) => { await held; await route.continue(); });
  await page.goto(url);
  await setDraws(page, 37);
  release();
  const v = await version(page);
  const status = await runDone(page, v);
  await expect(status).toContainText("37 draws");
});
