// In-memory forum data for the simulator: members, topics, posts and pending faults.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface SimMember {
  id: number;
  name: string;
  position: string;
  /** Signature as BBCode, the way a member types it; null when empty. */
  signature: string | null;
  merit: number;
  registeredAt: Date;
}

export interface SimTopic {
  id: number;
  subject: string;
  boardId: number;
  boardName: string;
}

export interface SimPost {
  messageId: number;
  memberId: number;
  topicId: number;
  /** Body as BBCode. */
  text: string;
  postedAt: Date;
}

export const FAULT_MODES = [
  "none",
  "error500",
  "timeout",
  "cloudflare",
  "too-fast",
  "not-found",
  "truncated",
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** A bad control-API request; the server answers 400 (or `status`) with the message. */
export class SimInputError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface NewMember {
  id: number;
  name: string;
  position?: string;
  signature?: string | null;
  merit?: number;
}

export interface MemberPatch {
  position?: string;
  signature?: string | null;
  merit?: number;
}

export interface NewPost {
  memberId: number;
  topicId: number;
  boardName?: string;
  subject?: string;
  text: string;
  postedAt?: Date;
}

const DEFAULT_BOARD = "Bitcoin Discussion";
// Real ids for the common boards so generated links look like the forum's.
const KNOWN_BOARDS: Record<string, number> = {
  "Bitcoin Discussion": 1,
  "Development & Technical Discussion": 6,
  Economics: 7,
  "Off-topic": 24,
  "Altcoin Discussion": 67,
  "Service Announcements": 85,
};
const FIRST_MESSAGE_ID = 60_000_001;

export type ForumState = ReturnType<typeof createForumState>;

/** Creates empty forum data whose "now" comes from `clock`. */
export function createForumState(clock: Clock) {
  const members = new Map<number, SimMember>();
  const topics = new Map<number, SimTopic>();
  const posts = new Map<number, SimPost>();
  const boards = new Map<string, number>(Object.entries(KNOWN_BOARDS));
  let nextMessageId = FIRST_MESSAGE_ID;
  let nextBoardId = 300;
  const fault = { mode: "none" as FaultMode, remaining: 0 };

  function boardIdFor(name: string): number {
    let id = boards.get(name);
    if (id === undefined) {
      id = nextBoardId++;
      boards.set(name, id);
    }
    return id;
  }

  return {
    clock,
    members,
    topics,
    posts,

    addMember(input: NewMember): SimMember {
      if (!Number.isInteger(input.id) || input.id <= 0)
        throw new SimInputError("id must be a positive integer");
      if (typeof input.name !== "string" || input.name.trim() === "")
        throw new SimInputError("name is required");
      if (members.has(input.id)) throw new SimInputError(`member ${input.id} already exists`, 409);
      const member: SimMember = {
        id: input.id,
        name: input.name.trim(),
        position: input.position ?? "Newbie",
        signature: input.signature ?? null,
        merit: input.merit ?? 0,
        registeredAt: clock.now(),
      };
      members.set(member.id, member);
      return member;
    },

    updateMember(id: number, patch: MemberPatch): SimMember {
      const member = members.get(id);
      if (!member) throw new SimInputError(`member ${id} not found`, 404);
      if (patch.position !== undefined) member.position = patch.position;
      if (patch.signature !== undefined) member.signature = patch.signature;
      if (patch.merit !== undefined) member.merit = patch.merit;
      return member;
    },

    addPost(input: NewPost): SimPost {
      if (!members.has(input.memberId)) throw new SimInputError(`member ${input.memberId} not found`, 404);
      if (!Number.isInteger(input.topicId) || input.topicId <= 0) {
        throw new SimInputError("topicId must be a positive integer");
      }
      if (typeof input.text !== "string") throw new SimInputError("text is required");
      if (!topics.has(input.topicId)) {
        const boardName = input.boardName ?? DEFAULT_BOARD;
        topics.set(input.topicId, {
          id: input.topicId,
          subject: input.subject ?? `Simulated topic ${input.topicId}`,
          boardId: boardIdFor(boardName),
          boardName,
        });
      }
      const post: SimPost = {
        messageId: nextMessageId++,
        memberId: input.memberId,
        topicId: input.topicId,
        text: input.text,
        postedAt: input.postedAt ?? clock.now(),
      };
      posts.set(post.messageId, post);
      return post;
    },

    deletePost(messageId: number): void {
      if (!posts.delete(messageId)) throw new SimInputError(`post ${messageId} not found`, 404);
    },

    /** Posts of a topic in reading order (oldest first), as the topic pages number them. */
    topicPosts(topicId: number): SimPost[] {
      return [...posts.values()].filter((p) => p.topicId === topicId).sort(byTimeThenId);
    },

    /** A member's posts newest first, as the post history lists them. */
    memberPosts(memberId: number): SimPost[] {
      return [...posts.values()]
        .filter((p) => p.memberId === memberId)
        .sort(byTimeThenId)
        .reverse();
    },

    setFault(mode: FaultMode, count = 1): void {
      if (!FAULT_MODES.includes(mode))
        throw new SimInputError(`mode must be one of ${FAULT_MODES.join(", ")}`);
      if (!Number.isInteger(count) || count < 0)
        throw new SimInputError("count must be a non-negative integer");
      fault.mode = mode;
      fault.remaining = mode === "none" ? 0 : count;
    },

    /** Consumes one pending fault for a page request, if any. */
    takeFault(): FaultMode {
      if (fault.mode === "none" || fault.remaining <= 0) return "none";
      fault.remaining--;
      const mode = fault.mode;
      if (fault.remaining === 0) fault.mode = "none";
      return mode;
    },

    faultStatus(): { mode: FaultMode; remaining: number } {
      return { ...fault };
    },
  };
}

function byTimeThenId(a: SimPost, b: SimPost): number {
  return a.postedAt.getTime() - b.postedAt.getTime() || a.messageId - b.messageId;
}
