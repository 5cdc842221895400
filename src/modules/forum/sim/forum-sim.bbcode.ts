// BBCode -> forum HTML, the subset members use in posts and signatures, rendered like SMF 1.1.
import { escapeHtml } from "./forum-sim.layout.ts";

type BbNode = { kind: "text"; text: string } | { kind: "tag"; name: string; arg: string; children: BbNode[] };

const TAG = /\[(\/?)([a-z]+)(?:=("?)([^\]"]*)\3)?([^\]]*)\]/gi;
const SUPPORTED = new Set([
  "b",
  "i",
  "u",
  "s",
  "center",
  "color",
  "size",
  "url",
  "iurl",
  "img",
  "quote",
  "code",
]);

/** Renders BBCode to the HTML the forum would serve (escaped, auto-linked, newlines as `<br />`). */
export function renderBbcode(source: string): string {
  return renderNodes(parse(source), { inLink: false, inCode: false });
}

function parse(source: string): BbNode[] {
  const root: BbNode[] = [];
  const stack: { name: string; arg: string; children: BbNode[]; raw: string }[] = [];
  const current = () => (stack.length > 0 ? stack[stack.length - 1].children : root);
  let cursor = 0;

  for (const match of source.matchAll(TAG)) {
    const [raw, closing, rawName, , arg = "", extra] = match;
    const name = rawName.toLowerCase();
    if (!SUPPORTED.has(name)) continue;
    pushText(current(), source.slice(cursor, match.index));
    cursor = match.index + raw.length;
    if (!closing) {
      // `[quote author=x link=... date=...]` keeps its attributes in `extra`.
      stack.push({ name, arg: arg || extra.trim(), children: [], raw });
      continue;
    }
    const openAt = stack.map((s) => s.name).lastIndexOf(name);
    if (openAt === -1) {
      pushText(current(), raw);
      continue;
    }
    while (stack.length > openAt + 1) unwind(stack, current);
    const open = stack.pop()!;
    current().push({ kind: "tag", name, arg: open.arg, children: open.children });
  }
  pushText(current(), source.slice(cursor));
  while (stack.length > 0) unwind(stack, current);
  return root;
}

/** An unclosed tag is shown literally, as the forum does. */
function unwind(stack: { raw: string; children: BbNode[] }[], current: () => BbNode[]): void {
  const open = stack.pop()!;
  pushText(current(), open.raw);
  current().push(...open.children);
}

function pushText(into: BbNode[], text: string): void {
  if (text) into.push({ kind: "text", text });
}

interface RenderContext {
  inLink: boolean;
  inCode: boolean;
}

function renderNodes(nodes: BbNode[], ctx: RenderContext): string {
  return nodes
    .map((node) => (node.kind === "text" ? renderText(node.text, ctx) : renderTag(node, ctx)))
    .join("");
}

const BARE_URL = /\b(?:https?:\/\/|www\.)[^\s[\]<>"]+/gi;

function renderText(text: string, ctx: RenderContext): string {
  if (ctx.inLink || ctx.inCode) return escapeHtml(text).replace(/\n/g, "<br />");
  let out = "";
  let cursor = 0;
  for (const match of text.matchAll(BARE_URL)) {
    const url = match[0].replace(/[.,;:!?)]+$/, "");
    out += escapeHtml(text.slice(cursor, match.index));
    const href = url.startsWith("www.") ? `http://${url}` : url;
    out += `<a class="ul" href="${escapeHtml(href)}">${escapeHtml(url)}</a>`;
    cursor = match.index + url.length;
  }
  out += escapeHtml(text.slice(cursor));
  return out.replace(/\n/g, "<br />");
}

function plainText(nodes: BbNode[]): string {
  return nodes.map((n) => (n.kind === "text" ? n.text : plainText(n.children))).join("");
}

function renderTag(node: Extract<BbNode, { kind: "tag" }>, ctx: RenderContext): string {
  const inner = () => renderNodes(node.children, ctx);
  switch (node.name) {
    case "b":
      return `<b>${inner()}</b>`;
    case "i":
      return `<i>${inner()}</i>`;
    case "u":
      return `<span style="text-decoration: underline;">${inner()}</span>`;
    case "s":
      return `<del>${inner()}</del>`;
    case "center":
      return `<div align="center">${inner()}</div>`;
    case "color":
      return `<span style="color: ${escapeHtml(node.arg)};">${inner()}</span>`;
    case "size":
      return `<span style="font-size: ${escapeHtml(node.arg)} !important; line-height: 1.3em;">${inner()}</span>`;
    case "url":
    case "iurl": {
      const target = (node.arg || plainText(node.children)).trim();
      const href = target.startsWith("www.") ? `http://${target}` : target;
      const label = node.arg ? renderNodes(node.children, { ...ctx, inLink: true }) : escapeHtml(target);
      return `<a class="ul" href="${escapeHtml(href)}">${label}</a>`;
    }
    case "img":
      return `<img class="userimg" src="${proxiedImage(plainText(node.children).trim())}" alt="" border="0" />`;
    case "code":
      return `<div class="codeheader">Code:</div><div class="code">${renderNodes(node.children, { ...ctx, inCode: true })}</div>`;
    case "quote":
      return `<div class="quoteheader">${quoteHeader(node.arg)}</div><div class="quote">${inner()}</div>`;
    default:
      return inner();
  }
}

/** Images go through the forum's proxy, as on the live forum since 2015. */
function proxiedImage(src: string): string {
  const token = Buffer.from(src).toString("base64url").slice(0, 14);
  return escapeHtml(`https://ip.bitcointalk.org/?u=${encodeURIComponent(src)}&t=${src.length}&c=${token}`);
}

function quoteHeader(arg: string): string {
  const author =
    /author=([^\]]+?)(?:\s+link=|\s+date=|$)/.exec(arg)?.[1] ?? (arg && !arg.includes("=") ? arg : "");
  return author ? `Quote from: ${escapeHtml(author)}` : "Quote";
}
