import { defineConfig } from 'vitest/config';

// The tests that measure time (event-loop stalls, how cost grows with input) run last and alone: on a small
// machine the other test files' processes would otherwise take the CPU from them and the figures would measure
// the neighbours. `sequence.groupOrder` runs the second project only after the first has finished.
const TIMED = ['tests/email/hostile-mail.test.ts', 'tests/email/linear-passes.test.ts'];

// Two workers: vitest would take availableParallelism-1 = one on CI's two cores, and most test files wait on sockets,
// timers and Chromium rather than the CPU, so a second file in parallel nearly halves the run (CI's limit is 30 min).
const shared = { testTimeout: 20_000, hookTimeout: 30_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'main', include: ['tests/**/*.test.ts'], exclude: TIMED, sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'timed', include: TIMED, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
