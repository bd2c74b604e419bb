import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './processes.js';

/** Where the bench's own server and client scripts are compiled to (inside node_modules, so ignored). */
const outDir = path.join(projectRoot, 'node_modules/.cache/deletion-gateway-bench');

/**
 * Compiles the reference servers and the subscriber client to plain JavaScript, so that they run
 * without tsx, like the gateway's build: tsx's loader thread alone adds about 35 MB of RSS.
 * Returns a function mapping `bench/...ts` to what to run (the .ts itself if tsc failed).
 */
export function compileBenchScripts(entries: string[], log: (line: string) => void): (script: string) => string {
  const tsc = path.join(projectRoot, 'node_modules/.bin/tsc');
  const result = spawnSync(
    tsc,
    [
      ...['--outDir', outDir, '--rootDir', 'bench', '--module', 'NodeNext', '--moduleResolution', 'NodeNext'],
      ...['--target', 'ES2023', '--strict', '--skipLibCheck', '--esModuleInterop', '--types', 'node'],
      ...entries,
    ],
    { cwd: projectRoot, encoding: 'utf8' },
  );
  if (result.status !== 0) {
    log(`WARNING: could not compile the bench scripts, running them through tsx:\n${result.stdout}${result.stderr}`);
    return (script) => script;
  }
  // Node looks no further up than node_modules for a package.json: declare ESM here.
  fs.writeFileSync(path.join(outDir, 'package.json'), '{ "type": "module" }\n');
  return (script) => path.join(outDir, path.relative('bench', script)).replace(/\.ts$/, '.js');
}
