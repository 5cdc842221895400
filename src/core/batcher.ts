// Combines concurrent calls into batches (application-level group commit). While `concurrency`
// batches are running, new items wait in a queue; the next batch takes everything queued (up to
// `maxBatch`). An idle batcher starts a batch at once, so a lone call pays no added latency; under
// load, one statement (and one commit) serves many callers.
//
// A batch whose `run` rejects is re-run one item at a time, so each caller gets its own result or
// its own error and one bad item never fails its neighbours. So `run` must have no effect when it
// rejects (one atomic statement, for example) and must not reject after its effect is done.

export interface BatcherOptions {
  maxBatch: number;
  /** Batches in flight at once (each holds one database connection). */
  concurrency: number;
}

export interface Batcher<I, O> {
  submit(item: I): Promise<O>;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

/** `run` must return one output per input, in input order. */
export function createBatcher<I, O>(run: (items: I[]) => Promise<O[]>, opts: BatcherOptions): Batcher<I, O> {
  const queue: Waiting<I, O>[] = [];
  let running = 0;

  async function settle(batch: Waiting<I, O>[]) {
    let out: O[];
    try {
      out = await run(batch.map((w) => w.item));
    } catch (err) {
      if (batch.length === 1) {
        batch[0].reject(err);
        return;
      }
      for (const w of batch) {
        try {
          const [one] = await run([w.item]);
          w.resolve(one);
        } catch (e) {
          w.reject(e);
        }
      }
      return;
    }
    // Never re-run a batch that succeeded (its writes are done): a wrong count fails its callers.
    if (out.length !== batch.length) {
      const err = new Error(`batch returned ${out.length} results for ${batch.length}`);
      for (const w of batch) w.reject(err);
      return;
    }
    for (const [i, w] of batch.entries()) w.resolve(out[i]);
  }

  function pump() {
    while (running < opts.concurrency && queue.length > 0) {
      const batch = queue.splice(0, opts.maxBatch);
      running++;
      void settle(batch).finally(() => {
        running--;
        pump();
      });
    }
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
  };
}
