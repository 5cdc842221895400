// Minimal DOM walking over htmlparser2 nodes. The parsers use these instead of CSS selectors:
// compiling a selector per lookup cost more than parsing the page itself (see the parse bench).
import type { AnyNode, Document, Element } from "domhandler";

export type DomRoot = Document | Element;
export type ElementTest = (el: Element) => boolean;

/** True for an element node, optionally of tag `name`. */
export function isElement(node: AnyNode | null | undefined, name?: string): node is Element {
  return !!node && node.type === "tag" && (name === undefined || node.name === name);
}

/** True when the element's class list contains `cls`. */
export function hasClass(el: Element, cls: string): boolean {
  const list = el.attribs.class;
  if (!list) return false;
  if (list === cls) return true;
  // Word search without splitting: most class lists are one or two words, and this runs per node.
  for (let at = list.indexOf(cls); at !== -1; at = list.indexOf(cls, at + 1)) {
    const end = at + cls.length;
    if (
      (at === 0 || isClassSpace(list.charCodeAt(at - 1))) &&
      (end === list.length || isClassSpace(list.charCodeAt(end)))
    )
      return true;
  }
  return false;
}

function isClassSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
}

/** Test for `tag.cls` (either part optional). */
export function tagClass(tag: string | null, cls?: string): ElementTest {
  return (el) => (tag === null || el.name === tag) && (cls === undefined || hasClass(el, cls));
}

/** Direct child elements passing `test`. */
export function childElements(parent: DomRoot, test: ElementTest = () => true): Element[] {
  const out: Element[] = [];
  for (const node of parent.children) if (isElement(node) && test(node)) out.push(node);
  return out;
}

/**
 * Descendant elements passing `test`, in document order. `descend` can skip subtrees known not to
 * hold a match (post bodies are most of a topic page's nodes).
 */
export function findAll(root: DomRoot, test: ElementTest, descend?: ElementTest): Element[] {
  const out: Element[] = [];
  collect(root, test, descend, out);
  return out;
}

function collect(parent: DomRoot, test: ElementTest, descend: ElementTest | undefined, out: Element[]): void {
  const children = parent.children;
  for (let i = 0; i < children.length; i++) {
    const node = children[i];
    if (node.type !== "tag") continue;
    if (test(node)) out.push(node);
    if (node.children.length > 0 && (descend === undefined || descend(node)))
      collect(node, test, descend, out);
  }
}

/** First descendant element passing `test`, depth first. */
export function findFirst(root: DomRoot, test: ElementTest): Element | null {
  const children = root.children;
  for (let i = 0; i < children.length; i++) {
    const node = children[i];
    if (node.type !== "tag") continue;
    if (test(node)) return node;
    if (node.children.length === 0) continue;
    const inner = findFirst(node, test);
    if (inner) return inner;
  }
  return null;
}

/** The element itself or its nearest ancestor passing `test`. */
export function closest(el: Element, test: ElementTest): Element | null {
  for (let node: AnyNode | null = el; node; node = node.parent) {
    if (isElement(node) && test(node)) return node;
  }
  return null;
}

/** First following sibling element passing `test`. */
export function nextElement(el: Element, test: ElementTest): Element | null {
  for (let node = el.next; node; node = node.next) {
    if (isElement(node) && test(node)) return node;
  }
  return null;
}

/** Concatenated text of a node and its descendants, as `textContent` gives it. */
export function textOf(node: AnyNode | null): string {
  if (!node) return "";
  if (node.type === "text") return node.data;
  if (!("children" in node)) return "";
  let text = "";
  for (const child of node.children) text += textOf(child);
  return text;
}
