// A fast HTML -> domhandler tree builder that reproduces htmlparser2's `parseDocument` (HTML mode,
// default options) node for node. htmlparser2 feeds every character through a state machine and
// a callback chain; here text, attribute values and raw-text elements are found with indexOf
// and sliced, which makes parsing a 100 KB topic page several times faster. html-tree.test.ts
// checks the trees are identical to htmlparser2's on every real fixture and on generated markup.
import { Comment, Document, Element, type ParentNode, ProcessingInstruction, Text } from "domhandler";
import { decodeHTML, decodeHTMLAttribute } from "entities";

// htmlparser2's Parser tables (HTML mode).
const P = new Set(["p"]);
const FORM = new Set(["input", "option", "optgroup", "select", "button", "datalist", "textarea"]);
const DDT = new Set(["dd", "dt"]);
const RTP = new Set(["rt", "rp"]);
const TABLE_SECTION = new Set(["thead", "tbody"]);
const OPEN_IMPLIES_CLOSE = new Map<string, Set<string>>([
  ["tr", new Set(["tr", "th", "td"])],
  ["th", new Set(["th"])],
  ["td", new Set(["thead", "th", "td"])],
  ["body", new Set(["head", "link", "script"])],
  ["li", new Set(["li"])],
  ["option", new Set(["option"])],
  ["optgroup", new Set(["optgroup", "option"])],
  ["dd", DDT],
  ["dt", DDT],
  ["rt", RTP],
  ["rp", RTP],
  ["tbody", TABLE_SECTION],
  ["tfoot", TABLE_SECTION],
  ...["select", "input", "output", "button", "datalist", "textarea"].map((t): [string, Set<string>] => [
    t,
    FORM,
  ]),
  ...[
    "p",
    ...["h1", "h2", "h3", "h4", "h5", "h6", "address", "article", "aside", "blockquote", "details"],
    ...["div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "main"],
    ...["nav", "ol", "pre", "section", "table", "ul"],
  ].map((t): [string, Set<string>] => [t, P]),
]);
const VOID = new Set(
  "area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr".split(
    " ",
  ),
);
const FOREIGN = new Set(["math", "svg"]);
const HTML_INTEGRATION = new Set([
  "mi",
  "mo",
  "mn",
  "ms",
  "mtext",
  "annotation-xml",
  "foreignobject",
  "desc",
  "title",
]);
/** Elements whose content is raw text up to `</name`; only <title> decodes entities inside. */
const RAW_TEXT_END = new Map(
  ["script", "style", "title", "textarea", "xmp"].map((t) => [t, new RegExp(`</${t}[\\t\\n\\f\\r >]`, "gi")]),
);

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 12 || c === 13;
const isAlpha = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
/** Ends a tag or attribute name: whitespace, `/` or `>`. */
const endsName = (c: number) => isSpace(c) || c === 47 || c === 62;

class TreeBuilder {
  readonly root = new Document([]);
  private readonly open: Element[] = [];
  private readonly foreign: boolean[] = [false];
  private lastText: Text | null = null;

  private parent(): ParentNode {
    return this.open.length > 0 ? this.open[this.open.length - 1] : this.root;
  }

  private append(node: Element | Text | Comment | ProcessingInstruction): void {
    const parent = this.parent();
    const prev = parent.children[parent.children.length - 1];
    if (prev) {
      node.prev = prev;
      prev.next = node;
    }
    node.parent = parent;
    parent.children.push(node);
    this.lastText = null;
  }

  text(data: string): void {
    if (data === "") return;
    if (this.lastText) {
      this.lastText.data += data;
      return;
    }
    const node = new Text(data);
    this.append(node);
    this.lastText = node;
  }

  comment(data: string): void {
    this.append(new Comment(data));
  }

  instruction(prefix: "!" | "?", value: string): void {
    const end = value.search(/\s|\//);
    const name = (end < 0 ? value : value.slice(0, end)).toLowerCase();
    this.append(new ProcessingInstruction(`${prefix}${name}`, `${prefix}${value}`));
  }

  private pop(): void {
    this.open.pop();
    this.lastText = null;
  }

  openTag(name: string, attribs: Record<string, string>, selfClosing: boolean): void {
    const implied = OPEN_IMPLIES_CLOSE.get(name);
    if (implied) {
      while (this.open.length > 0 && implied.has(this.open[this.open.length - 1].name)) this.pop();
    }
    const isVoid = VOID.has(name);
    if (!isVoid) {
      if (FOREIGN.has(name)) this.foreign.push(true);
      else if (HTML_INTEGRATION.has(name)) this.foreign.push(false);
    }
    const element = new Element(name, attribs);
    this.append(element);
    if (isVoid) {
      this.lastText = null;
      return;
    }
    this.open.push(element);
    // In HTML `<div/>` opens a div; only inside svg/math does `/>` close the element.
    if (selfClosing && this.foreign[this.foreign.length - 1]) this.pop();
  }

  closeTag(name: string): void {
    if (FOREIGN.has(name) || HTML_INTEGRATION.has(name)) this.foreign.pop();
    if (VOID.has(name)) {
      if (name === "br") this.openTag("br", {}, false);
      return;
    }
    for (let i = this.open.length - 1; i >= 0; i--) {
      if (this.open[i].name !== name) continue;
      while (this.open.length > i) this.pop();
      return;
    }
    if (name === "p") {
      this.openTag("p", {}, false);
      this.pop();
    }
  }
}

/** Parses HTML into a domhandler Document exactly as htmlparser2's `parseDocument(html)` does. */
export function parseHtml(html: string): Document {
  const tree = new TreeBuilder();
  const n = html.length;
  let textStart = 0;
  let i = 0;
  const flushText = (end: number) => {
    if (end > textStart) {
      const raw = html.slice(textStart, end);
      tree.text(raw.includes("&") ? decodeHTML(raw) : raw);
    }
  };
  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt === -1 || lt + 1 >= n) break;
    const c = html.charCodeAt(lt + 1);
    if (isAlpha(c)) {
      const end = readOpenTag(html, lt, tree, flushText);
      if (end < 0) {
        flushText(lt);
        if (end === -2) tree.text(html.slice(-1));
        return tree.root;
      }
      i = textStart = end;
    } else if (c === 47 /* / */) {
      let p = lt + 2;
      while (p < n && isSpace(html.charCodeAt(p))) p++;
      if (p >= n) break;
      const first = html.charCodeAt(p);
      const gt = html.indexOf(">", p);
      if (first === 62) {
        i = p + 1; // `</>` stays in the text
        continue;
      }
      if (!isAlpha(first)) {
        flushText(lt);
        if (gt === -1) {
          tree.text(html.slice(p));
          return tree.root;
        }
        tree.comment(html.slice(p, gt));
        i = textStart = gt + 1;
        continue;
      }
      let q = p;
      while (q < n && !isSpace(html.charCodeAt(q)) && html.charCodeAt(q) !== 62) q++;
      flushText(lt);
      if (q >= n) return tree.root; // cut off inside the name: dropped
      tree.closeTag(html.slice(p, q).toLowerCase());
      if (gt === -1) return endsAfterCloseTag(html, tree);
      i = textStart = gt + 1;
    } else if (c === 33 /* ! */) {
      flushText(lt);
      i = textStart = readBang(html, lt, tree);
    } else if (c === 63 /* ? */) {
      const gt = html.indexOf(">", lt + 2);
      flushText(lt);
      if (gt === -1) {
        tree.text(html.slice(lt + 2));
        return tree.root;
      }
      tree.instruction("?", html.slice(lt + 2, gt));
      i = textStart = gt + 1;
    } else {
      i = lt + 1; // a lone `<` is text
    }
  }
  flushText(n);
  return tree.root;
}

