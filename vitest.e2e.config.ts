import { defineConfig } from 'vitest/config';

// End-to-end tests start the built `herald` process (dist/) and real peers; they run after `npm run build`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
