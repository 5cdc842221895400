import { describe, expect, it } from "vitest";
import { describeWithFixtures, readFixtureBytes } from "../../../../test/support/fixtures.ts";
import { decodePage, loadDom } from "./bitcointalk-page.ts";
import { findFirst, tagClass } from "./dom-walk.ts";
import {
  absoluteLink,
  canonicalLink,
  compareSignatureLinks,
  extractBbcodeLinks,
  extractSignatureLinks,
} from "./signature-links.ts";

describe("absoluteLink", () => {
  it("unwraps the forum image proxy to the real URL", () => {
    expect(
      absoluteLink("https://ip.bitcointalk.org/?u=http%3A%2F%2Faikapool.com%2Flogo.png&t=582&c=H500"),
    ).toBe("http://aikapool.com/logo.png");
  });

  it("resolves forum-relative links and drops non-web schemes", () => {
    expect(absoluteLink("/index.php?topic=1.0")).toBe("https://bitcointalk.org/index.php?topic=1.0");
    expect(absoluteLink("mailto:a@b.c")).toBeNull();
    expect(absoluteLink("javascript:void(0)")).toBeNull();
  });
});

describe("extractSignatureLinks", () => {
  it("dedupes links that differ only by host case or trailing slash, keeping order", () => {
    const root = loadDom(
      '<div class="signature"><a href="https://Example.com/a/">A</a> <a href="https://example.com/a">again</a> <a href="/index.php?topic=5.0">t</a><img src="https://x.test/i.png"></div>',
    );
    expect(extractSignatureLinks(findFirst(root, tagClass("div", "signature"))!)).toEqual([
      "https://example.com/a/",
      "https://bitcointalk.org/index.php?topic=5.0",
    ]);
  });
});

describe("extractBbcodeLinks", () => {
  it("reads [url=...], [url]...[/url] and bare links", () => {
    expect(
      extractBbcodeLinks(
        "[b][url=https://a.example/x]A[/url][/b] [url]https://b.example[/url] see www.c.example.",
      ),
    ).toEqual(["https://a.example/x", "https://b.example/", "http://www.c.example/"]);
  });

  it("ignores [img] sources unless the image is wrapped in a link", () => {
    expect(extractBbcodeLinks("[img]https://img.example/banner.png[/img]")).toEqual([]);
    expect(
      extractBbcodeLinks("[url=https://shop.example][img]https://img.example/b.png[/img][/url]"),
    ).toEqual(["https://shop.example/"]);
  });

  it("accepts quoted targets and returns nothing for plain text", () => {
    expect(extractBbcodeLinks('[url="https://q.example/p"]q[/url]')).toEqual(["https://q.example/p"]);
    expect(extractBbcodeLinks("Not your keys, not your coins.")).toEqual([]);
  });
});

describe("compareSignatureLinks", () => {
  it("matches across scheme/host case and trailing slash, and reports both directions", () => {
    expect(
      compareSignatureLinks(
        ["HTTPS://Campaign.example/", "https://campaign.example/join"],
        ["https://campaign.example", "https://other.example/"],
      ),
    ).toEqual({ missing: ["https://campaign.example/join"], unexpected: ["https://other.example/"] });
  });

  it("keeps query strings significant", () => {
    expect(canonicalLink("https://a.example/?ref=1")).not.toBe(canonicalLink("https://a.example/?ref=2"));
  });
});

describeWithFixtures("signature links on real pages", () => {
  it("reads the profile signature link of u=12", () => {
    const root = loadDom(decodePage(readFixtureBytes("profile-srmember-u12-2014.html")));
    expect(extractSignatureLinks(findFirst(root, tagClass("div", "signature"))!)).toEqual([
      "https://www.nanaimogold.com/",
    ]);
  });

  it("reads a 2017 multi-link signature in order", () => {
    const root = loadDom(decodePage(readFixtureBytes("topic-1905864-postrows-fragment-2017.html")));
    const sig = findFirst(root, tagClass("div", "sig918144"))!;
    expect(extractSignatureLinks(sig)).toEqual([
      "https://www.facebook.com/pinkcoin/",
      "https://www.facebook.com/PINKarmy/",
      "http://pinkcoin.ca/",
      "http://explorer.pinkarmy.ml/",
      "https://twitter.com/Pinkcoin_/",
    ]);
  });
});
