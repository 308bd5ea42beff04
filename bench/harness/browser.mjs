// What every browser benchmark shares: the system Chromium (never a downloaded one), launched
// headless with the flags that keep it from doing background work during a measurement, and
// the line protocol `cargo xtask bench` reads from standard output:
//   sample <benchmark> <side> <milliseconds>
//   note <text>
//   mismatch <text>        (the two sides disagreed: the benchmark is invalid)
import { chromium } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launch(extraFlags = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraFlags],
  });
}

export function sample(benchmark, side, ms) {
  console.log(`sample ${benchmark} ${side} ${ms.toFixed(3)}`);
}

export function note(text) {
  console.log(`note ${text}`);
}

export function mismatch(text) {
  console.log(`mismatch ${text.replace(/\s+/g, ' ')}`);
}

/** `--name value` pairs from the command line. */
export function options(defaults) {
  const out = { ...defaults };
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i].replace(/^--/, '');
    if (!(key in defaults)) throw new Error(`unknown option ${args[i]}`);
    out[key] = args[i + 1];
  }
  return out;
}
