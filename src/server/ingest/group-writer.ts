// Group commit: requests that arrive while a write is in flight are written together in the next
// one. At low load every item is written at once (no timer, no added latency); under load a batch
// grows to what arrived during the previous write, so the store sees few large transactions
// instead of thousands of small ones. Each caller's promise settles when its own item is durable.

export type GroupWriter<T, R> = {
  write(item: T): Promise<R>;
  /** Resolves once everything written so far has settled. */
  drain(): Promise<void>;
  pending(): number;
};

export type GroupWriterOptions = {
  maxBatch: number;
  /**
   * How long the first item of a batch waits for company when no write is in flight (0: the next
   * turn of the event loop). Each batch costs the store a statement and a commit whatever its size.
   */
  lingerMs?: number;
  onBatch?: (size: number, ms: number) => void;
};

type Waiting<T, R> = { item: T; resolve(result: R): void; reject(error: unknown): void };

/** `writeBatch` must return one result per item, in order. */
export function createGroupWriter<T, R>(writeBatch: (items: T[]) => Promise<R[]>, options: GroupWriterOptions): GroupWriter<T, R> {
  let queue: Waiting<T, R>[] = [];
  let running: Promise<void> | undefined;

  async function run(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, options.maxBatch);
      queue = queue.slice(batch.length);
      const started = performance.now();
      try {
        const results = await writeBatch(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
      options.onBatch?.(batch.length, performance.now() - started);
    }
    running = undefined;
  }

  return {
    write(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        // Start on the next turn (or after the linger), so requests parsed meanwhile share the first write.
        running ??= new Promise<void>((done) => {
          const start = () => { void run().then(done); };
          if ((options.lingerMs ?? 0) > 0) setTimeout(start, options.lingerMs);
          else setImmediate(start);
        });
      });
    },
    async drain() {
      while (running !== undefined) await running;
    },
    pending: () => queue.length,
  };
}
