// Loaded into a gateway under test (`node --expose-gc --import tsx --import ./test/support/gc-on-signal.ts
// src/main.ts`): SIGUSR2 runs full collections and prints one JSON line, so a memory reading of
// the real process (VmRSS) compares live memory, not garbage the collector has not reached yet.
// Two collections a tick apart: V8 returns the pages the first one freed on a helper thread.

export const GC_DONE = 'gc done';

const gc = (globalThis as { gc?: () => void }).gc;
// without --expose-gc (the test importing GC_DONE) it does nothing
if (gc) {
  process.on('SIGUSR2', () => {
    gc();
    setImmediate(() => {
      gc();
      console.log(JSON.stringify({ msg: GC_DONE }));
    });
  });
}
