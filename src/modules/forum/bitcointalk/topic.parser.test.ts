import { expect, it } from "vitest";
import { describeWithFixtures, readFixtureBytes } from "../../../../test/support/fixtures.ts";
import { decodePage } from "./bitcointalk-page.ts";
import { parseTopicPage, type TopicPost } from "./topic.parser.ts";

const parse = (name: string) => parseTopicPage(decodePage(readFixtureBytes(name)));
const countBy = (posts: TopicPost[], key: (p: TopicPost) => string) =>
  posts.reduce<Record<string, number>>((acc, p) => {
    acc[key(p)] = (acc[key(p)] ?? 0) + 1;
    return acc;
  }, {});

describeWithFixtures("parseTopicPage: topic 14, one page, 2014", () => {
  const topic = parse("topic-14-page1-2014.html");

  it("keeps the 2 real posts and skips the hidden decoys and the ad row", () => {
    expect(topic.topicId).toBe(14);
    expect(topic.page).toEqual({ current: 1, last: 1 });
    expect(topic.posts.map((p) => p.messageId)).toEqual([53, 56]);
    expect(topic.posts.some((p) => p.authorId === 1406845588)).toBe(false);
  });

  it("reads authors, positions and dates", () => {
    const [first, second] = topic.posts;
    expect(first).toMatchObject({
      authorId: 16,
      authorRank: "Newbie",
      authorActivity: 1,
      position: 1,
      postedAt: new Date("2009-12-12T14:11:37Z"),
      edited: false,
      signature: null,
    });
    expect(second).toMatchObject({
      authorId: 13,
      authorName: "SmokeTooMuch",
      authorRank: "Hero Member",
      authorActivity: 784,
      position: 2,
      postedAt: new Date("2009-12-12T18:23:59Z"),
      signature: { links: ["https://pay.reddit.com/r/Bitcoin"] },
    });
    expect(first.contentLength).toBeGreaterThan(1000);
  });
});

describeWithFixtures("parseTopicPage: topic 602041, page 621 of 621, Today dates", () => {
  const topic = parse("topic-602041-page621-2014.html");

  it("reads the navigation: page 621 of 621", () => {
    expect(topic.topicId).toBe(602041);
    expect(topic.page).toEqual({ current: 621, last: 621 });
  });

  it("keeps the 8 real posts #12401-#12408 and none of the 3 decoys", () => {
    expect(topic.posts).toHaveLength(8);
    expect(topic.posts.map((p) => p.position)).toEqual([
      12401, 12402, 12403, 12404, 12405, 12406, 12407, 12408,
    ]);
    expect(topic.posts[0].messageId).toBe(8125509);
    expect(topic.posts[7].messageId).toBe(8126666);
    expect(new Set(topic.posts.map((p) => p.authorRank))).toEqual(
      new Set(["Jr. Member", "Member", "Full Member", "Newbie"]),
    );
    expect(topic.posts.every((p) => p.signature === null)).toBe(true);
  });

  it("resolves `Today at` with the header clock (July 31, 2014)", () => {
    expect(topic.posts[0].postedAt.toISOString()).toBe("2014-07-31T21:03:11.000Z");
    expect(topic.posts[7].postedAt.toISOString()).toBe("2014-07-31T22:25:50.000Z");
  });

  it("does not count quoted text in the content length", () => {
    // Post #12402 is mostly a nested quote; its own words are short.
    const quoting = topic.posts[1];
    expect(quoting.contentLength).toBeGreaterThan(0);
    expect(quoting.contentLength).toBeLessThan(500);
  });
});