/** htmlparser2 quirk: input ending after `</a ` (no `>`) leaves its last character as text. */
function endsAfterCloseTag(html: string, tree: TreeBuilder): Document {
  tree.text(html.slice(-1));
  return tree.root;
}

/** `<!-- comment -->`, `<![CDATA[..]]>` (a comment in HTML mode) or `<!DOCTYPE ..>`; returns the index after it. */
function readBang(html: string, lt: number, tree: TreeBuilder): number {
  const n = html.length;
  if (html.startsWith("--", lt + 2)) {
    const close = html.indexOf("-->", lt + 2);
    if (close === -1) {
      if (n > lt + 4) tree.comment(html.slice(lt + 4));
      return n;
    }
    tree.comment(close > lt + 4 ? html.slice(lt + 4, close) : "");
    return close + 3;
  }
  if (html.startsWith("[CDATA[", lt + 2)) {
    const close = html.indexOf("]]>", lt + 9);
    if (close === -1) {
      if (n > lt + 9) tree.comment(`[CDATA[${html.slice(lt + 9)}]]`);
      return n;
    }
    tree.comment(`[CDATA[${html.slice(lt + 9, close)}]]`);
    return close + 3;
  }
  // The tokenizer consumes the character after `<!` (and after `<!-`) before looking for `>`.
  const gt = html.indexOf(">", html.charCodeAt(lt + 2) === 45 ? lt + 4 : lt + 3);
  if (gt === -1) {
    tree.text(html.slice(lt + 2));
    return n;
  }
  tree.instruction("!", html.slice(lt + 2, gt));
  return gt + 1;
}

