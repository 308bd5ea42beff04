import { defineConfig } from '@playwright/test';

// Run by `cargo xtask test`, which starts the demo server itself and passes its address in
// USERDECK_BASE_URL. The browser is Debian's Chromium: Playwright never downloads one here.
const baseURL = process.env.USERDECK_BASE_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  testDir: 'tests/e2e',
  // `cargo xtask test` runs two shards at once, each with its own output folder.
  outputDir: process.env.USERDECK_E2E_OUTPUT ?? 'artifacts/test-results',
  // One worker per run: the specs share a server's fault switches. `cargo xtask test` runs two
  // runs (shards) at once, each against its own servers; test-level groups let Playwright
  // split the specs evenly between them, where file-level groups left one shard 126 of 143.
  fullyParallel: true,
  workers: 1,
  retries: 0,
  // Two shards share two cores: the axe scans take most of 30 s when the machine is busy.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    // A trace is recorded for every test to keep the failed ones: a fifth of the suite's CPU
    // time (measured: 131 s against 100 s for the provider and axe specs), so it is asked for.
    trace: process.env.USERDECK_E2E_TRACE ? 'retain-on-failure' : 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.USERDECK_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
