import { defineConfig } from 'vitest/config';

// Tests import every @digests/* package from its TypeScript source (the
// "source" export condition), so `npm test` needs no build step.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
    ],
    // The custom store lives outside the workspace: it runs from packed
    // tarballs through its own check script, not from source.
    exclude: ['examples/custom-store/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
