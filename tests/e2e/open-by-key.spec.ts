import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { PROVIDERS, resetFaults, tableReady, watchConsole } from './support';

test.beforeEach(async ({ request }) => {
  await resetFaults(request);
});

function panel(page: Page) {
  return page.getByTestId('detail-panel');
}

for (const provider of PROVIDERS) {
  test(`${provider.label}: a link to a user on page 7 opens that user on a fresh load`, async ({ page, browser, baseURL }) => {
    await page.goto(`/p/${provider.id}?page=7`);
    await tableReady(page);
    const link = page.locator('table.user-table tbody tr th a').nth(3);
    const name = (await link.innerText()).trim();
    await link.click();
    await expect(panel(page).getByRole('heading', { level: 2 })).toHaveText(name);

    // The link a ticket holds names the user alone, not the page it was on.
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const fresh = await context.newPage();
    const problems = watchConsole(fresh);
    await fresh.goto(page.url().split('?')[0]);
    await expect(panel(fresh).getByRole('heading', { level: 2 })).toHaveText(name);
    await panel(fresh).getByRole('button', { name: 'Copy link' }).click();
    await expect(panel(fresh).getByRole('button', { name: 'Copy link' })).toHaveText('Copied');
    const copied = await fresh.evaluate(() => navigator.clipboard.readText());
    expect(copied.startsWith(`${baseURL}/p/${provider.id}/u/`)).toBe(true);
    expect(copied).not.toContain('?');

    const ticket = await context.newPage();
    await ticket.goto(copied);
    await expect(panel(ticket).getByRole('heading', { level: 2 })).toHaveText(name);
    // The table behind it is the provider's first page, which does not hold this user.
    await tableReady(ticket);
    await expect(ticket.locator('table.user-table tbody tr th a', { hasText: name })).toHaveCount(0);
    expect(problems).toEqual([]);
    await context.close();
  });
}

test('an unknown key shows the not-found state', async ({ page }) => {
  await page.goto('/p/nameshield/u/no-such-user');
  await expect(panel(page).getByRole('heading', { level: 2 })).toHaveText('No user with this key');
  await expect(page.getByTestId('user-missing')).toContainText('Nameshield has no user with the key \u201cno-such-user\u201d');
  await page.goto('/p/pressone/u/not-a-pressone-key');
  await expect(panel(page).getByRole('heading', { level: 2 })).toHaveText('No user with this key');
});

test('a key holding % / ? # + & space and non-ASCII is decoded exactly once', async ({ page }) => {
  const key = 'a%2Fb/c?d#e+f&g h\u00e9\u041c~25';
  // As nav.rs writes it: `~` and `%` escaped with `~`, then every reserved byte percent-encoded.
  const segment = encodeURIComponent(key.replace(/~/g, '~7E').replace(/%/g, '~25'));
  await page.goto(`/p/rebilly/u/${segment}`);
  await expect(page.getByTestId('user-missing')).toContainText(`Rebilly has no user with the key \u201c${key}\u201d`);
  // Reloading what the address bar holds gives the same key.
  await page.reload();
  await expect(page.getByTestId('user-missing')).toContainText(`\u201c${key}\u201d`);
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
  test(`axe on the not-found and fetched detail, ${scheme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/p/activeplatform/u/1');
    await expect(page.getByTestId('user-missing')).toBeVisible({ timeout: 20_000 });
    await tableReady(page);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/p/pressone?page=7');
    await tableReady(page);
    const href = await page.locator('table.user-table tbody tr th a').first().getAttribute('href');
    await page.goto((href ?? '').split('?')[0]);
    await expect(panel(page).getByRole('button', { name: 'Copy link' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}
