// HTTP front of the forum simulator: forum pages on /index.php, a JSON control API on /_sim/*.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  cloudflarePage,
  forumErrorPage,
  PROFILE_NOT_FOUND,
  type SimResponse,
  serverErrorPage,
  TOPIC_NOT_FOUND,
  tooFastPage,
} from "./forum-sim.error-pages.ts";
import { encodeWindows1252 } from "./forum-sim.layout.ts";
import { renderPostHistory, renderProfile } from "./forum-sim.profile-page.ts";
import { MAX_SIGNATURE_CHARS, renderSignatureEditor } from "./forum-sim.signature-page.ts";
import {
  type Clock,
  createForumState,
  type FaultMode,
  type ForumState,
  SimInputError,
  systemClock,
} from "./forum-sim.state.ts";
import { renderTopic } from "./forum-sim.topic-page.ts";

export interface ForumSimOptions {
  clock?: Clock;
}

export interface ForumSim {
  server: Server;
  state: ForumState;
  members: ForumState["members"];
  /** Starts listening; port 0 picks a free port. Resolves with the base URL. */
  listen(port: number, host?: string): Promise<{ url: string }>;
  /** Stops the server, dropping connections that a `timeout` fault left hanging. */
  close(): Promise<void>;
  addMember: ForumState["addMember"];
  updateMember: ForumState["updateMember"];
  addPost: ForumState["addPost"];
  deletePost: ForumState["deletePost"];
  setFault: ForumState["setFault"];
}

/** Creates an in-memory Bitcointalk that serves real-looking pages, not yet listening. */
export function createForumSim(options: ForumSimOptions = {}): ForumSim {
  const state = createForumState(options.clock ?? systemClock);
  const server = createServer((req, res) => {
    handle(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    });
  });

  return {
    server,
    state,
    members: state.members,
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve({ url: `http://${shownHost}:${address.port}` });
        });
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
    addMember: state.addMember,
    updateMember: state.updateMember,
    addPost: state.addPost,
    deletePost: state.deletePost,
    setFault: state.setFault,
  };
}

async function handle(state: ForumState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://sim.local");
  if (url.pathname.startsWith("/_sim/")) return handleControl(state, req, res, url.pathname);
  if (url.pathname !== "/index.php" && url.pathname !== "/")
    return sendJson(res, 404, { error: "not found" });
  if (req.method === "POST") return saveSignature(state, req, res, parseForumQuery(url.search));
  if (req.method !== "GET" && req.method !== "HEAD")
    return sendJson(res, 405, { error: "method not allowed" });

  const fault = state.takeFault();
  // A hung request: never answer, so the client's own timeout is what ends it.
  if (fault === "timeout") return;
  const page = faultPage(state, fault) ?? routePage(state, parseForumQuery(url.search));
  sendPage(res, fault === "truncated" ? truncated(page) : page);
}

function faultPage(state: ForumState, fault: FaultMode): SimResponse | null {
  switch (fault) {
    case "error500":
      return serverErrorPage();
    case "cloudflare":
      return cloudflarePage();
    case "too-fast":
      return tooFastPage();
    case "not-found":
      return forumErrorPage(state.clock.now(), PROFILE_NOT_FOUND);
    default:
      return null;
  }
}

/**
 * A post list (history or topic page) as a forum that died mid-render sends it: a complete 200
 * response whose HTML stops just before the last post, after the navigation. Other pages come whole.
 */
function truncated(page: SimResponse): SimResponse {
  const lastPost = page.html.lastIndexOf('<div class="post">');
  return lastPost === -1 ? page : { ...page, html: page.html.slice(0, lastPost) };
}

/** Bitcointalk separates parameters with `;` as well as `&` (`action=profile;u=12;sa=showPosts`). */
function parseForumQuery(search: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of search.replace(/^\?/, "").split(/[;&]/)) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = decodeURIComponent(eq === -1 ? part : part.slice(0, eq));
    params.set(key, eq === -1 ? "" : decodeURIComponent(part.slice(eq + 1)));
  }
  return params;
}

function routePage(state: ForumState, params: Map<string, string>): SimResponse {
  const now = state.clock.now();
  const topicParam = params.get("topic");
  if (topicParam !== undefined) {
    const m = /^(\d+)(?:\.(?:msg(\d+)|(\d+)))?/.exec(topicParam);
    const topic = m ? state.topics.get(Number(m[1])) : undefined;
    if (!m || !topic) return forumErrorPage(now, TOPIC_NOT_FOUND);
    const msgId = m[2] ? Number(m[2]) : undefined;
    return { status: 200, html: renderTopic(state, topic, Number(m[3] ?? 0), msgId) };
  }
  if (params.get("action") === "profile") {
    const member = state.members.get(Number(params.get("u")));
    if (!member) return forumErrorPage(now, PROFILE_NOT_FOUND);
    if (params.get("sa") === "forumProfile")
      return { status: 200, html: renderSignatureEditor(state, member, false) };
    if (params.get("sa") === "showPosts") {
      const start = Number(params.get("start") ?? 0);
      return { status: 200, html: renderPostHistory(state, member, Number.isFinite(start) ? start : 0) };
    }
    return { status: 200, html: renderProfile(state, member) };
  }
  return forumErrorPage(now, "The simulator serves profiles, post histories and topics only.");
}

