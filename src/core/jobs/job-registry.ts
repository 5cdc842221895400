// Job definitions are declared by feature modules (<feature>.jobs.ts) and registered here at boot.
// Boot fails if a schedule names a job nobody handles, so a typo can't silently stop a cron.

export interface JobContext {
  id: string;
  name: string;
  /** How many times this job has been retried before this attempt. */
  retryCount: number;
  /**
   * Aborted when the process starts shutting down. Long handlers (network calls, sleeps) pass it
   * on and give up early; the job is then retried, by this process's successor or another worker.
   */
  signal: AbortSignal;
}

export interface JobDefinition<T = unknown> {
  /** Dotted id, e.g. `forum.scrape-profile`. */
  name: string;
  handler: (data: T, job: JobContext) => Promise<void>;
  retryLimit?: number;
  /** Seconds before the first retry; doubled each time when retryBackoff is on. */
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  /** Jobs of this queue fetched at once per worker process. */
  concurrency?: number;
}

export interface JobSchedule {
  name: string;
  /** Five-field cron expression, UTC. */
  cron: string;
  data?: Record<string, unknown>;
}

export class JobRegistry {
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly schedules: JobSchedule[] = [];

  /** Registers a handler; a second handler for the same id is a programming error. */
  define<T>(def: JobDefinition<T>): void {
    if (this.definitions.has(def.name)) throw new Error(`Job "${def.name}" is defined twice`);
    this.definitions.set(def.name, def as JobDefinition);
  }

  /** Adds a cron schedule for a job id. */
  schedule(s: JobSchedule): void {
    this.schedules.push(s);
  }

  get(name: string): JobDefinition | undefined {
    return this.definitions.get(name);
  }

  all(): JobDefinition[] {
    return [...this.definitions.values()];
  }

  allSchedules(): JobSchedule[] {
    return [...this.schedules];
  }

  /** Throws listing every schedule whose job has no handler. */
  assertComplete(): void {
    const missing = this.schedules.filter((s) => !this.definitions.has(s.name)).map((s) => s.name);
    if (missing.length > 0) {
      throw new Error(`Scheduled jobs without a handler: ${[...new Set(missing)].join(", ")}`);
    }
  }
}
