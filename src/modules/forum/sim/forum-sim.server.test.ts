import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodePage } from "../bitcointalk/bitcointalk-page.ts";
import { parsePostsPage } from "../bitcointalk/posts.parser.ts";
import { classifyPage, parseProfilePage } from "../bitcointalk/profile.parser.ts";
import { extractBbcodeLinks } from "../bitcointalk/signature-links.ts";
import { parseTopicPage } from "../bitcointalk/topic.parser.ts";
import { createForumSim, type ForumSim } from "./forum-sim.server.ts";

let now = new Date("2024-03-10T18:30:00Z");
const clock = { now: () => now };
let sim: ForumSim;
let base: string;

beforeEach(async () => {
  now = new Date("2024-03-10T18:30:00Z");
  sim = createForumSim({ clock });
  ({ url: base } = await sim.listen(0));
});

afterEach(async () => {
  await sim.close();
});

async function page(path: string, timeoutMs = 5000) {
  const res = await fetch(base + path, { signal: AbortSignal.timeout(timeoutMs) });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get("content-type"), bytes, html: decodePage(bytes) };
}

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const SIGNATURE =
  "[b][url=https://campaign.example/r/77]Campaign[/url][/b] | www.Join.example [img]https://img.example/a.png[/img]";

describe("forum simulator round trip through the real parsers", () => {
  it("serves a profile the profile parser reads back exactly", async () => {
    await control("POST", "/_sim/members", {
      id: 77,
      name: "Zoë “quotes” & <tags>",
      position: "Full Member",
      signature: SIGNATURE,
    });
    now = new Date("2024-03-11T09:00:00Z");
    const { messageId } = (await control("POST", "/_sim/posts", { memberId: 77, topicId: 9, text: "hello" }))
      .body;
    expect(messageId).toEqual(expect.any(Number));

    const res = await page("/index.php?action=profile;u=77");
    expect(res.type).toBe("text/html; charset=ISO-8859-1");
    expect(classifyPage(res.html, res.status)).toBe("ok");
    expect(parseProfilePage(res.html)).toEqual({
      userId: 77,
      username: "Zoë “quotes” & <tags>",
      position: "Full Member",
      posts: 1,
      activity: 1,
      merit: 0,
      registeredAt: new Date("2024-03-10T18:30:00Z"),
      lastActiveAt: new Date("2024-03-11T09:00:00Z"),
      signature: {
        text: "Campaign | www.Join.example",
        links: extractBbcodeLinks(SIGNATURE),
      },
    });
    expect(extractBbcodeLinks(SIGNATURE)).toEqual([
      "https://campaign.example/r/77",
      "http://www.join.example/",
    ]);
  });

  it("sends windows-1252 bytes, with characters outside it as entities", async () => {
    sim.addMember({ id: 5, name: "Español €", signature: "❤ love" });
    const res = await page("/index.php?action=profile;u=5");
    expect(Buffer.from(res.bytes).includes(Buffer.from([0x45, 0x73, 0x70, 0x61, 0xf1]))).toBe(true);
    expect(Buffer.from(res.bytes).includes(Buffer.from("&#10084;"))).toBe(true);
    expect(parseProfilePage(res.html).signature?.text).toBe("❤ love");
  });

  it("pages the post history 20 at a time, newest first, and reflects deletes", async () => {
    sim.addMember({ id: 8, name: "poster" });
    const ids: number[] = [];
    for (let i = 0; i < 25; i++) {
      const postedAt = new Date(now.getTime() - (25 - i) * 60_000).toISOString();
      const body = {
        memberId: 8,
        topicId: 40 + (i % 2),
        boardName: "Off-topic",
        text: `message ${i}`,
        postedAt,
      };
      ids.push((await control("POST", "/_sim/posts", body)).body.messageId);
    }
    const first = parsePostsPage((await page("/index.php?action=profile;u=8;sa=showPosts;start=0")).html);
    const second = parsePostsPage((await page("/index.php?action=profile;u=8;sa=showPosts;start=20")).html);
    expect(first.page).toEqual({ current: 1, last: 2 });
    expect(second.page).toEqual({ current: 2, last: 2 });
    expect([...first.posts, ...second.posts].map((p) => p.messageId)).toEqual([...ids].reverse());
    expect(first.posts[0]).toMatchObject({
      topicId: 40,
      boardName: "Off-topic",
      contentLength: "message 24".length,
    });

    expect((await control("DELETE", `/_sim/posts/${ids[24]}`)).status).toBe(204);
    const after = parsePostsPage((await page("/index.php?action=profile;u=8;sa=showPosts")).html);
    expect(after.posts[0].messageId).toBe(ids[23]);
  });

  it("serves topic pages with decoys that the topic parser skips", async () => {
    sim.addMember({
      id: 1,
      name: "op",
      position: "Legendary",
      signature: "[url=https://op.example]op[/url]",
    });
    sim.addMember({ id: 2, name: "replier", position: "Newbie" });
    const ids: number[] = [];
    for (let i = 0; i < 23; i++) {
      const postedAt = new Date(now.getTime() - (23 - i) * 3_600_000);
      const text = i === 1 ? "[quote author=op]quoted words[/quote]My  reply\nhere" : `text ${i}`;
      ids.push(
        sim.addPost({ memberId: i % 2 === 0 ? 1 : 2, topicId: 700, subject: "Sim topic", text, postedAt })
          .messageId,
      );
    }
    const res = await page("/index.php?topic=700.0");
    expect(res.html).toContain("display:none");
    const first = parseTopicPage(res.html);
    expect(first.topicId).toBe(700);
    expect(first.page).toEqual({ current: 1, last: 2 });
    expect(first.posts.map((p) => p.messageId)).toEqual(ids.slice(0, 20));
    expect(first.posts[0]).toMatchObject({
      authorId: 1,
      authorName: "op",
      authorRank: "Legendary",
      position: 1,
      postedAt: new Date(now.getTime() - 23 * 3_600_000),
      edited: false,
      signature: { links: ["https://op.example/"] },
    });
    expect(first.posts[1]).toMatchObject({
      authorId: 2,
      signature: null,
      contentLength: "My reply here".length,
    });

    const second = parseTopicPage((await page("/index.php?topic=700.20")).html);
    expect(second.page).toEqual({ current: 2, last: 2 });
    expect(second.posts.map((p) => p.position)).toEqual([21, 22, 23]);
    // The newest posts are from today and come back through "Today at".
    expect(second.posts[2].postedAt).toEqual(new Date(now.getTime() - 3_600_000));
  });

  it("shows a changed signature and position after PATCH", async () => {
    await control("POST", "/_sim/members", { id: 3, name: "changer", position: "Member" });
    expect(parseProfilePage((await page("/index.php?action=profile;u=3")).html).signature).toBeNull();
    const patched = await control("PATCH", "/_sim/members/3", {
      position: "Sr. Member",
      signature: "[url=https://new.example/]n[/url]",
    });
    expect(patched.status).toBe(200);
    const profile = parseProfilePage((await page("/index.php?action=profile;u=3")).html);
    expect(profile.position).toBe("Sr. Member");
    expect(profile.signature?.links).toEqual(["https://new.example/"]);
  });
});

