// Browser tests against a running stack (tests/e2e/test_browser.py starts one and runs each spec).
// Chromium comes from Debian's package: Playwright never downloads a browser here.
import { defineConfig, devices } from "@playwright/test";

const baseURL = process.env.GATEWAY_PUBLIC_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/playwright",
  // Two cores shared by the whole stack: one browser at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL,
    headless: true,
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-dev-shm-usage"],
    },
  },
});
