// The virtualised table's scroll benchmark, run by `cargo xtask bench scroll`: serves the
// bench-harness build (argv[2]) and the peer page `bench/peers/dom-table` (the same table written
// by hand, over the build's stylesheet) on a loopback port, and in headless Chromium, with the
// frame-rate limit off (a frame lasts as long as its work: script, style, layout, paint and
// raster, not until the next 60 Hz tick), scrolls each side's 100,000 rows from top to bottom one
// step per frame. `runs` (argv[5]) runs per side, each in a fresh page, the side that goes first
// alternating.
// It prints the harness protocol of `cargo xtask bench`:
//   sample scroll-p95 <userdeck|dom> <ms>      one line per run: its 95th-percentile frame
//   sample scroll-max <userdeck|dom> <ms>      and its slowest frame
//   note dom_rows=R last_row=<true|false>      the most <tr> at any frame of Userdeck's runs,
//                                              and whether every run reached the last row
//   mismatch ...                               a side that did not reach its last row, or
//                                              sides that rendered different windows
// Bounded: a fixed number of frames per run, and a 600 s ceiling on the whole run.
import { chromium } from '@playwright/test';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(process.argv[2] ?? 'dist');
const rows = Number(process.argv[3] ?? 100000);
const steps = Number(process.argv[4] ?? 400);
const runs = Number(process.argv[5] ?? 5);
const peer = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'peers', 'dom-table', 'index.html');
const stylesheet = fs.readFileSync(path.join(dist, 'index.html'), 'utf8').match(/href="\/?([^"]+\.css)"/)?.[1];
if (!stylesheet) { console.error(`scroll bench: no stylesheet in ${dist}/index.html`); process.exit(2); }
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

const server = http.createServer((req, res) => {
  const wanted = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  let file = path.join(dist, wanted === '/console.css' ? stylesheet : wanted);
  if (wanted === '/peer/dom-table') {
    file = peer;
  } else if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    file = path.join(dist, 'index.html');
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const watchdog = setTimeout(() => { console.error('scroll bench: over 600 s'); process.exit(2); }, 600_000);

const browser = await chromium.launch({
  executablePath: process.env.USERDECK_CHROMIUM ?? '/usr/bin/chromium',
  // The first two flags alone still tick at 60 Hz (an empty page measures 16.7 to 17.7 ms a
  // frame, so no p95 could be under 16 ms); the third makes each frame finish its work and draw
  // at once (an empty page: 0.4 ms).
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-gpu-vsync', '--disable-frame-rate-limit', '--run-all-compositor-stages-before-draw', '--no-first-run', '--disable-background-networking'],
});
async function measure(url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('[data-testid=all-rows] tr[aria-rowindex="2"]', { timeout: 60_000 });
    const result = await page.evaluate(async ({ rows, steps }) => {
      const el = document.querySelector('[data-testid=all-rows]');
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      await frame();
      await frame();
      const bottom = el.scrollHeight - el.clientHeight;
      const times = [];
      let most = 0;
      let last = performance.now();
      for (let i = 1; i <= steps; i++) {
        el.scrollTop = Math.round((bottom * i) / steps);
        await frame();
        const now = performance.now();
        times.push(now - last);
        last = now;
        most = Math.max(most, document.querySelectorAll('tr').length);
      }
      await frame();
      return { times, most, lastRow: el.querySelector(`tr[aria-rowindex="${rows + 1}"]`) !== null };
    }, { rows, steps });
    const sorted = [...result.times].sort((a, b) => a - b);
    const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
    return { p95, max: sorted[sorted.length - 1], most: result.most, lastRow: result.lastRow };
  } finally {
    await context.close();
  }
}

try {
  const sides = [
    ['userdeck', `http://127.0.0.1:${port}/bench/virtual?rows=${rows}`],
    ['dom', `http://127.0.0.1:${port}/peer/dom-table?rows=${rows}`],
  ];
  const most = { userdeck: 0, dom: 0 };
  let everyLastRow = true;
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? sides : [...sides].reverse();
    for (const [side, url] of order) {
      const result = await measure(url);
      console.log(`sample scroll-p95 ${side} ${result.p95.toFixed(2)}`);
      console.log(`sample scroll-max ${side} ${result.max.toFixed(2)}`);
      if (!result.lastRow) {
        console.log(`mismatch ${side} run ${run + 1} never showed row ${rows}`);
      }
      most[side] = Math.max(most[side], result.most);
      if (side === 'userdeck') everyLastRow &&= result.lastRow;
    }
  }
  if (most.userdeck !== most.dom) {
    console.log(`mismatch the sides rendered different windows: Userdeck at most ${most.userdeck} <tr>, the DOM table ${most.dom}`);
  }
  console.log(`note dom_rows=${most.userdeck} last_row=${everyLastRow}`);
} finally {
  clearTimeout(watchdog);
  await browser.close();
  server.close();
}
