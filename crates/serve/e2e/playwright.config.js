// Playwright drives Debian's Chromium (`apt-get install chromium`), not a browser of its own:
// set CHROMIUM to use another binary.
const { defineConfig } = require("@playwright/test");

module.exports = defineConfig({
  testDir: ".",
  testMatch: "*.spec.js",
  workers: 1,
  // One retry: on a loaded 2-core machine a step can miss its timeout; a test that fails twice
  // fails the run.
  retries: 1,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    headless: true,
    viewport: { width: 1400, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--no-sandbox"],
    },
  },
});