/**
 * The signature form's POST (`action=profile;u=N;sa=forumProfile`, form-encoded `signature`):
 * stores it and answers with the form again, saved. Any other POST to the pages: 405.
 */
async function saveSignature(
  state: ForumState,
  req: IncomingMessage,
  res: ServerResponse,
  params: Map<string, string>,
): Promise<void> {
  if (params.get("action") !== "profile" || params.get("sa") !== "forumProfile")
    return sendJson(res, 405, { error: "method not allowed" });
  const member = state.members.get(Number(params.get("u")));
  if (!member) return sendPage(res, forumErrorPage(state.clock.now(), PROFILE_NOT_FOUND));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_SIGNATURE_CHARS * 12) return sendJson(res, 413, { error: "signature too long" });
    chunks.push(chunk as Buffer);
  }
  const signature = (new URLSearchParams(Buffer.concat(chunks).toString("utf8")).get("signature") ?? "")
    .replace(/\r\n/g, "\n")
    .slice(0, MAX_SIGNATURE_CHARS);
  state.updateMember(member.id, { signature: signature.trim() ? signature : null });
  sendPage(res, { status: 200, html: renderSignatureEditor(state, member, true) });
}

function sendPage(res: ServerResponse, page: SimResponse): void {
  const body = encodeWindows1252(page.html);
  res.writeHead(page.status, {
    "content-type": "text/html; charset=ISO-8859-1",
    "content-length": body.length,
    ...page.headers,
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (status === 204) {
    res.writeHead(204).end();
    return;
  }
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SimInputError("body must be JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SimInputError("body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

async function handleControl(state: ForumState, req: IncomingMessage, res: ServerResponse, path: string) {
  try {
    const result = await routeControl(state, req, path);
    sendJson(res, result.status, result.body);
  } catch (error) {
    if (error instanceof SimInputError) return sendJson(res, error.status, { error: error.message });
    throw error;
  }
}

async function routeControl(
  state: ForumState,
  req: IncomingMessage,
  path: string,
): Promise<{ status: number; body: unknown }> {
  const method = req.method ?? "GET";
  const memberMatch = /^\/_sim\/members\/(\d+)$/.exec(path);
  const postMatch = /^\/_sim\/posts\/(\d+)$/.exec(path);

  if (method === "GET" && path === "/_sim/state") return { status: 200, body: snapshot(state) };
  if (method === "POST" && path === "/_sim/members") {
    const body = await readJson(req);
    const member = state.addMember({
      id: asInt(body.id, "id"),
      name: asString(body.name, "name"),
      position: optional(body.position, asString, "position"),
      signature: body.signature === null ? null : optional(body.signature, asString, "signature"),
      merit: optional(body.merit, asInt, "merit"),
    });
    return { status: 201, body: member };
  }
  if (method === "PATCH" && memberMatch) {
    const body = await readJson(req);
    const member = state.updateMember(Number(memberMatch[1]), {
      position: optional(body.position, asString, "position"),
      signature: body.signature === null ? null : optional(body.signature, asString, "signature"),
      merit: optional(body.merit, asInt, "merit"),
    });
    return { status: 200, body: member };
  }
  if (method === "POST" && path === "/_sim/posts") {
    const body = await readJson(req);
    const postedAt = optional(body.postedAt, asString, "postedAt");
    const date = postedAt === undefined ? undefined : new Date(postedAt);
    if (date && Number.isNaN(date.getTime())) throw new SimInputError("postedAt must be an ISO 8601 date");
    const post = state.addPost({
      memberId: asInt(body.memberId, "memberId"),
      topicId: asInt(body.topicId, "topicId"),
      boardName: optional(body.boardName, asString, "boardName"),
      subject: optional(body.subject, asString, "subject"),
      text: asString(body.text, "text"),
      postedAt: date,
    });
    return { status: 201, body: { messageId: post.messageId } };
  }
  if (method === "DELETE" && postMatch) {
    state.deletePost(Number(postMatch[1]));
    return { status: 204, body: null };
  }
  if (method === "POST" && path === "/_sim/faults") {
    const body = await readJson(req);
    state.setFault(asString(body.mode, "mode") as FaultMode, optional(body.count, asInt, "count") ?? 1);
    return { status: 200, body: state.faultStatus() };
  }
  throw new SimInputError(`no route for ${method} ${path}`, 404);
}

function snapshot(state: ForumState) {
  return {
    now: state.clock.now().toISOString(),
    members: [...state.members.values()],
    topics: [...state.topics.values()],
    posts: [...state.posts.values()],
    fault: state.faultStatus(),
  };
}

function asString(value: unknown, field: string): string {
  if (typeof value !== "string") throw new SimInputError(`${field} must be a string`);
  return value;
}

function asInt(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new SimInputError(`${field} must be an integer`);
  return value;
}

function optional<T>(value: unknown, read: (v: unknown, field: string) => T, field: string): T | undefined {
  return value === undefined ? undefined : read(value, field);
}
