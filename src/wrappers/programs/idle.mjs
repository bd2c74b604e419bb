// The `idle` wrapper: a process that does nothing until it is told to stop.
// Its command line carries --wrapper-id=<id> so the gateway can recognise it after a restart.
const timer = setInterval(() => {}, 1 << 30);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    clearInterval(timer);
    process.exit(0);
  });
}
