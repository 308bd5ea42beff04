// The virtualised table's scroll benchmark, run by `cargo xtask bench`: serves the bench-harness
// build (argv[2]) on a loopback port, opens `/bench/virtual?rows=100000` in headless Chromium
// with the frame-rate limit off, so a frame lasts as long as its work (script, style, layout,
// paint and raster), not until the next 60 Hz tick, scrolls from top to bottom one step per
// frame, and prints one line:
//   frames=N p95_ms=X max_ms=Y dom_rows=R last_row=true
// Bounded: a fixed number of frames, and a 120 s ceiling on the whole run.
import { chromium } from '@playwright/test';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const dist = path.resolve(process.argv[2] ?? 'dist');
const rows = Number(process.argv[3] ?? 100000);
const steps = Number(process.argv[4] ?? 400);
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

const server = http.createServer((req, res) => {
  const wanted = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  let file = path.join(dist, wanted);
  if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    file = path.join(dist, 'index.html');
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const watchdog = setTimeout(() => { console.error('scroll bench: over 120 s'); process.exit(2); }, 120_000);

const browser = await chromium.launch({
  executablePath: process.env.USERDECK_CHROMIUM ?? '/usr/bin/chromium',
  // The first two flags alone still tick at 60 Hz (an empty page measures 16.7 to 17.7 ms a
  // frame, so no p95 could be under 16 ms); the third makes each frame finish its work and draw
  // at once (an empty page: 0.4 ms).
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-gpu-vsync', '--disable-frame-rate-limit', '--run-all-compositor-stages-before-draw', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`http://127.0.0.1:${port}/bench/virtual?rows=${rows}`);
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
  console.log(`frames=${sorted.length} p95_ms=${p95.toFixed(2)} max_ms=${sorted[sorted.length - 1].toFixed(2)} dom_rows=${result.most} last_row=${result.lastRow}`);
} finally {
  clearTimeout(watchdog);
  await browser.close();
  server.close();
}
