import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchConsole } from './support';

// The conformance server, started by `cargo xtask test`, whose Rebilly providers are one Prism
// mock of the repository's Rebilly OpenAPI in dynamic mode (see xtask/src/prism.rs): random
// schema-valid users on every request (`prism`), the same with only the required members and
// the bearer-JWT credential (`prism-required`), and a fixed page of hostile ids (`prism-ids`).
const server = process.env.USERDECK_CONFORMANCE_URL;
const token = process.env.USERDECK_ADMIN_TOKEN ?? '';

test.beforeEach(async ({ page }) => {
  test.skip(!server, 'run by cargo xtask test, which starts Prism and the conformance server');
  await page.addInitScript((value) => sessionStorage.setItem('userdeck.authorization', value), `Bearer ${token}`);
});

type Outcome = 'rows' | 'short' | 'contradiction' | 'dishonest';

interface Load { outcome: Outcome; requests: number; text: string }

/** What the list settled on once its load is over. */
async function settled(page: Page): Promise<Omit<Load, 'requests'>> {
  const rows = page.locator('table.user-table tbody tr');
  const banner = page.getByTestId('error-banner');
  const empty = page.locator('.empty-state');
  await expect(rows.first().or(banner).or(empty)).toBeVisible();
  await expect(page.locator('.progress-line.active')).toHaveCount(0);
  // Prism always reports 332 users, so "no users" would hide the contradiction.
  if (await empty.count()) return { outcome: 'dishonest', text: await empty.innerText() };
  if (await banner.count()) {
    const text = await banner.innerText();
    const contradiction = /^Rebilly reported 332 users but sent none for this page\./m.test(text);
    return { outcome: contradiction ? 'contradiction' : 'dishonest', text };
  }
  const short = page.getByTestId('short-pages');
  if (await short.count()) {
    await expect(short).toContainText(/^Rebilly sends shorter pages than asked/);
    await expect(short.getByRole('button', { name: 'Read every page' })).toBeVisible();
    return { outcome: 'short', text: await short.innerText() };
  }
  return { outcome: 'rows', text: `${await rows.count()} rows` };
}

/** Runs `action` (a page load or a Refresh) and says what the list settled on, and how many
 * provider requests the view cost. */
async function load(page: Page, action: () => Promise<unknown>): Promise<Load> {
  let requests = 0;
  const count = (r: { url(): string }) => { if (r.url().includes('/api/p/')) requests += 1; };
  page.on('request', count);
  const answered = page.waitForResponse((r) => r.url().includes('/api/p/'));
  await action();
  await answered;
  const outcome = await settled(page);
  page.off('request', count);
  return { ...outcome, requests };
}

/** Twenty loads of fresh random data (a page load, then Refresh, which skips the cache):
 * each shows rows or an honest state, none costs more than 4 requests, no page error. */
async function twentyLoads(page: Page, path: string): Promise<Load[]> {
  const problems = watchConsole(page);
  const started = Date.now();
  const loads: Load[] = [await load(page, () => page.goto(`${server}${path}`))];
  const refresh = page.getByRole('button', { name: 'Refresh' });
  while (loads.length < 20) loads.push(await load(page, () => refresh.click()));
  const tally = loads.reduce((t, l) => ({ ...t, [l.outcome]: (t[l.outcome] ?? 0) + 1 }), {} as Record<string, number>);
  const most = Math.max(...loads.map((l) => l.requests));
  console.log(`${path}: ${JSON.stringify(tally)}, at most ${most} requests per view, ${Math.round((Date.now() - started) / 20)} ms per load`);
  expect(loads.filter((l) => l.outcome === 'dishonest').map((l) => l.text)).toEqual([]);
  // Prism's random arrays are often empty (the honest contradiction above); the rest render.
  expect(loads.filter((l) => l.outcome === 'rows' || l.outcome === 'short').length, 'loads that rendered rows').toBeGreaterThan(0);
  expect(most, 'requests per view').toBeLessThanOrEqual(4);
  expect(problems).toEqual([]);
  return loads;
}

