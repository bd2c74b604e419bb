// Summarises a V8 .cpuprofile (from BENCH_CPU_PROFILE_DIR): self time by package and the
// functions with the most self time. Usage: tsx bench/profile-summary.ts <file> [top]
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<number, number>();
for (const [i, id] of profile.samples.entries())
  selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
// Shares are of busy time: idle samples (the process waiting for I/O) are left out.
const isIdle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';
const total = [...selfMs].reduce((a, [id, ms]) => (isIdle(id) ? a : a + ms), 0);

/** node_modules package, project folder, or a V8/Node pseudo-frame such as (garbage collector) */
function owner(n: ProfileNode): string {
  const { url, functionName } = n.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const local = /\/(src|dist|bench|test)\/([^/]+)/.exec(url);
  return local ? `${local[1]}/${local[2]}` : url;
}

const sum = (key: (n: ProfileNode) => string) => {
  const m = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    if (isIdle(id)) continue;
    const k = key(byId.get(id)!);
    m.set(k, (m.get(k) ?? 0) + ms);
  }
  return [...m].sort((a, b) => b[1] - a[1]);
};
const top = Number(topArg ?? 25);
const pct = (ms: number) => `${((ms / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1000).toFixed(1)} s busy\n\nself time by owner`);
for (const [k, ms] of sum(owner).slice(0, top)) console.log(`${pct(ms)}  ${k}`);
console.log('\nself time by function');
const fn = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'}  ${owner(n)}:${n.callFrame.lineNumber + 1}`;
for (const [k, ms] of sum(fn).slice(0, top)) console.log(`${pct(ms)}  ${k}`);
