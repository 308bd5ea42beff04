import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { resetFaults, setFaults, tableReady } from './support';

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
  test.describe(`axe on the support surfaces, ${scheme} theme`, () => {
    test.beforeEach(async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
    });
    test.afterEach(async ({ request }) => {
      await resetFaults(request);
    });

    test('columns, views and export menus', async ({ page }) => {
      await page.goto('/p/rebilly');
      await tableReady(page);
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      await page.getByText('Columns', { exact: true }).click();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByText('Columns', { exact: true }).click();
      await page.getByText('Views', { exact: true }).click();
      await page.getByLabel('View name').fill('Mine');
      await page.getByRole('button', { name: 'Save view' }).click();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByText('Views', { exact: true }).click();
      await page.getByText('Export CSV', { exact: true }).click();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `artifacts/support-toolbar-${scheme}.png` });
    });

    test('export progress', async ({ page, request }) => {
      await page.goto('/p/pressone');
      await tableReady(page);
      await setFaults(request, 'pressone', { latency_ms: 1500 });
      await page.getByText('Export CSV', { exact: true }).click();
      await page.getByRole('button', { name: 'Start export' }).click();
      await expect(page.getByTestId('export-progress')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `artifacts/support-export-progress-${scheme}.png` });
      await page.getByRole('button', { name: 'Cancel export' }).click();
    });

    test('All rows', async ({ page }) => {
      await page.goto('/p/pngme?sort=name');
      await tableReady(page);
      await page.getByLabel('Rows per page').selectOption('all');
      await expect(page.getByTestId('all-rows')).toBeVisible();
      await page.getByTestId('all-rows').focus();
      await page.keyboard.press('ArrowDown');
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `artifacts/support-all-rows-${scheme}.png` });
    });
  });
}
