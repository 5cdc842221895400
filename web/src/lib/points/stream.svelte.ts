// Live points events from GET /api/leaderboard/stream (server-sent events). The browser's EventSource
// reconnects by itself; `connected` mirrors its state for the "Live" indicator.
import { STREAM_PATH } from "./client";
import type { PointsEvent } from "./types";

const EVENT_NAMES = ["award", "revocation", "correction", "points"] as const;

function parseEvent(data: unknown): PointsEvent | null {
  if (typeof data !== "string") return null;
  try {
    const value = JSON.parse(data) as Partial<PointsEvent> & { event?: PointsEvent };
    const event = value.event ?? value;
    return typeof event.type === "string" && Array.isArray(event.boards) ? (event as PointsEvent) : null;
  } catch {
    return null; // keep-alive comments or unknown payloads
  }
}

export class PointsStream {
  connected = $state(false);
  private source: EventSource | null = null;

  constructor(private readonly onEvent: (event: PointsEvent) => void) {}

  /** Opens the stream; returns a function that closes it (for $effect cleanup). */
  open(): () => void {
    if (typeof EventSource === "undefined") return () => {};
    const source = new EventSource(STREAM_PATH);
    this.source = source;
    const handle = (message: MessageEvent) => {
      const event = parseEvent(message.data);
      if (event) this.onEvent(event);
    };
    source.onopen = () => {
      this.connected = true;
    };
    source.onerror = () => {
      this.connected = source.readyState === EventSource.OPEN;
    };
    source.onmessage = handle;
    for (const name of EVENT_NAMES) source.addEventListener(name, handle);
    return () => this.close();
  }

  close(): void {
    this.source?.close();
    this.source = null;
    this.connected = false;
  }
}
