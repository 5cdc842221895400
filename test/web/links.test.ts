// safeHref: only http(s) URLs become links.
import { describe, expect, it } from "vitest";
import { safeHref } from "../../web/src/lib/links.ts";

describe("safeHref", () => {
  it("keeps http and https URLs", () => {
    for (const url of [
      "https://github.com/x/y/pull/1",
      "http://example.test/a?b=c#d",
      "HTTPS://EXAMPLE.TEST/",
    ])
      expect(safeHref(url)).toBe(url);
  });

  it("refuses every other scheme and what is not a URL", () => {
    for (const url of [
      "javascript:alert(1)",
      " JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
      "mailto:a@example.test",
      "//example.test/x",
      "/relative",
      "",
    ])
      expect(safeHref(url), url).toBeNull();
  });
});
