import { describe, expect, it } from "vitest";
import { describeWithFixtures, readFixtureBytes } from "../../../../test/support/fixtures.ts";
import { decodePage } from "./bitcointalk-page.ts";
import { classifyPage, parseProfilePage } from "./profile.parser.ts";

const page = (name: string) => decodePage(readFixtureBytes(name));

describeWithFixtures("parseProfilePage on the real u=12 profile (2014)", () => {
  it("reads every summary field, dates as UTC", () => {
    expect(parseProfilePage(page("profile-srmember-u12-2014.html"))).toEqual({
      userId: 12,
      username: "nanaimogold",
      position: "Sr. Member",
      posts: 406,
      activity: 406,
      merit: null,
      registeredAt: new Date("2009-12-09T19:23:55Z"),
      // `<b>Today</b> at 12:38:01 AM` with the header at July 30, 2014, 12:02:50 AM.
      lastActiveAt: new Date("2014-07-30T00:38:01Z"),
      signature: {
        text: "https://www.nanaimogold.com/ - World's first bitcoin exchange service",
        links: ["https://www.nanaimogold.com/"],
      },
    });
  });

  it("classifies the saved profile as ok", () => {
    expect(classifyPage(page("profile-srmember-u12-2014.html"), 200)).toBe("ok");
  });

  it("rejects pages that are not profiles", () => {
    expect(() => parseProfilePage(page("topic-14-page1-2014.html"))).toThrow(/profile/);
  });
});

describeWithFixtures("classifyPage on the other real pages", () => {
  it.each(["topic-14-page1-2014.html", "topic-602041-page621-2014.html", "board-74-page1-2014.html"])(
    "%s is ok",
    (name) => {
      expect(classifyPage(page(name), 200)).toBe("ok");
    },
  );

  it("treats a row-only fragment as not a forum page", () => {
    expect(classifyPage(page("topic-1905864-postrows-fragment-2017.html"), 200)).toBe("error");
  });

  it("reads pages whose members quote throttling, challenge or missing-member wording as ok", () => {
    // What members write is page content, not the forum talking: a signature or post mentioning
    // these must not turn a good page into a failed fetch (retried, backed off, never credited).
    const profile = page("profile-srmember-u12-2014.html").replace(
      "World&#39;s first bitcoin exchange service",
      "Too many requests? You are requesting too fast, the server is busy (cf-challenge, cf_chl)",
    );
    expect(classifyPage(profile, 200)).toBe("ok");
    const topic = page("topic-14-page1-2014.html").replace(
      "Break on the supply's increase",
      "The user whose profile you are trying to view does not exist.",
    );
    expect(classifyPage(topic, 200)).toBe("ok");
  });

  it("calls a page cut off before its end an error, not a page with fewer posts", () => {
    // A page that stops part-way (the forum died mid-render) still has its navigation at the top:
    // read as ok, the posts it lost would look deleted and the scan would go on to the next page.
    const topic = page("topic-602041-page621-2014.html");
    const cut = topic.slice(0, topic.indexOf('<a name="msg8126666"'));
    expect(cut).toContain('id="bodyarea"');
    expect(classifyPage(cut, 200)).toBe("error");
    const profile = page("profile-srmember-u12-2014.html");
    expect(classifyPage(profile.slice(0, profile.lastIndexOf("</html>")), 200)).toBe("error");
  });

  it("lets the status code win for server errors on otherwise normal pages", () => {
    expect(classifyPage(page("topic-14-page1-2014.html"), 502)).toBe("error");
    expect(classifyPage(page("topic-14-page1-2014.html"), 404)).toBe("not-found");
    expect(classifyPage(page("topic-14-page1-2014.html"), 429)).toBe("rate-limited");
  });
});

describe("classifyPage on challenge and error bodies", () => {
  it("spots Cloudflare even behind a 403 or 503", () => {
    expect(classifyPage("<html><head><title>Just a moment...</title></head></html>", 503)).toBe("cloudflare");
    expect(classifyPage('<script>window._cf_chl_opt={cType:"managed"}</script>', 403)).toBe("cloudflare");
    expect(classifyPage('<div id="cf-challenge-running"></div>', 200)).toBe("cloudflare");
  });

  it("spots throttling text whatever the status", () => {
    expect(classifyPage("<p>You are requesting too fast.</p>", 503)).toBe("rate-limited");
    expect(classifyPage("<p>You are requesting too fast.</p>", 200)).toBe("rate-limited");
  });

  it("spots the missing-member message on a 200 page", () => {
    const html =
      '<div id="bodyarea"><tr class="titlebg"><td>An Error Has Occurred!</td></tr><td>The user whose profile you are trying to view does not exist.</td></div>';
    expect(classifyPage(html, 200)).toBe("not-found");
  });

  it("calls an empty or foreign 200 body an error, not ok", () => {
    expect(classifyPage("", 200)).toBe("error");
    expect(classifyPage("<html><body>Welcome to nginx!</body></html>", 200)).toBe("error");
  });
});
