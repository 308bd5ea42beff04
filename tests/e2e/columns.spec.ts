import { test, expect, Page } from '@playwright/test';
import { tableReady } from './support';

async function headings(page: Page): Promise<string[]> {
  const texts = await page.locator('table.user-table thead th').allInnerTexts();
  return texts.map((t) => t.split('\n')[0].trim());
}

test('hiding and moving columns survives a reload and stays out of the link', async ({ page }) => {
  await page.goto('/p/rebilly');
  await tableReady(page);
  const defaults = await headings(page);
  expect(defaults.slice(0, 3)).toEqual(['Name', 'E-mail', 'Phone']);
  await page.getByText('Columns', { exact: true }).click();
  await expect(page.getByRole('checkbox', { name: 'Name (always shown)' })).toBeDisabled();
  await page.getByRole('checkbox', { name: 'E-mail' }).uncheck();
  await page.getByRole('button', { name: 'Move Status up' }).click();
  const chosen = await headings(page);
  expect(chosen).not.toContain('E-mail');
  expect(chosen.indexOf('Status')).toBeLessThan(chosen.indexOf('Phone'));
  await page.reload();
  await tableReady(page);
  expect(await headings(page)).toEqual(chosen);
  expect(page.url()).not.toMatch(/col|email/);
  await page.getByText('Columns', { exact: true }).click();
  await page.getByRole('button', { name: 'Reset columns' }).click();
  expect(await headings(page)).toEqual(defaults);
  // Another provider keeps its own choice.
  await page.goto('/p/pngme');
  await tableReady(page);
  expect(await headings(page)).toContain('E-mail');
});

test('a hostile stored column choice is ignored', async ({ page }) => {
  await page.goto('/p/rebilly');
  await tableReady(page);
  const defaults = await headings(page);
  for (const hostile of ['<img src=x onerror=alert(1)>', '-name,-email,-phone,-status,-created', '{"a":1}', 'x'.repeat(5000)]) {
    await page.evaluate((value) => localStorage.setItem('userdeck.columns.rebilly', value), hostile);
    await page.reload();
    await tableReady(page);
    const shown = await headings(page);
    expect(shown[0]).toBe('Name');
    if (hostile.startsWith('-name')) {
      expect(shown).toEqual(['Name', ...defaults.filter((h) => !['Name', 'E-mail', 'Phone', 'Status', 'Created'].includes(h))]);
    } else {
      expect(shown).toEqual(defaults);
    }
    await expect(page.locator('table.user-table img')).toHaveCount(0);
  }
});
