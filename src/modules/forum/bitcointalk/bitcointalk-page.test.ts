import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import {
  describeWithFixtures,
  listFixturePages,
  readFixtureBytes,
} from "../../../../test/support/fixtures.ts";
import {
  bodyText,
  decodePage,
  isDecoyId,
  loadDom,
  parseForumDate,
  readHeaderClock,
  readHiddenClasses,
} from "./bitcointalk-page.ts";
import { findFirst, tagClass } from "./dom-walk.ts";

const fixture = (name: string) => decodePage(readFixtureBytes(name));

describe("parseForumDate", () => {
  const now = new Date("2014-07-31T22:26:29Z");

  it("reads absolute dates as UTC, including 12 AM and 12 PM", () => {
    expect(parseForumDate("December 09, 2009, 07:23:55 PM", null).toISOString()).toBe(
      "2009-12-09T19:23:55.000Z",
    );
    expect(parseForumDate("July 30, 2014, 12:02:50 AM", null).toISOString()).toBe("2014-07-30T00:02:50.000Z");
    expect(parseForumDate("July 30, 2014, 12:02:50 PM", null).toISOString()).toBe("2014-07-30T12:02:50.000Z");
  });

  it("strips the `on:` prefix of post-history dates and odd whitespace", () => {
    expect(parseForumDate("on: May 10, 2017,\u00a007:41:41 PM", null).toISOString()).toBe(
      "2017-05-10T19:41:41.000Z",
    );
  });

  it("resolves Today and Yesterday against the header clock", () => {
    expect(parseForumDate("Today at 09:03:11 PM", now).toISOString()).toBe("2014-07-31T21:03:11.000Z");
    expect(parseForumDate("Yesterday at 11:59:59 PM", now).toISOString()).toBe("2014-07-30T23:59:59.000Z");
  });

  it("refuses Today without a clock and rejects garbage", () => {
    expect(() => parseForumDate("Today at 09:03:11 PM", null)).toThrow(/header clock/);
    expect(() => parseForumDate("1406845588", now)).toThrow(/Unrecognised/);
    expect(() => parseForumDate("Smarch 10, 2017, 07:41:41 PM", now)).toThrow(/month/);
  });
});

describe("decodePage", () => {
  it("decodes windows-1252 bytes, including the 0x80-0x9F range", () => {
    const bytes = new Uint8Array([
      0x45, 0x73, 0x70, 0x61, 0xf1, 0x6f, 0x6c, 0x20, 0x80, 0x20, 0x93, 0x71, 0x94,
    ]);
    expect(decodePage(bytes)).toBe("Español € “q”");
  });

  it("agrees with iconv-lite's windows-1252 table on pages without 0x80-0x9F bytes", () => {
    const latin1 = Uint8Array.from({ length: 256 }, (_, i) => i).filter((b) => b < 0x80 || b > 0x9f);
    expect(decodePage(latin1)).toBe(iconv.decode(Buffer.from(latin1), "windows-1252"));
  });

  it("reads valid UTF-8 as UTF-8 and the same letters in windows-1252 as windows-1252", () => {
    expect(decodePage(Buffer.from("Español € “q”", "utf8"))).toBe("Español € “q”");
    // "Espa\xf1ol": 0xF1 followed by an ASCII letter is not UTF-8.
    expect(decodePage(Buffer.from("Espa\xf1ol", "latin1"))).toBe("Español");
    expect(decodePage(iconv.encode("Café “naïve” – 5 €", "windows-1252"))).toBe("Café “naïve” – 5 €");
  });

  it("reads pure ASCII unchanged", () => {
    expect(decodePage(Buffer.from("<b>Today</b> at 09:03:11 PM", "latin1"))).toBe(
      "<b>Today</b> at 09:03:11 PM",
    );
  });

  it("honours the view of a larger buffer", () => {
    const backing = new Uint8Array([0x41, 0xe9, 0x42]);
    expect(decodePage(backing.subarray(1, 2))).toBe("é");
  });
});

