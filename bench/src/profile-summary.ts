/**
 * Prints the top self-time functions of a `.cpuprofile` (from `--cpu-prof`).
 *
 *   node --import tsx src/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [top]
 *
 * @module
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
const top = Number(process.argv[3] ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
const self = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  total += hits;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*\/(node_modules|packages|bench)\//, '$1/');
  const label = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  self.set(label, (self.get(label) ?? 0) + hits);
}
for (const [label, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((hits / total) * 100).toFixed(1).padStart(5)}%  ${label}`);
}
