import { test, expect, APIRequestContext, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { PROVIDERS, resetFaults, setFaults, watchConsole } from './support';

test.beforeEach(async ({ request }) => {
  await resetFaults(request);
});

test.afterAll(async ({ request }) => {
  await resetFaults(request);
});

/** An ordinary PressOne user (position 13, away from the hostile records), read through the proxy. */
async function pressoneUser(request: APIRequestContext): Promise<{ email: string; mobile: string; first: string; last: string }> {
  const list = await (await request.get('/api/providers')).json();
  const info = list.providers.find((p: { id: string }) => p.id === 'pressone');
  const body = await (await request.get(`${info.path}?page_index=13&page_size=1`)).json();
  const user = body.data[0];
  return { email: user.email, mobile: user.mobile, first: user.first_name, last: user.last_name };
}

/** The proxy paths of every provider, to recognise their requests. */
async function providerPaths(request: APIRequestContext): Promise<string[]> {
  const list = await (await request.get('/api/providers')).json();
  return list.providers.map((p: { path: string }) => p.path);
}

function note(page: Page, id: string) {
  return page.getByTestId('find-providers').locator(`li[data-provider="${id}"]`);
}

async function settled(page: Page): Promise<void> {
  await expect(page.getByText('Every provider has answered.')).toBeVisible({ timeout: 20_000 });
}

test('the home page leads with the Find box, and it opens /find', async ({ page, request }) => {
  const problems = watchConsole(page);
  const { email } = await pressoneUser(request);
  await page.goto('/');
  const box = page.getByRole('searchbox', { name: /Find/ });
  await expect(box).toBeVisible();
  await expect(page.locator('.card').first()).toBeVisible();
  await box.fill(email);
  await box.press('Enter');
  await expect(page).toHaveURL(/\/find\?q=/);
  await expect(page.getByTestId('find-took')).toHaveText(`Searching for an e-mail address \u201c${email}\u201d.`);
  await settled(page);
  expect(problems).toEqual([]);
});

test('an e-mail finds that person once on every simulated provider', async ({ page, request }) => {
  const { email } = await pressoneUser(request);
  await page.goto(`/find?q=${encodeURIComponent(email)}`);
  await settled(page);
  const rows = page.getByTestId('find-table').locator('tbody tr');
  // The simulators share one population, so the same address exists on all five.
  await expect(rows).toHaveCount(PROVIDERS.length);
  for (const provider of PROVIDERS) {
    const row = page.locator(`tbody tr[data-provider="${provider.id}"]`);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(email);
    await expect(note(page, provider.id)).toContainText('1 match');
  }
  // Each row opens that user's detail.
  const rebilly = page.locator('tbody tr[data-provider="rebilly"] th a');
  const name = (await rebilly.innerText()).trim();
  await rebilly.click();
  await expect(page).toHaveURL(/\/p\/rebilly\/u\//);
  await expect(page.getByTestId('detail-panel').getByRole('heading', { level: 2 })).toHaveText(name);
  await expect(page.getByTestId('detail-panel')).toContainText(email);
});

test('a name is searched everywhere, by scan where a provider has no name search', async ({ page, request }) => {
  const { first, last, email } = await pressoneUser(request);
  await page.goto(`/find?q=${encodeURIComponent(`${first} ${last}`)}`);
  await expect(page.getByTestId('find-took')).toContainText('a name');
  await settled(page);
  await expect(note(page, 'pressone')).toContainText('reads every user');
  await expect(note(page, 'activeplatform')).toContainText('reads every user');
  await expect(note(page, 'nameshield')).toContainText('name wildcards');
  for (const provider of PROVIDERS) {
    await expect(page.locator(`tbody tr[data-provider="${provider.id}"]`, { hasText: email })).toHaveCount(1);
  }
});

test('a phone search shows the per-provider notes', async ({ page, request }) => {
  const { mobile, email } = await pressoneUser(request);
  const spaced = `${mobile.slice(0, 4)} ${mobile.slice(4, 7)} ${mobile.slice(7)}`;
  await page.goto(`/find?q=${encodeURIComponent(spaced)}`);
  await expect(page.getByTestId('find-took')).toHaveText(`Searching for a phone number \u201c${mobile}\u201d.`);
  await settled(page);
  await expect(note(page, 'nameshield')).toHaveText(/Nameshield cannot be searched by phone\./);
  await expect(note(page, 'rebilly')).toHaveText(/Rebilly cannot be searched by phone\./);
  await expect(note(page, 'activeplatform')).toContainText('its users have no phone number');
  await expect(note(page, 'pressone')).toContainText('exact mobile filter');
  for (const id of ['pressone', 'pngme']) {
    await expect(page.locator(`tbody tr[data-provider="${id}"]`, { hasText: email })).toHaveCount(1);
  }
});

test('a 429 on one provider leaves the other results visible', async ({ page, request }) => {
  const { email } = await pressoneUser(request);
  await setFaults(request, 'rebilly', { rate_limit_burst: { every: 1000, length: 1000 } });
  await page.goto(`/find?q=${encodeURIComponent(email)}`);
  await settled(page);
  await expect(note(page, 'rebilly')).toContainText('Rebilly is rate limiting requests');
  await expect(note(page, 'rebilly')).toHaveClass(/find-error/);
  const rows = page.getByTestId('find-table').locator('tbody tr');
  await expect(rows).toHaveCount(PROVIDERS.length - 1);
  await expect(page.locator('tbody tr[data-provider="rebilly"]')).toHaveCount(0);
  // Once the provider lets requests through again, Retry searches it alone.
  await resetFaults(request);
  await note(page, 'rebilly').getByRole('button', { name: 'Search Rebilly again' }).click();
  await expect(rows).toHaveCount(PROVIDERS.length);
});

test('Cancel stops every request', async ({ page, request }) => {
  const { email } = await pressoneUser(request);
  const paths = await providerPaths(request);
  for (const provider of PROVIDERS) {
    await setFaults(request, provider.id, { latency_ms: 4000 });
  }
  const isProvider = (url: string) => paths.some((p) => new URL(url).pathname.startsWith(p));
  const started: string[] = [];
  const failed: string[] = [];
  const answered: string[] = [];
  page.on('request', (r) => { if (isProvider(r.url())) started.push(r.url()); });
  page.on('requestfailed', (r) => { if (isProvider(r.url())) failed.push(r.url()); });
  page.on('response', (r) => { if (isProvider(r.url())) answered.push(r.url()); });
  await page.goto(`/find?q=${encodeURIComponent(email)}`);
  const cancel = page.getByRole('button', { name: 'Cancel' });
  await expect(cancel).toBeVisible();
  await expect.poll(() => started.length).toBe(PROVIDERS.length);
  await cancel.click();
  for (const provider of PROVIDERS) {
    await expect(note(page, provider.id)).toContainText('Cancelled');
  }
  await expect.poll(() => failed.length).toBe(started.length);
  // Past the simulators' delay, nothing has answered and nothing new was asked.
  await page.waitForTimeout(4500);
  expect(answered).toEqual([]);
  expect(started.length).toBe(PROVIDERS.length);
  await expect(page.getByTestId('find-table').locator('tbody tr')).toHaveCount(0);
});

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe on /find, ${scheme} theme`, async ({ page, request }) => {
    const { mobile } = await pressoneUser(request);
    await setFaults(request, 'pngme', { server_error_rate: 1.0 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`/find?q=${encodeURIComponent(mobile)}`);
    await settled(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/');
    await expect(page.locator('.card-health').first()).not.toContainText('Checking');
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('screenshots of /find', async ({ page, request }) => {
  const { first } = await pressoneUser(request);
  await setFaults(request, 'rebilly', { rate_limit_burst: { every: 1000, length: 1000 } });
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`/find?q=${encodeURIComponent(first)}`);
      await settled(page);
      await page.screenshot({ path: `artifacts/screenshots/find-${scheme}-${width}.png`, fullPage: true });
    }
  }
});