describe("bodyText", () => {
  it("drops quotes, counts line breaks as spaces and collapses whitespace", () => {
    const root = loadDom(
      '<div class="post">Hi<br/>there  <div class="quoteheader">Quote from: x</div><div class="quote">old</div>new<b>!</b></div>',
    );
    expect(bodyText(findFirst(root, tagClass("div", "post"))!)).toBe("Hi there new!");
  });
});

describeWithFixtures("decodePage on the saved pages (stored as UTF-8, not windows-1252)", () => {
  it("decodes non-ASCII letters of a 2014 topic page", () => {
    const html = fixture("topic-602041-page621-2014.html");
    expect(html).toContain("Español");
    expect(html).not.toContain("Ã");
  });

  it("decodes the typographic quotes of the 2017 rows", () => {
    const html = fixture("topic-957797-postrows-edited-fragment-2017.html");
    expect(html).toMatch(/[‘’“”]/);
    expect(html).not.toMatch(/â€/);
  });
});

describeWithFixtures("real pages: header clock, dates and decoy markers", () => {
  it("covers every fixture page in the folder", () => {
    expect(listFixturePages()).toEqual(
      [
        "board-5-offset600-2014.html",
        "board-74-page1-2014.html",
        "profile-srmember-u12-2014.html",
        "topic-14-page1-2014.html",
        "topic-1905864-head-fragment-2017.html",
        "topic-1905864-postrows-fragment-2017.html",
        "topic-602041-page621-2014.html",
        "topic-957797-postrows-edited-fragment-2017.html",
      ].sort(),
    );
  });

  it.each([
    ["profile-srmember-u12-2014.html", "2014-07-30T00:02:50.000Z"],
    ["topic-14-page1-2014.html", "2014-07-31T22:26:28.000Z"],
    ["topic-602041-page621-2014.html", "2014-07-31T22:26:29.000Z"],
    ["board-74-page1-2014.html", "2014-07-30T19:04:42.000Z"],
    ["board-5-offset600-2014.html", "2014-08-10T05:41:41.000Z"],
  ])("reads the header clock of %s", (name, iso) => {
    expect(readHeaderClock(fixture(name))?.toISOString()).toBe(iso);
  });

  it.each([
    "topic-1905864-postrows-fragment-2017.html",
    "topic-957797-postrows-edited-fragment-2017.html",
    "topic-1905864-head-fragment-2017.html",
  ])("finds no header clock in the fragment %s", (name) => {
    expect(readHeaderClock(fixture(name))).toBeNull();
  });

  it("resolves the 4 Today dates of board 74 to the header's day", () => {
    const html = fixture("board-74-page1-2014.html");
    const now = readHeaderClock(html);
    const todays = [...html.matchAll(/<b>Today<\/b> at (\d\d:\d\d:\d\d [AP]M)/g)].map((m) =>
      parseForumDate(`Today at ${m[1]}`, now).toISOString(),
    );
    expect(todays).toEqual([
      "2014-07-30T17:59:59.000Z",
      "2014-07-30T10:17:55.000Z",
      "2014-07-30T08:02:11.000Z",
      "2014-07-30T01:04:18.000Z",
    ]);
  });

  it("reads the hidden anti-adblock classes from the inline style", () => {
    expect(readHiddenClasses(fixture("topic-14-page1-2014.html"))).toEqual({
      self: new Set(["m92cad35"]),
      tables: new Set(["k92cad35"]),
    });
    expect(readHiddenClasses(fixture("topic-602041-page621-2014.html"))).toEqual({
      self: new Set(["n92cad35"]),
      tables: new Set(["l92cad35"]),
    });
    const head = readHiddenClasses(fixture("topic-1905864-head-fragment-2017.html"));
    // A banner class hidden only inside `@media (max-width: 465px)` is not a decoy class.
    expect([...head.self].sort()).toEqual(["HSicpOzebjisYHgcKUceqw", "xaJWJOxeMbWUUgtoPQkXow"]);
  });

  it("recognises decoy ids as the page's Unix time", () => {
    const now = readHeaderClock(fixture("topic-14-page1-2014.html"));
    expect(isDecoyId(1406845588, now)).toBe(true);
    expect(isDecoyId(53, now)).toBe(false);
    expect(isDecoyId(1406845588, null)).toBe(false);
  });
});
