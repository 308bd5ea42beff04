import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { PROVIDERS, tableReady } from './support';

/** Serious and critical axe violations on the current page, as readable lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`axe, ${scheme} theme`, () => {
    test.beforeEach(async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
    });

    test('home and not-found pages', async ({ page }) => {
      await page.goto('/');
      await expect(page.locator('.card-health').first()).not.toContainText('Checking');
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto('/no/such/page');
      await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    for (const provider of PROVIDERS) {
      test(`${provider.label} table, filters and detail panel`, async ({ page }) => {
        await page.goto(`/p/${provider.id}?sort=email&f.email=has:a`);
        await tableReady(page);
        expect(await seriousViolations(page)).toEqual([]);
        await page.getByText('Add filter').click();
        expect(await seriousViolations(page)).toEqual([]);
        await page.keyboard.press('Escape');
        await page.locator('table.user-table tbody tr th a').first().click();
        await expect(page.getByTestId('detail-panel')).toBeVisible();
        await page.getByText('Raw record (JSON)').click();
        expect(await seriousViolations(page)).toEqual([]);
      });
    }
  });
}

/** Presses Tab until `target` has focus, as a keyboard user would. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('the element never received focus from the keyboard');
}

test('the whole table flow works with the keyboard alone', async ({ page }) => {
  await page.goto('/p/rebilly');
  await tableReady(page);

  const search = page.getByRole('searchbox', { name: 'Search users' });
  await tabTo(page, search);
  await page.keyboard.type('ann');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/q=ann/);
  await tableReady(page);

  const emailSort = page.locator('thead th', { hasText: 'E-mail' }).getByRole('button');
  await tabTo(page, emailSort);
  await page.keyboard.press('Enter');
  await expect(page.locator('thead th', { hasText: 'E-mail' })).toHaveAttribute('aria-sort', 'ascending');
  await tableReady(page);

  const firstName = page.locator('table.user-table tbody tr th a').first();
  const name = (await firstName.innerText()).trim();
  await tabTo(page, firstName);
  await page.keyboard.press('Enter');
  const heading = page.getByTestId('detail-panel').getByRole('heading', { level: 2 });
  await expect(heading).toHaveText(name);
  await expect(heading).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('detail-panel')).toHaveCount(0);
  await expect(page).toHaveURL(/\/p\/rebilly\?q=ann&sort=email$/);

  const next = page.getByRole('button', { name: 'Next page' });
  if (await next.isEnabled()) {
    await tabTo(page, next);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/page=2/);
  }
});

test('screenshots of the table and the detail panel', async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 860 });
      await page.goto('/p/pressone?sort=-created');
      await tableReady(page);
      await page.screenshot({ path: `artifacts/screenshots/table-${scheme}-${width}.png` });
      await page.locator('table.user-table tbody tr th a').first().click();
      await expect(page.getByTestId('detail-panel')).toBeVisible();
      await page.getByTestId('detail-panel').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `artifacts/screenshots/detail-${scheme}-${width}.png`, fullPage: width < 600 });
    }
  }
});
