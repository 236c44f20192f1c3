/**
 * Every command a README shows must run. This test reads the shell blocks
 * of every README (and DEVELOPING.md, docs/), and checks each command the
 * way it can be checked without servers:
 *
 * - `npm run NAME`, `npm start`, `npm test` (with `-w`/`--workspace`): the
 *   script exists where the command runs (the README's package, else the root);
 * - `digests …` (also `npx digests`, `npm exec -- digests`): the command
 *   and its options are accepted (`… --help` exits 0);
 * - `npx vitest run PATH`, `node … FILE`, `bash FILE`, `cd DIR`: the paths exist;
 * - server and system tools (`redis-cli`, `psql`, `curl`, …) are only named.
 *
 * Anything else fails, so a new kind of command gets a check here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './support.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** System and server tools: documented for setting up services, not run here. */
const SYSTEM_TOOLS = new Set([
  'redis-cli',
  'redis-server',
  'psql',
  'createdb',
  'pg_ctlcluster',
  'pg_isready',
  'initdb',
  'pg_ctl',
  'mariadb',
  'mariadbd',
  'mysql',
  'mysqladmin',
  'mysqld',
  'sudo',
  'apt-get',
  'brew',
  'service',
  'systemctl',
  'docker',
  'curl',
  'git',
  'jq',
]);

function documents(): string[] {
  const inside = (dir: string) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => join(dir, entry.name, 'README.md'))
      : [];
  const docs = existsSync(join(root, 'docs'))
    ? readdirSync(join(root, 'docs'))
        .filter((name) => name.endsWith('.md'))
        .map((name) => join('docs', name))
    : [];
  return [
    'README.md',
    'DEVELOPING.md',
    'bench/README.md',
    ...inside('packages'),
    ...inside('examples'),
    ...docs,
  ].filter((path) => existsSync(join(root, path)));
}

interface Command {
  readonly doc: string;
  readonly line: string;
}

/** Commands of ```sh/bash/console blocks, and `$ `-prompted lines of ```text blocks. */
function commandsOf(doc: string): Command[] {
  const text = readFileSync(join(root, doc), 'utf8');
  const commands: Command[] = [];
  for (const [, language, body] of text.matchAll(
    /```(sh|bash|shell|console|text)\n([\s\S]*?)```/g,
  )) {
    const lines = body!.split('\n').map((line) => line.trim());
    const prompted =
      language === 'text' || language === 'console' || lines.some((line) => line.startsWith('$ '));
    for (const line of lines) {
      if (prompted && !line.startsWith('$ ')) continue; // output, not a command
      const command = line
        .replace(/^\$ /, '')
        .replace(/\s+#.*$/, '')
        .trim();
      if (command === '' || command.startsWith('#')) continue;
      commands.push({ doc, line: command });
    }
  }
  // Commands in the prose too: `npm run bench:final`, `digests list --state ready`.
  const prose = text.replace(/```[\s\S]*?```/g, '');
  for (const [, command] of prose.matchAll(
    /`((?:npm (?:run|exec|start|test)|npx|digests) [^`]*|npm (?:start|test))`/g,
  )) {
    commands.push({ doc, line: command! });
  }
  return commands;
}

/** Splits a line into words, honouring quotes (no expansion). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const [, double, single, bare] of line.matchAll(/"((?:\\.|[^"])*)"|'([^']*)'|(\S+)/g)) {
    out.push(double ?? single ?? bare!);
  }
  return out;
}

function scriptsOf(dir: string): Record<string, string> {
  const path = join(root, dir, 'package.json');
  return existsSync(path)
    ? ((JSON.parse(readFileSync(path, 'utf8')) as { scripts?: Record<string, string> }).scripts ??
        {})
    : {};
}

/** The folder of the README's own package (the nearest one with a package.json), relative to the root. */
function packageDirOf(doc: string): string {
  let dir = dirname(doc);
  while (dir !== '.' && !existsSync(join(root, dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

async function check(command: Command, cwd: string): Promise<void> {
  for (const part of command.line.split(/\s*(?:&&|;)\s*/)) {
    if (/^echo\b/.test(part)) continue;
    let argv = words(part);
    while (argv[0] !== undefined && /^[A-Z_]+=/.test(argv[0])) argv = argv.slice(1); // VAR=value prefixes
    const [tool, ...args] = argv;
    if (tool === undefined) continue;
    const where = `${command.doc}: ${command.line}`;
    if (tool === 'cd') {
      // Relative to where the README says to stand: its package, or the repository root.
      const target = [join(cwd, args[0]!), args[0]!].find((dir) => existsSync(join(root, dir)));
      expect(target, `${where}: no folder ${args[0]}`).toBeDefined();
      cwd = target!;
    } else if (SYSTEM_TOOLS.has(tool)) {
      // named for setting up services; nothing to run here
    } else if (tool === 'npm' && (args[0] === 'install' || args[0] === 'ci' || args[0] === 'i')) {
      // installs dependencies
    } else if (tool === 'npm' && (args[0] === 'run' || args[0] === 'start' || args[0] === 'test')) {
      const script = args[0] === 'run' ? args[1]! : args[0]!;
      const flag = args.findIndex((arg) => arg === '-w' || arg === '--workspace');
      const dirs = flag >= 0 ? [args[flag + 1]!] : [cwd, '.'];
      const found = dirs.some((dir) => script in scriptsOf(dir));
      expect(found, `${where}: no script "${script}" in ${dirs.join(' or ')}/package.json`).toBe(
        true,
      );
    } else if (
      tool === 'digests' ||
      (tool === 'npx' && args[0] === 'digests') ||
      (tool === 'npm' && args[0] === 'exec')
    ) {
      const cli = tool === 'digests' ? args : args.slice(args.indexOf('digests') + 1);
      expect(tool !== 'npm' || args.includes('digests'), `${where}: npm exec of what?`).toBe(true);
      // "…" stands for "anything": the command alone is checked then.
      const shown = cli.filter((arg) => arg !== '--json' && arg !== '…');
      const { code, stderr } = await runCli([...shown, '--help'], {
        cwd: root,
      });
      expect(code, `${where}: ${stderr}`).toBe(0);
    } else if (tool === 'npx' && args[0] === 'vitest') {
      for (const path of args.slice(2).filter((arg) => !arg.startsWith('-'))) {
        expect(existsSync(join(root, path)), `${where}: no ${path}`).toBe(true);
      }
    } else if (tool === 'node' || tool === 'bash' || (tool === 'npx' && args[0] === 'tsx')) {
      const file = args.find((arg) => /\.(ts|js|mjs|sh)$/.test(arg));
      expect(file, `${where}: which file?`).toBeDefined();
      const found = [join(root, cwd, file!), join(root, file!)].some((path) => existsSync(path));
      expect(found, `${where}: no ${file}`).toBe(true);
    } else {
      expect.fail(
        `${where}: no check for "${tool}" (teach test/docs-commands.test.ts, or fix the README)`,
      );
    }
  }
}

const all = documents().flatMap(commandsOf);

describe('every command a README shows runs', () => {
  it('finds the documents and their commands', () => {
    expect(all.length).toBeGreaterThan(20);
    expect(all.map((c) => c.doc)).toContain('README.md');
  });

  it.each(all.map((command) => [`${command.doc}: ${command.line}`, command] as const))(
    '%s',
    async (_name, command) => {
      await check(command, relative(root, join(root, packageDirOf(command.doc))) || '.');
    },
  );
});
