/**
 * Collects calls that arrive while batches are running and runs them as the next batch: under
 * load many requests share one database statement (and one commit), while a lone request
 * waits for nothing. Up to `maxInFlight` batches run at once. When a batch fails, its calls
 * are run again one by one, so one bad call fails alone and a conflict between concurrent
 * batches (a deadlock) only costs a retry.
 */
export class MicroBatcher<Request, Result> {
  private queue: Array<{ request: Request; resolve(r: Result): void; reject(e: unknown): void }> = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    /** results in request order */
    private readonly run: (requests: Request[]) => Promise<Result[]>,
    private readonly maxBatch = 64,
    private readonly maxInFlight = 4,
  ) {}

  call(request: Request): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.scheduled && this.inFlight < this.maxInFlight) {
        // calls made in the same turn of the event loop join one batch
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.queue.length && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.runBatch(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async runBatch(batch: MicroBatcher<Request, Result>['queue']): Promise<void> {
    try {
      const results = await this.run(batch.map((b) => b.request));
      for (const [i, b] of batch.entries()) b.resolve(results[i]!);
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const b of batch) await this.run([b.request]).then(([r]) => b.resolve(r!), b.reject);
    }
  }
}
