// Engine benchmark driver: opens the engine page (served on loopback by the bench) in a fresh
// page per run, waits until both engines and the JSON text are loaded, and runs both sides.
// Usage: node engine.mjs --url http://127.0.0.1:PORT/engine.html --runs 5
import { launch, mismatch, note, options, sample } from './browser.mjs';

const { url, runs } = options({ url: '', runs: '5' });
// --expose-gc lets the page collect the previous side's garbage outside the timed regions.
const browser = await launch(['--js-flags=--expose-gc']);
try {
  for (let run = 0; run < Number(runs); run++) {
    const page = await browser.newPage();
    page.on('pageerror', (err) => mismatch(`page error: ${err.message}`));
    await page.goto(url);
    await page.evaluate(() => window.bench.ready);
    const result = await page.evaluate((userdeckFirst) => window.bench.run(userdeckFirst), run % 2 === 0);
    for (const side of ['userdeck', 'tanstack']) {
      sample('engine-first', side, result.first[side]);
      for (const [part, ms] of Object.entries(result.parts[side])) sample(`engine-first.${part}`, side, ms);
      for (const ms of result.requery[side]) sample('engine-requery', side, ms);
    }
    if (run === 0) note(`engine: ${result.matched.rows} rows read, first query matched ${result.matched.first}`);
    for (const text of result.mismatches) mismatch(text);
    await page.close();
  }
} finally {
  await browser.close();
}
