// Shared plumbing for every Bitcointalk page parser: bytes -> text, DOM loading, dates, decoys.

import { isAscii, isUtf8 } from "node:buffer";
import type { AnyNode, Document, Element } from "domhandler";
import iconv from "iconv-lite";
import { closest, type DomRoot, findAll, tagClass, textOf } from "./dom-walk.ts";
import { parseHtml } from "./html-tree.ts";

const utf8 = new TextDecoder("utf-8");

/**
 * Decodes raw page bytes. The live forum declares ISO-8859-1 and sends windows-1252, but pages
 * saved by other tools (our fixtures among them) were re-encoded as UTF-8. Non-ASCII bytes that
 * form valid UTF-8 are read as UTF-8: windows-1252 text with accented letters almost never does
 * ("Espa\xf1ol" is not valid UTF-8). Anything else is windows-1252.
 */
export function decodePage(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isAscii(buffer)) return buffer.toString("latin1");
  if (isUtf8(buffer)) return utf8.decode(buffer);
  // windows-1252 equals Latin-1 outside 0x80-0x9F; Node's latin1 decoder is ~10x faster than iconv's.
  return hasC1Byte(buffer) ? iconv.decode(buffer, "windows-1252") : buffer.toString("latin1");
}

function hasC1Byte(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80 && bytes[i] <= 0x9f) return true;
  }
  return false;
}

/** A page ready for the parsers: the content DOM plus what the head tells us. */
export interface ForumPage {
  root: Document;
  /** Server time from the header; null on fragments. */
  headerNow: Date | null;
  hidden: HiddenClasses;
}

/**
 * Reads the header clock and hidden classes from the raw text, then builds a DOM of the content
 * area only (`div#bodyarea`): head scripts, CSS and footer are a third of a profile page.
 * htmlparser2 (not parse5) keeps the `<tr>` rows of row-only fragments and is faster.
 */
export function readPage(html: string): ForumPage {
  const body = html.indexOf('id="bodyarea"');
  // The clock and the inline <style> sit before the content area; no need to scan past it.
  const head = body === -1 ? html : html.slice(0, body);
  return {
    root: loadDom(contentArea(html, body)),
    headerNow: readHeaderClock(head),
    hidden: readHiddenClasses(head),
  };
}

/** Parses markup into a DOM with htmlparser2 semantics (the same tree, built faster). */
export function loadDom(html: string): Document {
  return parseHtml(html);
}

function contentArea(html: string, body: number): string {
  if (body === -1) return html;
  const start = html.lastIndexOf("<div", body);
  const footer = html.indexOf('id="footerarea"', body);
  const end = footer === -1 ? html.length : html.lastIndexOf("<div", footer);
  return html.slice(start === -1 ? body : start, end > body ? end : html.length);
}

const MONTHS: Record<string, number> = {
  january: 0,
  february: 1,
  march: 2,
  april: 3,
  may: 4,
  june: 5,
  july: 6,
  august: 7,
  september: 8,
  october: 9,
  november: 10,
  december: 11,
};

const ABSOLUTE_DATE = /^([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4}),\s*(\d{1,2}):(\d{2}):(\d{2})\s*([AP]M)$/i;
const RELATIVE_DATE = /^(Today|Yesterday)\s+at\s+(\d{1,2}):(\d{2}):(\d{2})\s*([AP]M)$/i;

function hours24(hour12: number, meridiem: string): number {
  const isPm = meridiem.toUpperCase() === "PM";
  return (hour12 % 12) + (isPm ? 12 : 0);
}

/**
 * Parses a forum date as shown to guests (always UTC). "Today"/"Yesterday" need the page's
 * header clock because the forum renders them relative to its own current day.
 */
export function parseForumDate(text: string, headerNow: Date | null): Date {
  const clean = text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^on:?\s*/i, "");
  const absolute = ABSOLUTE_DATE.exec(clean);
  if (absolute) {
    const month = MONTHS[absolute[1].toLowerCase()];
    if (month === undefined) throw new Error(`Unknown month in forum date: "${text}"`);
    const hour = hours24(Number(absolute[4]), absolute[7]);
    return new Date(
      Date.UTC(
        Number(absolute[3]),
        month,
        Number(absolute[2]),
        hour,
        Number(absolute[5]),
        Number(absolute[6]),
      ),
    );
  }
  const relative = RELATIVE_DATE.exec(clean);
  if (relative) {
    if (!headerNow) throw new Error(`Cannot resolve "${clean}" without the page header clock`);
    const dayShift = relative[1].toLowerCase() === "yesterday" ? -1 : 0;
    const hour = hours24(Number(relative[2]), relative[5]);
    return new Date(
      Date.UTC(
        headerNow.getUTCFullYear(),
        headerNow.getUTCMonth(),
        headerNow.getUTCDate() + dayShift,
        hour,
        Number(relative[3]),
        Number(relative[4]),
      ),
    );
  }
  throw new Error(`Unrecognised forum date: "${text}"`);
}

const HEADER_CLOCK = /<td class="titlebg2"[^>]*>\s*<span class="smalltext">([^<]+)<\/span>/;