/**
 * Reads `<name attr=value ...>` at `lt` (then the raw text of script/style/title/textarea/xmp),
 * and returns the index after it, or -1 (-2, see below) when the input ends inside the tag.
 */
function readOpenTag(html: string, lt: number, tree: TreeBuilder, flushText: (end: number) => void): number {
  const n = html.length;
  let p = lt + 1;
  while (p < n && !endsName(html.charCodeAt(p))) p++;
  if (p >= n) return -1;
  const name = lower(html.slice(lt + 1, p));
  const attribs: Record<string, string> = {};
  let selfClosing = false;
  for (;;) {
    // `/` before `>` marks `<br/>`-style tags; whitespace between them does not undo it.
    for (; p < n && (isSpace(html.charCodeAt(p)) || html.charCodeAt(p) === 47); p++) {
      if (html.charCodeAt(p) === 47) selfClosing = true;
    }
    // htmlparser2 quirk: input ending in `<a/` or `<a/ ` leaves its last character as text.
    if (p >= n) return selfClosing ? -2 : -1;
    if (html.charCodeAt(p) === 62) break;
    // An attribute name runs to `=`, whitespace, `/` or `>` (its first character may be `=`).
    selfClosing = false;
    const nameStart = p++;
    while (p < n && html.charCodeAt(p) !== 61 && !endsName(html.charCodeAt(p))) p++;
    const attr = lower(html.slice(nameStart, p));
    while (p < n && isSpace(html.charCodeAt(p))) p++;
    if (p >= n) return -1;
    let value = "";
    if (html.charCodeAt(p) === 61) {
      p++;
      while (p < n && isSpace(html.charCodeAt(p))) p++;
      if (p >= n) return -1;
      const quote = html.charCodeAt(p);
      if (quote === 34 || quote === 39) {
        const close = html.indexOf(quote === 34 ? '"' : "'", p + 1);
        if (close === -1) return -1;
        value = html.slice(p + 1, close);
        p = close + 1;
      } else {
        const start = p;
        while (p < n && !isSpace(html.charCodeAt(p)) && html.charCodeAt(p) !== 62) p++;
        if (p >= n) return -1;
        value = html.slice(start, p);
      }
      if (value.includes("&")) value = decodeHTMLAttribute(value);
    }
    // The first of duplicate attributes wins; the cheap check first, `hasOwn` for "constructor" and co.
    if (attribs[attr] === undefined || !Object.hasOwn(attribs, attr)) attribs[attr] = value;
  }
  flushText(lt);
  tree.openTag(name, attribs, selfClosing);
  const end = p + 1;
  const rawEnd = selfClosing ? undefined : RAW_TEXT_END.get(name);
  if (!rawEnd) return end;
  rawEnd.lastIndex = end;
  const close = rawEnd.exec(html);
  if (!close) {
    tree.text(name === "title" ? decodeHTML(html.slice(end)) : html.slice(end));
    return n;
  }
  const raw = html.slice(end, close.index);
  tree.text(name === "title" && raw.includes("&") ? decodeHTML(raw) : raw);
  tree.closeTag(name);
  const gt = html.indexOf(">", close.index + 2 + name.length);
  if (gt !== -1) return gt + 1;
  endsAfterCloseTag(html, tree);
  return n;
}

/** Tag and attribute names are almost always lower case already; skip the copy then. */
function lower(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) return name.toLowerCase();
  }
  return name;
}