test('20 loads of random Rebilly users each render rows or an honest state', async ({ page }) => {
  test.setTimeout(120_000);
  const loads = await twentyLoads(page, '/p/prism');
  // A short page is the usual Prism answer: the offered full scan reads every page or says why.
  let outcome = loads[loads.length - 1].outcome;
  const refresh = page.getByRole('button', { name: 'Refresh' });
  for (let i = 0; i < 10 && outcome !== 'short'; i += 1) outcome = (await load(page, () => refresh.click())).outcome;
  expect(outcome, 'a load with the short-pages note').toBe('short');
  await page.screenshot({ path: 'artifacts/screenshots/conformance-prism.png', fullPage: true });
  await page.getByTestId('short-pages').getByRole('button', { name: 'Read every page' }).click();
  const rows = page.locator('table.user-table tbody tr');
  const banner = page.getByTestId('error-banner');
  await expect(rows.first().or(banner)).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.progress-line.active')).toHaveCount(0, { timeout: 20_000 });
  if (await banner.count()) await expect(banner).toContainText(/^Rebilly /);
});

test('20 loads with only the required members, over a bearer JWT, render too', async ({ page }) => {
  test.setTimeout(120_000);
  await twentyLoads(page, '/p/prism-required');
  // A user without an id, status or dates: the detail lists Rebilly's fields and says what is missing.
  const link = page.locator('table.user-table tbody tr th a').first();
  const refresh = page.getByRole('button', { name: 'Refresh' });
  for (let i = 0; i < 10 && !(await link.count()); i += 1) await load(page, () => refresh.click());
  await link.click();
  const panel = page.getByTestId('detail-panel');
  await expect(panel.getByText('— (Rebilly sent no id for this user)')).toBeVisible();
  await expect(panel.getByText('this provider has no user id')).toHaveCount(0);
  const terms = await panel.locator('dl dt').allInnerTexts();
  expect(terms).toContain('Last login');
  expect(terms).not.toContain('Middle name');
  expect(terms).not.toContain('Expires');
});

// As in xtask/src/prism.rs.
// The ids xtask/src/prism.rs serves on the fixed page, one a line.
const HOSTILE_IDS = readFileSync(join('tests', 'hostile-ids.txt'), 'utf8').split('\n').filter((id) => id !== '');

/** The key the address bar's `/u/` segment holds, decoded once and unescaped as nav.rs writes it. */
function keyInAddress(url: string): string {
  const segment = new URL(url).pathname.split('/u/')[1] ?? '';
  return decodeURIComponent(segment).replace(/~25|~7E/g, (e) => (e === '~25' ? '%' : '~'));
}

test('ids with / ? # % %2F + &, spaces and non-ASCII open that user on every path', async ({ page, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server });
  const problems = watchConsole(page);
  await page.goto(`${server}/p/prism-ids?size=50`);
  await expect(page.locator('table.user-table tbody tr')).toHaveCount(HOSTILE_IDS.length);
  const panel = page.getByTestId('detail-panel');
  const heading = panel.getByRole('heading', { level: 2 });
  const raw = panel.locator('pre code');
  const name = (i: number) => `Id Case ${i}`;
  const shows = async (i: number) => {
    await expect(heading).toHaveText(name(i));
    await expect(raw).toContainText(`"id": ${JSON.stringify(HOSTILE_IDS[i])}`);
  };
  const copied: string[] = [];
  for (const [i, id] of HOSTILE_IDS.entries()) {
    // Table link, with the view's URL state kept beside the detail route.
    await page.locator('table.user-table tbody tr th a').getByText(name(i), { exact: true }).click();
    await shows(i);
    expect(keyInAddress(page.url()), 'the address holds the id encoded once').toBe(id);
    expect(new URL(page.url()).search).toBe('?size=50');
    // Copy link names the user alone.
    await panel.getByRole('button', { name: 'Copy link' }).click();
    await expect(panel.getByRole('button', { name: 'Copy link' })).toHaveText('Copied');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link.startsWith(`${server}/p/prism-ids/u/`), link).toBe(true);
    expect(keyInAddress(link)).toBe(id);
    copied.push(link);
    // Closing returns to the table's view.
    await page.getByRole('link', { name: 'Close the user detail' }).click();
    await expect(panel).toHaveCount(0);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/p/prism-ids?size=50');
  }
  // The detail route on a fresh load of each copied address opens the same user.
  for (const [i, link] of copied.entries()) {
    await page.goto(link);
    await shows(i);
  }
  expect(problems).toEqual([]);
});