/** Reads the server clock from the page header (`td.titlebg2 > span.smalltext`); null on fragments. */
export function readHeaderClock(html: string): Date | null {
  const text = HEADER_CLOCK.exec(html)?.[1];
  if (!text) return null;
  try {
    return parseForumDate(text, null);
  } catch {
    return null;
  }
}

export interface HiddenClasses {
  /** `.x {display:none}`: the element itself is hidden. */
  self: Set<string>;
  /** `.x table {display:none}`: tables inside it are hidden (the ad row that wraps a decoy post). */
  tables: Set<string>;
}

const HIDDEN_RULE = /\.([A-Za-z_][\w-]*)(\s+table)?\s*\{\s*display\s*:\s*none\s*(?:!important\s*)?;?\s*\}/g;

/** Collects the random anti-adblock class names that the page's inline `<style>` hides. */
export function readHiddenClasses(html: string): HiddenClasses {
  const hidden: HiddenClasses = { self: new Set(), tables: new Set() };
  for (const style of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) {
    const css = withoutMediaBlocks(style[1]);
    for (const match of css.matchAll(HIDDEN_RULE)) {
      (match[2] ? hidden.tables : hidden.self).add(match[1]);
    }
  }
  return hidden;
}

/** Rules inside `@media` only apply to some screens (e.g. banners hidden on phones): not decoys. */
function withoutMediaBlocks(css: string): string {
  let out = "";
  let cursor = 0;
  for (let at = css.indexOf("@media", cursor); at !== -1; at = css.indexOf("@media", cursor)) {
    out += css.slice(cursor, at);
    let i = css.indexOf("{", at);
    if (i === -1) return out;
    let depth = 0;
    for (; i < css.length; i++) {
      if (css[i] === "{") depth++;
      else if (css[i] === "}" && --depth === 0) break;
    }
    cursor = i + 1;
  }
  return out + css.slice(cursor);
}

/** True when CSS from the page would hide this element (decoy rows live in such containers). */
export function isHiddenByStyle(el: Element, hidden: HiddenClasses): boolean {
  if (hidden.self.size === 0 && hidden.tables.size === 0) return false;
  let insideTable = false;
  const hides = (node: Element) => {
    for (const cls of (node.attribs.class ?? "").split(/\s+/)) {
      if (hidden.self.has(cls) || (insideTable && hidden.tables.has(cls))) return true;
    }
    if (node.name === "table") insideTable = true;
    return false;
  };
  return closest(el, hides) !== null;
}

/** Decoy posts reuse the page's Unix time as every id; a real id never equals it. */
export function isDecoyId(id: number, headerNow: Date | null): boolean {
  return headerNow !== null && id === Math.floor(headerNow.getTime() / 1000);
}

const BLOCK_TAGS = new Set(["br", "div", "p", "tr", "td", "li", "table", "hr", "ul", "ol", "blockquote"]);

/**
 * Visible text of a post body with quotes removed and whitespace collapsed. Block elements and
 * `<br>` count as word breaks so "a<br>b" reads "a b", as a reader sees it.
 */
export function bodyText(el: Element): string {
  const parts: string[] = [];
  collectText(el.children, parts);
  return parts.join("").replace(/\s+/g, " ").trim();
}

function collectText(nodes: AnyNode[], parts: string[]): void {
  for (const node of nodes) {
    if (node.type === "text") {
      parts.push(node.data);
    } else if (node.type === "tag") {
      const cls = node.attribs.class ?? "";
      if (node.name === "div" && /\bquote(header)?\b/.test(cls)) continue;
      const isBlock = BLOCK_TAGS.has(node.name);
      if (isBlock) parts.push(" ");
      collectText(node.children, parts);
      if (isBlock) parts.push(" ");
    }
  }
}

/** Counts user-perceived characters (code points), so an emoji is one, not two UTF-16 units. */
export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Extracts the first integer captured by `pattern` from a string, or null. */
export function matchInt(text: string | undefined, pattern: RegExp): number | null {
  if (!text) return null;
  const m = pattern.exec(text);
  return m ? Number(m[1]) : null;
}

export interface PageInfo {
  current: number;
  /** Null when the page carries no navigation (row-only fragments). */
  last: number | null;
}

/** Reads `Pages: 1 ... 620 [621]` navigation: the bold number is current, the largest is last. */
export function readPageNav(root: DomRoot, isNavCell: (el: Element) => boolean): PageInfo | null {
  return readPageNavIn(findAll(root, isNavCell));
}

/** `readPageNav` over candidate cells a parser already collected in its own walk. */
export function readPageNavIn(cells: Element[]): PageInfo | null {
  const cell = cells.find((el) => textOf(el).includes("Pages:"));
  if (!cell) return null;
  let current: number | null = null;
  let last = 0;
  for (const el of findAll(cell, (e) => e.name === "b" || tagClass("a", "navPages")(e))) {
    const n = Number(textOf(el).trim());
    if (!Number.isInteger(n) || n <= 0) continue;
    if (el.name === "b") current = n;
    last = Math.max(last, n);
  }
  return current === null ? null : { current, last };
}
