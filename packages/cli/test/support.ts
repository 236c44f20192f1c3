import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo, run } from '../src/index.js';

/** What one `run()` printed and returned. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A scratch folder holding config files; `cleanup()` removes it. */
export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'digests-cli-'));

  /** Writes `config` as JSON to `name` in the folder; returns its path. */
  config(config: unknown, name = 'digests.config.json'): string {
    const path = join(this.dir, name);
    writeFileSync(path, JSON.stringify(config));
    return path;
  }

  /** A SQLite config whose timelines are due at once after a digest. */
  sqlite(name = 'digests.config.json'): string {
    return this.config(
      {
        backend: 'sqlite',
        filename: 'test.db',
        options: { minimumDelay: 0, incrementDelay: 0, maximumDelay: 60_000 },
      },
      name,
    );
  }

  /** Runs the CLI with `cwd` in the folder. */
  run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<RunResult> {
    return runCli(argv, { cwd: this.dir, ...io });
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs the CLI with in-memory stdout/stderr. */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: {},
    cwd: process.cwd(),
    ...io,
  });
  return { code, stdout, stderr };
}

/** Parses JSON lines. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
