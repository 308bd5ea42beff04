import { test, expect, Page, Frame } from '@playwright/test';

// Embed mode: a partner portal on another loopback origin frames the console through
// dist/embed.js's <userdeck-embed provider="rebilly">, with the README's copy-paste example as
// written (cargo xtask test writes it into host.html, once per console: nginx.html for the
// nginx-served console, whose `embed.allowed_parents` and frame-ancestors name only that origin,
// and proxy.html for the demo proxy, started with --frame-ancestor naming only that origin).
// The same pages are served on a foreign origin, which neither allows.
const host = process.env.USERDECK_HOST_URL;
const consoleBase = process.env.USERDECK_NGINX_URL;
const foreign = process.env.USERDECK_FOREIGN_URL;

function hostUrl(base: string, page = 'nginx.html', extra = '') {
  return `${base}${page}${extra}`;
}

async function embedFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('userdeck-embed iframe').elementHandle();
  const frame = await handle!.contentFrame();
  return frame!;
}

async function rowsRendered(frame: Frame) {
  await expect(frame.locator('table.user-table tbody tr').first()).toBeVisible();
  await expect(frame.locator('.progress-line.active')).toHaveCount(0);
}

const background = (frame: Frame) => frame.locator('body').evaluate((body) => getComputedStyle(body).backgroundColor);

test('a portal embeds the Rebilly table: rows, theme, user-opened', async ({ page }) => {
  test.skip(!host || !consoleBase, 'run by cargo xtask test, which starts nginx and the host page');
  const hostProblems: string[] = [];
  page.on('pageerror', (error) => hostProblems.push(error.message));
  await page.goto(hostUrl(host!));
  const frame = await embedFrame(page);
  await rowsRendered(frame);
  await expect(frame.getByRole('heading', { level: 1, name: 'Rebilly' })).toBeVisible();
  await expect(frame.locator('header.app-header'), 'no top navigation').toHaveCount(0);
  await expect.poll(() => page.evaluate(() => (window as any).hostEvents.some((e: any) => e.type === 'ready'))).toBe(true);
  await expect.poll(() => page.evaluate(() => (window as any).hostEvents.some((e: any) => e.type === 'resize' && e.height > 200))).toBe(true);

  const before = await background(frame);
  await page.evaluate(() =>
    (document.querySelector('userdeck-embed') as any).setTheme('dark', { '--bg': 'rgb(12, 34, 56)', '--accent': 'rgb(192, 38, 211)' }),
  );
  await expect.poll(() => background(frame)).toBe('rgb(12, 34, 56)');
  expect(before).not.toBe('rgb(12, 34, 56)');
  await expect(frame.locator('html')).toHaveAttribute('data-theme', 'dark');

  // Opening a user stays inside the frame's locked view and tells the host.
  await frame.locator('table.user-table tbody tr').first().locator('a').first().click();
  await expect(frame.getByTestId('detail-panel')).toBeVisible();
  expect(frame.url()).toContain('/admin/embed/p/rebilly/u/');
  await expect(page.getByTestId('opened')).toHaveText(/^Opened rebilly user .+\.$/);
  const opened = await page.evaluate(() => (window as any).hostEvents.find((e: any) => e.type === 'user-opened'));
  expect(opened.provider).toBe('rebilly');
  expect(decodeURIComponent(frame.url())).toContain(`/u/${opened.key}`);
  expect(hostProblems, "the README's example runs without errors").toEqual([]);
  await page.screenshot({ path: 'artifacts/screenshots/embed-host.png', fullPage: true });
});