describeWithFixtures("parseTopicPage: 2017 row-only fragment of topic 1905864", () => {
  const topic = parse("topic-1905864-postrows-fragment-2017.html");

  it("reads all 20 rows without a page header", () => {
    expect(topic.topicId).toBe(1905864);
    expect(topic.posts).toHaveLength(20);
    expect(topic.posts[0].position).toBe(21);
    expect(topic.posts[19].position).toBe(40);
    expect(topic.page).toEqual({ current: 2, last: null });
  });

  it("finds the 12 signatures and their absolute links", () => {
    expect(topic.posts.filter((p) => p.signature)).toHaveLength(12);
    expect(topic.posts[0].signature).toEqual({ links: ["http://aikapool.com/"] });
  });

  it("reads dates from May 10 to June 16, 2017 and ranks from Newbie to Hero Member", () => {
    expect(topic.posts[0].postedAt.toISOString()).toBe("2017-05-10T19:41:41.000Z");
    expect(topic.posts[19].postedAt.toISOString()).toBe("2017-06-16T15:24:31.000Z");
    expect(new Set(topic.posts.map((p) => p.authorRank))).toEqual(
      new Set(["Newbie", "Member", "Full Member", "Sr. Member", "Hero Member"]),
    );
    const activity = topic.posts.map((p) => p.authorActivity ?? -1);
    expect([Math.min(...activity), Math.max(...activity)]).toEqual([2, 602]);
  });
});

describeWithFixtures("parseTopicPage: 2017 fragment of topic 957797 with edits", () => {
  const topic = parse("topic-957797-postrows-edited-fragment-2017.html");

  it("reads posts #1101-#1120 with their ranks and activity", () => {
    expect(topic.posts).toHaveLength(20);
    expect(topic.posts[0].position).toBe(1101);
    expect(topic.posts[19].position).toBe(1120);
    expect(countBy(topic.posts, (p) => p.authorRank)).toEqual({
      Legendary: 13,
      "Hero Member": 5,
      "Sr. Member": 1,
      "Full Member": 1,
    });
    const activity = topic.posts.map((p) => p.authorActivity ?? -1);
    expect([Math.min(...activity), Math.max(...activity)]).toEqual([219, 1484]);
  });

  it("finds 16 signatures and 4 edited posts with their edit times", () => {
    expect(topic.posts.filter((p) => p.signature)).toHaveLength(16);
    const edited = topic.posts.filter((p) => p.edited);
    expect(edited.map((p) => p.postedAt.toISOString())).toEqual([
      "2016-03-25T12:01:17.000Z",
      "2016-03-25T19:51:28.000Z",
      "2016-03-27T09:12:49.000Z",
      "2016-03-29T02:53:01.000Z",
    ]);
    expect(edited[0].editedAt?.toISOString()).toBe("2016-03-25T12:55:41.000Z");
    expect(topic.posts.filter((p) => !p.edited).every((p) => p.editedAt === null)).toBe(true);
  });
});

describeWithFixtures("parseTopicPage: the 2017 <head> fragment", () => {
  it("has no posts and does not throw", () => {
    const topic = parse("topic-1905864-head-fragment-2017.html");
    expect(topic.posts).toEqual([]);
  });
});

describeWithFixtures("parseTopicPage: each decoy defence works on its own", () => {
  it("skips decoys by the inline display:none style alone", () => {
    // Give the decoys subject ids and ids unrelated to the page time: only the CSS still marks them.
    const html = decodePage(readFixtureBytes("topic-14-page1-2014.html"))
      .replaceAll(
        '<div style="font-weight: bold;" class="subject">',
        '<div style="font-weight: bold;" class="subject" id="subject_999">',
      )
      .replaceAll("1406845588", "999");
    expect(parseTopicPage(html).posts.map((p) => p.messageId)).toEqual([53, 56]);
  });

  it("skips decoys by their Unix-time ids alone", () => {
    const html = decodePage(readFixtureBytes("topic-602041-page621-2014.html"))
      .replaceAll(
        '<div style="font-weight: bold;" class="subject">',
        '<div style="font-weight: bold;" class="subject" id="subject_1406845589">',
      )
      .replace(/\.n92cad35 \{display:none\}|\.l92cad35 table \{display:none\}/g, "");
    expect(parseTopicPage(html).posts).toHaveLength(8);
  });
});
