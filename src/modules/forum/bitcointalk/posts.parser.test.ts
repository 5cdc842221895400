// No real saved post-history page exists, so these run on the simulator's rendering of the
// SMF 1.1 showPosts template (see sim/forum-sim.profile-page.ts).
import { describe, expect, it } from "vitest";
import { renderPostHistory } from "../sim/forum-sim.profile-page.ts";
import { createForumState } from "../sim/forum-sim.state.ts";
import { parsePostsPage } from "./posts.parser.ts";

const NOW = new Date("2024-05-13T15:42:49Z");

function forumWithHistory(count: number) {
  const state = createForumState({ now: () => NOW });
  const member = state.addMember({ id: 77, name: "writer", position: "Member" });
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const post = state.addPost({
      memberId: 77,
      topicId: 500 + (i % 4),
      boardName: i % 2 === 0 ? "Bitcoin Discussion" : "Altcoin Discussion",
      text: `Post number ${i}`,
      // One post per hour back from now, so the newest ones render as "Today at".
      postedAt: new Date(NOW.getTime() - (count - i) * 3_600_000),
    });
    ids.push(post.messageId);
  }
  return { state, member, newestFirst: ids.reverse() };
}

describe("parsePostsPage", () => {
  it("reads 20 posts per page, newest first, with page navigation", () => {
    const { state, member, newestFirst } = forumWithHistory(45);
    const pages = [0, 20, 40].map((start) => parsePostsPage(renderPostHistory(state, member, start)));
    expect(pages.map((p) => p.page)).toEqual([
      { current: 1, last: 3 },
      { current: 2, last: 3 },
      { current: 3, last: 3 },
    ]);
    expect(pages.flatMap((p) => p.posts.map((post) => post.messageId))).toEqual(newestFirst);
  });

  it("reads topic, board, date (including Today) and own-text length, and skips the hidden decoy", () => {
    const { state, member } = forumWithHistory(3);
    const [newest, , oldest] = parsePostsPage(renderPostHistory(state, member, 0)).posts;
    expect(newest).toEqual({
      messageId: expect.any(Number),
      topicId: 502,
      boardName: "Bitcoin Discussion",
      postedAt: new Date("2024-05-13T14:42:49Z"),
      contentLength: "Post number 2".length,
    });
    expect(oldest.postedAt).toEqual(new Date("2024-05-13T12:42:49Z"));
    expect(parsePostsPage(renderPostHistory(state, member, 0)).posts).toHaveLength(3);
  });

  it("returns no posts for a member who never posted", () => {
    const state = createForumState({ now: () => NOW });
    const member = state.addMember({ id: 1, name: "lurker" });
    expect(parsePostsPage(renderPostHistory(state, member, 0))).toEqual({
      posts: [],
      page: { current: 1, last: 1 },
    });
  });
});
