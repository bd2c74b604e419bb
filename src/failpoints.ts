// Named points where a test can make the process die as if the machine lost power,
// to prove that start-up reconciliation finishes what was left half done.
export type FailpointName =
  | 'after-resource-delete-commit'
  | 'after-parser-result-delete-commit'
  /** a dataset purge run dies after its first batch committed, before the next */
  | 'between-purge-batches'
  /** an operation's step committed (the first one to commit kills the process) */
  | 'after-operation-step-commit'
  /** the outbox relay recorded part of a batch SENT while the rest still waits for its confirms */
  | 'relay-between-confirms';

export function createFailpoints(active: string | undefined) {
  return {
    hit(name: FailpointName) {
      if (active === name) {
        process.kill(process.pid, 'SIGKILL');
      }
    },
  };
}

export type Failpoints = ReturnType<typeof createFailpoints>;
