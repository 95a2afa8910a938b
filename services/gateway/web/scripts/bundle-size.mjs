// Prints the JavaScript a first visit downloads (the page's module script and its preloads),
// gzipped, and fails the build when it passes the budget.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 300;
const page = readFileSync(new URL("../dist/index.html", import.meta.url), "utf8");
const scripts = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]);
let total = 0;
for (const script of new Set(scripts)) {
  const size = gzipSync(readFileSync(new URL(`../dist${script}`, import.meta.url))).length;
  total += size;
  console.log(`  ${script}  ${(size / 1024).toFixed(1)} KB gzipped`);
}
console.log(`first-load JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (total > BUDGET_KB * 1024) {
  console.error("first-load JavaScript is over budget");
  process.exit(1);
}
