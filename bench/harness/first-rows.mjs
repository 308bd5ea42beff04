// Time to first rows: Userdeck's provider page and the React + TanStack peer, each in a fresh
// browser context with the cache disabled and the CPU throttled 4x over CDP, interleaved
// (the side that goes first alternates). The time is performance.now() (from navigation start)
// when the first data cell of a table body is in the DOM, taken by a MutationObserver that is
// installed before any of the page's own scripts run.
// Usage: node first-rows.mjs --userdeck URL --react URL --runs 5
import { launch, mismatch, note, options, sample } from './browser.mjs';

const { userdeck, react, runs } = options({ userdeck: '', react: '', runs: '5' });

function watchFirstRow() {
  const seen = () => {
    if (window.__firstRow === undefined && document.querySelector('tbody tr td')) {
      window.__firstRow = performance.now();
      window.__firstRows = document.querySelectorAll('tbody tr').length;
    }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
}

async function measure(browser, side, url, first) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(watchFirstRow);
  const api = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/')) api.push(request.url());
  });
  page.on('pageerror', (err) => mismatch(`${side}: page error: ${err.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.__firstRow !== undefined, null, { timeout: 30_000 });
  const ms = await page.evaluate(() => window.__firstRow);
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length >= 25, null, { timeout: 30_000 });
  const rows = await page.evaluate(() => document.querySelectorAll('tbody tr').length);
  if (first) note(`first-rows ${side}: ${rows} rows; API requests: ${api.map((u) => new URL(u).pathname + new URL(u).search).join(' ')}`);
  await context.close();
  return ms;
}

const browser = await launch();
try {
  const sides = [
    ['userdeck', userdeck],
    ['react', react],
  ];
  for (let run = 0; run < Number(runs); run++) {
    const order = run % 2 === 0 ? sides : [...sides].reverse();
    for (const [side, url] of order) sample('first-rows', side, await measure(browser, side, url, run === 0));
  }
} finally {
  await browser.close();
}