describe("forum simulator faults and errors", () => {
  it.each([
    ["error500", "error", 500],
    ["cloudflare", "cloudflare", 403],
    ["too-fast", "rate-limited", 503],
    ["not-found", "not-found", 200],
  ] as const)("%s makes the next `count` pages fail as %s", async (mode, kind, status) => {
    sim.addMember({ id: 1, name: "m" });
    expect((await control("POST", "/_sim/faults", { mode, count: 2 })).body).toEqual({ mode, remaining: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await page("/index.php?action=profile;u=1");
      expect(res.status).toBe(status);
      expect(classifyPage(res.html, res.status)).toBe(kind);
    }
    const recovered = await page("/index.php?action=profile;u=1");
    expect(classifyPage(recovered.html, recovered.status)).toBe("ok");
  });

  it("timeout hangs until the client gives up, and close() still returns", async () => {
    await control("POST", "/_sim/faults", { mode: "timeout" });
    await expect(page("/index.php?action=profile;u=1", 300)).rejects.toThrow();
    expect((await control("GET", "/_sim/state")).body.fault).toEqual({ mode: "none", remaining: 0 });
  });

  it("answers unknown members and topics with the forum's own not-found messages", async () => {
    const profile = await page("/index.php?action=profile;u=424242");
    expect(profile.html).toContain("The user whose profile you are trying to view does not exist.");
    expect(classifyPage(profile.html, profile.status)).toBe("not-found");
    const topic = await page("/index.php?topic=99999.0");
    expect(classifyPage(topic.html, topic.status)).toBe("not-found");
  });

  it("rejects bad control requests with 4xx and a message, changing nothing", async () => {
    expect((await control("POST", "/_sim/members", { id: "x", name: "a" })).status).toBe(400);
    expect((await control("POST", "/_sim/faults", { mode: "meltdown" })).status).toBe(400);
    expect((await control("POST", "/_sim/posts", { memberId: 5, topicId: 1, text: "x" })).status).toBe(404);
    await control("POST", "/_sim/members", { id: 1, name: "a" });
    expect((await control("POST", "/_sim/members", { id: 1, name: "b" })).status).toBe(409);
    const state = (await control("GET", "/_sim/state")).body;
    expect(state.members.map((m: { name: string }) => m.name)).toEqual(["a"]);
    expect(state.now).toBe("2024-03-10T18:30:00.000Z");
  });
});

describe("the signature form (sa=forumProfile)", () => {
  const form = (id: number, body: string, query = `action=profile;u=${id};sa=forumProfile`) =>
    fetch(`${base}/index.php?${query}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });

  it("shows a member's signature in a form that posts back to itself, and stores what is posted", async () => {
    await control("POST", "/_sim/members", {
      id: 78,
      name: "signer",
      position: "Member",
      signature: "old one",
    });
    const before = await page("/index.php?action=profile;u=78;sa=forumProfile");
    expect(before.status).toBe(200);
    expect(before.html).toContain(
      '<form action="index.php?action=profile;u=78;sa=forumProfile" method="post"',
    );
    expect(before.html).toContain(">old one</textarea>");

    const saved = await form(78, new URLSearchParams({ signature: `${SIGNATURE}\r\nZoë` }).toString());
    expect(saved.status).toBe(200);
    expect(decodePage(new Uint8Array(await saved.arrayBuffer()))).toContain("Your profile has been updated.");
    expect(sim.members.get(78)?.signature).toBe(`${SIGNATURE}\nZoë`);
    // The profile page the scraper reads carries it, links and all.
    const profile = parseProfilePage((await page("/index.php?action=profile;u=78")).html);
    expect(profile.signature?.links).toEqual(expect.arrayContaining(extractBbcodeLinks(SIGNATURE)));

    await form(78, "signature=");
    expect(sim.members.get(78)?.signature).toBeNull();
  });

  it("answers other posts with 405 and an unknown member with the forum's error page", async () => {
    expect((await form(78, "signature=x", "action=profile;u=78")).status).toBe(405);
    const unknown = await form(404404, "signature=x");
    expect(decodePage(new Uint8Array(await unknown.arrayBuffer()))).toContain("An Error Has Occurred!");
  });
});
