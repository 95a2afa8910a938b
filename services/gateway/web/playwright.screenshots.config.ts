// Photographs the main screens of a running product with its demo data (deploy/local/screenshots).
import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

export default defineConfig({
  ...base,
  testDir: "screenshots",
  outputDir: "test-results/screenshots",
  reporter: [["list"]],
});
