// npx tsx scripts/crash-harness.ts [--deletions 1000] [--kills 5] [--seed N] [--concurrency 8] [--keep]
// Mixed deletions across all five backends while the gateway is SIGKILLed and restarted; prints
// a JSON report and exits 1 on any violation. Needs PostgreSQL (TEST_POSTGRES_URL) and RabbitMQ
// (TEST_RABBITMQ_HOST/PORT, rabbitmqctl on the PATH), as the test suite does.
import { parseArgs } from 'node:util';
import { runCrashHarness } from './crash-harness/harness.js';

const USAGE =
  'usage: npx tsx scripts/crash-harness.ts [--deletions N] [--kills N] [--seed N] [--concurrency N] [--keep]';

function count(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    console.error(`--${name} must be a whole number of at least ${min}\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

let values: Record<string, string | boolean | undefined>;
try {
  values = parseArgs({
    options: {
      deletions: { type: 'string' },
      kills: { type: 'string' },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      keep: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

const report = await runCrashHarness({
  deletions: count(values.deletions as string | undefined, 'deletions', 1),
  kills: count(values.kills as string | undefined, 'kills', 0),
  seed: count(values.seed as string | undefined, 'seed', 0),
  concurrency: count(values.concurrency as string | undefined, 'concurrency', 1),
  keep: values.keep === true,
  log: (line) => console.error(`[crash-harness] ${line}`),
});
console.log(JSON.stringify(report, null, 2));
process.exit(report.violations.length === 0 ? 0 : 1);
