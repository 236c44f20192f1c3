/**
 * Every package, packed as it would be published, installs and works
 * outside the monorepo: the tarballs go into a temporary project (only
 * they and registry packages already in the npm cache), a strict
 * TypeScript file that imports every package compiles there WITHOUT
 * skipLibCheck (so every published .d.ts must resolve), and it runs, as
 * does the installed `digests` executable.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const work = mkdtempSync(join(tmpdir(), 'digests-packaging-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The publishable packages: every workspace under packages/ that is not private. */
function packages(): { dir: string; name: string; version: string }[] {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  return workspaces
    .filter((dir) => dir.startsWith('packages/'))
    .map((dir) => ({ dir, ...JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
    .filter((pkg) => pkg.private !== true)
    .map(({ dir, name, version }) => ({ dir, name, version }));
}

interface Packed {
  readonly name: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/** Runs a command; a failure says what it printed (tsc reports on stdout). */
async function run(file: string, args: string[], cwd: string): Promise<{ stdout: string }> {
  try {
    return await exec(file, args, {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' },
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

const npm = (args: string[], cwd: string) => run('npm', args, cwd);

describe('packed tarballs', () => {
  const all = packages();
  let packed: Packed[] = [];

  it('every package packs: prepack builds dist/, no build-info file ships', async () => {
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    const { stdout } = await npm(
      ['pack', '--json', '--pack-destination', tarballs, ...all.flatMap(({ dir }) => ['-w', dir])],
      root,
    );
    packed = JSON.parse(stdout.slice(stdout.indexOf('['))) as Packed[];
    expect(packed.map((p) => p.name).sort()).toEqual(all.map((p) => p.name).sort());
    for (const { name, files } of packed) {
      const paths = files.map((file) => file.path);
      expect(paths, name).toContain('dist/index.js');
      expect(paths, name).toContain('dist/index.d.ts');
      expect(
        paths.filter((path) => path.includes('tsbuildinfo')),
        name,
      ).toEqual([]);
    }
  }, 600_000);

  it('install outside the monorepo, compile strictly without skipLibCheck, and run', async () => {
    expect(packed.length).toBeGreaterThan(0);
    const project = join(work, 'consumer');
    const tarball = (name: string) =>
      `file:${join(work, 'tarballs', packed.find((p) => p.name === name)!.filename)}`;
    const ours = Object.fromEntries(all.map(({ name }) => [name, tarball(name)]));
    const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'digests-consumer',
        private: true,
        type: 'module',
        dependencies: ours,
        // Inner @digests/* dependencies resolve to the tarballs too, never to a registry.
        overrides: ours,
        devDependencies: {
          typescript: rootManifest.devDependencies.typescript,
          '@types/node': rootManifest.devDependencies['@types/node'],
        },
      }),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          types: ['node'],
          outDir: 'out',
        },
        include: ['src'],
      }),
    );
    const namespaces = all
      .map(({ name }, i) => `import * as package${i} from '${name}';`)
      .join('\n');
    writeFileSync(
      join(project, 'src', 'main.ts'),
      `${namespaces}
import { type Backend, createDigestsContainer, disposeDigestsContainer, TOKENS, validateConfig } from '@digests/core';
import { MemoryBackend } from '@digests/memory';

const modules: Record<string, object> = { ${all.map(({ name }, i) => `'${name}': package${i}`).join(', ')} };
for (const [name, module] of Object.entries(modules)) {
  if (Object.keys(module).length === 0) throw new Error(\`\${name} exports nothing\`);
}

const backend: Backend<{ readonly text: string }> = new MemoryBackend({ minimumDelay: 1000 });
const first = await backend.add('mail:p:1', { key: 'e1', value: { text: 'disk full' }, timestamp: Date.now() });
const texts = first ? await backend.digest('mail:p:1', (records) => records.map((r) => r.value.text)) : [];
await backend.close();

const config = validateConfig({ backend: 'retrying', inner: { backend: 'memory' }, delays: [10] });
const container = await createDigestsContainer(config);
const root = container.get<Backend>(TOKENS.Backend);
const added = await root.add('k', { key: 'r', value: 1, timestamp: Date.now() });
await disposeDigestsContainer(container);
console.log(JSON.stringify({ texts, added }));
`,
    );
    // Scripts stay off: better-sqlite3 would fetch a native build; nothing here opens SQLite.
    await npm(
      ['install', '--prefer-offline', '--no-package-lock', '--ignore-scripts', '--loglevel=error'],
      project,
    );
    await run(join(project, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], project);
    const { stdout } = await run(process.execPath, ['out/main.js'], project);
    expect(JSON.parse(stdout)).toEqual({ texts: ['disk full'], added: true });

    const digests = join(project, 'node_modules/.bin/digests');
    expect((await run(digests, ['--help'], project)).stdout).toContain('Usage: digests <command>');
    writeFileSync(join(project, 'digests.config.json'), JSON.stringify({ backend: 'memory' }));
    const listed = await run(digests, ['list', '--json'], project);
    expect(JSON.parse(listed.stdout)).toEqual({ entries: [], more: false });
  }, 600_000);
});
