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
  return list.split(/\s+/).includes(cls);
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

/** Descendant elements passing `test`, in document order. */
export function findAll(root: DomRoot, test: ElementTest): Element[] {
  const out: Element[] = [];
  const walk = (parent: DomRoot) => {
    for (const node of parent.children) {
      if (!isElement(node)) continue;
      if (test(node)) out.push(node);
      walk(node);
    }
  };
  walk(root);
  return out;
}

/** First descendant element passing `test`, depth first. */
export function findFirst(root: DomRoot, test: ElementTest): Element | null {
  for (const node of root.children) {
    if (!isElement(node)) continue;
    if (test(node)) return node;
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
