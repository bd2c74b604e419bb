// npm run build:monitor [-- --force]: builds the monitor page (monitor/) with Vite into
// dist/monitor, which the gateway serves at /monitor. A build whose inputs (the page's files, the
// typed client, package-lock.json, this script) are those of the last one is skipped, so `npm run build`, the test setup and
// `npm start` can all ask for it. The new bundle replaces the old one in one rename.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'monitor');
export const monitorBundleDir = path.join(root, 'dist/monitor');
const STAMP = '.build-stamp';

/** A digest of everything the bundle is made from. */
function inputsDigest(): string {
  // The page's files and the typed client it imports its documents from.
  const files = [source, path.join(root, 'client/generated')].flatMap((dir) =>
    fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name)),
  );
  const hash = createHash('sha256');
  for (const file of [...files.sort(), path.join(root, 'package-lock.json'), fileURLToPath(import.meta.url)]) {
    hash.update(`${path.relative(root, file)}\0`);
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function builtDigest(): string | null {
  try {
    return fs.readFileSync(path.join(monitorBundleDir, STAMP), 'utf8');
  } catch {
    return null;
  }
}

export async function buildMonitor(opts: { force?: boolean } = {}): Promise<'built' | 'current'> {
  const digest = inputsDigest();
  if (!opts.force && builtDigest() === digest) return 'current';
  const staging = `${monitorBundleDir}.${process.pid}.tmp`;
  // Vite keeps a NODE_ENV it inherits (vitest's "test", a shell's "development"), and React then
  // bundles its development build: the page is always built for production.
  process.env.NODE_ENV = 'production';
  await build({
    mode: 'production',
    configFile: path.join(source, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: staging, emptyOutDir: true },
  });
  fs.writeFileSync(path.join(staging, STAMP), digest);
  fs.rmSync(monitorBundleDir, { recursive: true, force: true });
  try {
    fs.renameSync(staging, monitorBundleDir);
  } catch (err) {
    // Another build (the other test project's setup) put the same bundle in place first.
    if ((err as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw err;
    }
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return 'built';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const result = await buildMonitor({ force: process.argv.includes('--force') });
  console.log(result === 'built' ? 'Built dist/monitor' : 'dist/monitor is current');
}
