#!/usr/bin/env node
/**
 * The `digests` executable: hands the process to `run()` and exits with its
 * code. SIGINT/SIGTERM ask a running worker to stop gracefully; a second
 * signal exits at once (130).
 *
 * @module
 */
import { run } from './cli.js';

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(signal);
  });
}
process.exitCode = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
