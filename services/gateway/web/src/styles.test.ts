// A stylesheet with an unclosed block still builds, but every rule after it silently moves into
// that block (e.g. a phone-only media query): each one must parse on its own.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import postcss from "postcss";
import { describe, expect, it } from "vitest";

function stylesheets(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return stylesheets(path);
    return entry.name.endsWith(".css") ? [path] : [];
  });
}

describe("the stylesheets", () => {
  const found = stylesheets(join(__dirname));

  it("are found", () => expect(found.length).toBeGreaterThan(0));

  it.each(found)("%s parses with every block closed", (path) => {
    expect(() => postcss.parse(readFileSync(path, "utf8"), { from: path })).not.toThrow();
  });
});
