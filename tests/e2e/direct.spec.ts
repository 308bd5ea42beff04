import { test, expect, Page } from '@playwright/test';
import { tableReady, watchConsole } from './support';

// Direct mode: nginx serves the console with the README's direct-mode config.json (Rebilly and
// Pngme in direct mode), pointed at a simulator on another origin; no Userdeck proxy is involved.
const direct = process.env.USERDECK_DIRECT_URL;
const sim = process.env.USERDECK_SIM_URL;
const demo = process.env.USERDECK_BASE_URL ?? 'http://127.0.0.1:8080';

// The simulators' demo tokens (crates/sim/src/credentials.rs): never real credentials.
const REBILLY_JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfZGVtbyIsImV4cCI6NDEwMjQ0NDgwMH0.cmViaWxseS1kZW1vLWp3dA';
const PNGME_EXPIRED_JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyZGVjay1kZW1vLWV4cGlyZWQiLCJvcmciOiJkZW1vLW9yZyIsImlhdCI6MTY5OTk4MjAwMCwiZXhwIjoxNzAwMDAwMDAwfQ.4QD_J7VMWfp0f4CBlt1CiRv644epmFBpDI869Gf1z_A';

function record(page: Page) {
  const requests: { url: string; authorization?: string }[] = [];
  page.on('request', (request) => requests.push({ url: request.url(), authorization: request.headers()['authorization'] }));
  return requests;
}

test('a direct Rebilly reaches the simulator with no request to any proxy', async ({ page }) => {
  test.skip(!direct || !sim, 'run by cargo xtask test, which starts nginx and a simulator');
  const problems = watchConsole(page);
  const requests = record(page);
  await page.goto(`${direct}p/rebilly`);
  const prompt = page.getByTestId('credential-prompt');
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText(sim!);
  await page.screenshot({ path: 'artifacts/screenshots/direct-prompt.png', fullPage: true });
  expect(requests.filter((r) => r.url.startsWith(sim!)), 'nothing is sent before a token').toEqual([]);
  await page.getByLabel('Rebilly JWT').fill(REBILLY_JWT);
  await page.getByRole('button', { name: 'Use this token' }).click();
  await tableReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Rebilly (direct)' })).toBeVisible();
  const consoleOrigin = new URL(direct!).origin;
  for (const r of requests) {
    const from = new URL(r.url).origin;
    expect([consoleOrigin, sim], r.url).toContain(from);
    expect(r.url, 'no proxy API').not.toContain('/api/');
    if (from === consoleOrigin) expect(r.authorization, 'the token goes only to the provider').toBeUndefined();
  }
  const toSim = requests.filter((r) => r.url.startsWith(`${sim}/rebilly/organizations/my-org-id/users`) && r.authorization);
  expect(toSim.length).toBeGreaterThan(0);
  expect(toSim[0].authorization).toBe(`Bearer ${REBILLY_JWT}`);
  // Kept in memory only: nothing in local storage, and a new tab asks again.
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('userdeck.direct')))).toEqual([]);
  expect(problems).toEqual([]);
});

test('an expired JWT is refused before sending, with its expiry time', async ({ page }) => {
  test.skip(!direct || !sim, 'run by cargo xtask test, which starts nginx and a simulator');
  const requests = record(page);
  await page.goto(`${direct}p/pngme`);
  await page.getByLabel('Pngme bearer token (JWT)').fill(PNGME_EXPIRED_JWT);
  await page.getByRole('button', { name: 'Use this token' }).click();
  await expect(page.getByRole('alert')).toContainText('expired at 2023-11-14 22:13:20 UTC');
  await expect(page.getByRole('alert')).toContainText('It was not sent');
  expect(requests.filter((r) => r.url.startsWith(sim!))).toEqual([]);
});

test('a direct ActivePlatform is refused at config load with the reason and proxy mode', async ({ page }) => {
  const requests = record(page);
  await page.route('**/config.json', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({ providers: [{ id: 'ap', kind: 'activeplatform', mode: 'direct', base_url: 'http://127.0.0.1:9/activeplatform' }] }),
    }),
  );
  await page.goto(`${demo}/`);
  const error = page.getByTestId('config-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('providers[0].kind');
  await expect(error).toContainText('ActivePlatform cannot be called directly from the browser');
  await expect(error).toContainText('proxy mode');
  expect(requests.filter((r) => r.url.includes('/api/'))).toEqual([]);
});
