#!/usr/bin/env node
// The `digests` executable. An installed package runs its build (dist/bin.js).
// In a checkout of the repository nothing is built: the TypeScript source runs
// through tsx, with the "source" export condition so @digests/* packages
// resolve to their sources too. Either way no registry is asked for anything.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const built = new URL('../dist/bin.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  let tsx;
  try {
    tsx = await import(import.meta.resolve('tsx/esm/api'));
  } catch {
    process.stderr.write(
      'digests: this checkout is not built and tsx is missing: run `npm install` (or `npm run build`) at the repository root\n',
    );
    process.exit(1);
  }
  register(
    'data:text/javascript,export async function resolve(specifier, context, next) {' +
      ' return next(specifier, { ...context, conditions: [...context.conditions, "source"] }); }',
  );
  tsx.register();
  await import(new URL('../src/bin.ts', import.meta.url).href);
}
