// Keyboard movement inside a radio group or a tab list (WAI-ARIA patterns): the arrow keys move to the
// previous or next item (wrapping), Home and End to the first and last. Only the chosen item is in
// the tab order (tabindex 0, the others -1), so Tab enters and leaves the group in one step.

/** The index the key moves to from `current` among `count` items, or null for any other key. */
export function rovingTarget(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case "ArrowRight":
    case "ArrowDown":
      return (current + 1) % count;
    case "ArrowLeft":
    case "ArrowUp":
      return (current - 1 + count) % count;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}

/**
 * Handles a keydown on a group whose items are the `selector` elements inside it: chooses the item
 * the key moves to (`choose(index)`) and focuses it. Other keys are left alone.
 */
export function onRovingKey(
  event: KeyboardEvent,
  selector: string,
  current: number,
  choose: (index: number) => void,
): void {
  const group = event.currentTarget as HTMLElement;
  const items = [...group.querySelectorAll<HTMLElement>(selector)];
  const next = rovingTarget(event.key, current, items.length);
  if (next === null) return;
  event.preventDefault();
  choose(next);
  items[next]?.focus();
}
