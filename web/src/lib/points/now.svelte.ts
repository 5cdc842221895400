// A ticking "now" for countdowns: one timer shared by every reader, running only while read.
import { createSubscriber } from "svelte/reactivity";

let current = Date.now();
const subscribe = createSubscriber((update) => {
  const timer = setInterval(() => {
    current = Date.now();
    update();
  }, 1000);
  return () => clearInterval(timer);
});

/** Milliseconds since the epoch, refreshed every second inside effects and templates. */
export function nowMs(): number {
  subscribe();
  return current;
}