test('a frame whose bridge chunk does not arrive says so, and its table still works', async ({ page }) => {
  test.skip(!host || !consoleBase, 'run by cargo xtask test, which starts nginx and the host page');
  // The bridge to the portal is a chunk only frames fetch; without it the frame cannot say
  // `ready`, so it tells the person instead.
  await page.route(/\/chunk-embed-[0-9a-f]{16}\.wasm$/, (route) => route.abort('internetdisconnected'));
  await page.goto(hostUrl(host!));
  const frame = await embedFrame(page);
  await rowsRendered(frame);
  await expect(frame.getByRole('alert')).toContainText('This frame could not connect to the portal around it');
  await page.screenshot({ path: 'artifacts/screenshots/embed-bridge-down.png', fullPage: true });
  expect(await page.evaluate(() => (window as any).hostEvents.some((e: any) => e.type === 'ready'))).toBe(false);
  await frame.locator('table.user-table tbody tr').first().locator('a').first().click();
  await expect(frame.getByTestId('detail-panel')).toBeVisible();
});

test('a host origin not on the list cannot frame the console', async ({ page }) => {
  test.skip(!foreign || !consoleBase, 'run by cargo xtask test');
  const refused = page.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
  await page.goto(hostUrl(foreign!));
  await refused;
  const frame = await embedFrame(page);
  await expect(frame.locator('[data-testid=app-ready]')).toHaveCount(0);
  const hostEvents = await page.evaluate(() => (window as any).hostEvents);
  expect(hostEvents).toEqual([]);
});

test("through the proxy: the portal in frame_ancestors frames the Rebilly table", async ({ page }) => {
  test.skip(!host, 'run by cargo xtask test, which starts the demo proxy and the host page');
  const refusals: string[] = [];
  page.on('console', (m) => {
    if (/frame-ancestors/.test(m.text())) refusals.push(m.text());
  });
  await page.goto(hostUrl(host!, 'proxy.html'));
  const frame = await embedFrame(page);
  await rowsRendered(frame);
  await expect(frame.getByRole('heading', { level: 1, name: 'Rebilly' })).toBeVisible();
  expect(new URL(frame.url()).pathname).toBe('/embed/p/rebilly');
  expect(refusals).toEqual([]);
});

test('through the proxy: a host origin not in frame_ancestors cannot frame the console', async ({ page }) => {
  test.skip(!host || !foreign, 'run by cargo xtask test');
  const refused = page.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
  await page.goto(hostUrl(foreign!, 'proxy.html'));
  // Refused by the proxy's policy, which names only the listed portal.
  expect((await refused).text()).toContain(`frame-ancestors ${new URL(host!).origin}`);
  const frame = await embedFrame(page);
  await expect(frame.locator('[data-testid=app-ready]')).toHaveCount(0);
  await expect(frame.locator('table.user-table')).toHaveCount(0);
});

test('a message from a foreign origin changes nothing and is counted', async ({ page }) => {
  test.skip(!host || !foreign || !consoleBase, 'run by cargo xtask test');
  const ignored: string[] = [];
  page.on('console', (m) => {
    if (m.text().startsWith('Userdeck embed: ignored message')) ignored.push(m.text());
  });
  await page.goto(hostUrl(host!, 'nginx.html', `?foreign=${encodeURIComponent(`${foreign}foreign.html`)}`));
  const frame = await embedFrame(page);
  await rowsRendered(frame);
  const before = await background(frame);
  const attacker = page.frames().find((f) => f.url().startsWith(`${foreign}foreign.html`))!;
  await attacker.evaluate(() => {
    for (let i = 0; i < parent.frames.length; i += 1) {
      if (parent.frames[i] !== window) {
        parent.frames[i].postMessage({ type: 'theme', theme: 'dark', properties: { '--bg': 'rgb(250, 0, 0)' } }, '*');
        parent.frames[i].postMessage({ type: 'token', token: 'stolen' }, '*');
      }
    }
  });
  await expect.poll(() => ignored.length).toBeGreaterThanOrEqual(2);
  expect(ignored[0]).toContain(`from ${new URL(foreign!).origin}`);
  expect(await background(frame)).toBe(before);
  await expect(frame.locator('html')).not.toHaveAttribute('data-theme', 'dark');
  expect(await frame.evaluate(() => sessionStorage.getItem('userdeck.authorization'))).toBeNull();
});
