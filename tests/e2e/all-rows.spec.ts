import { test, expect } from '@playwright/test';
import { tableReady } from './support';

test('All shows a 2,000-user scan with at most 80 rows in the DOM, to the last user by keyboard', async ({ page }) => {
  // Pngme cannot sort by name, so the browser reads all 2,000 users: the whole result is here.
  await page.goto('/p/pngme?sort=name');
  await tableReady(page);
  await expect(page.getByTestId('browser-note')).toBeVisible();
  await page.getByLabel('Rows per page').selectOption('all');
  await expect(page.getByTestId('pager-label')).toHaveText('All 2,000 users');
  const region = page.getByTestId('all-rows');
  await expect(region.locator('table')).toHaveAttribute('aria-rowcount', '2001');
  const rows = page.locator('tr');
  let most = 0;
  const scroller = await region.elementHandle();
  for (let step = 0; step <= 40; step++) {
    await scroller!.evaluate((el, s) => { el.scrollTop = (el.scrollHeight * s) / 40; }, step);
    await page.waitForTimeout(30);
    most = Math.max(most, await rows.count());
  }
  expect(most).toBeLessThanOrEqual(80);
  await expect(region.locator('tr[aria-rowindex="2001"]')).toBeVisible();

  // Back to the top, then the keyboard alone to the last user.
  await scroller!.evaluate((el) => { el.scrollTop = 0; });
  await region.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator(':focus')).toHaveAttribute('aria-rowindex', '3');
  await page.keyboard.press('PageDown');
  await page.keyboard.press('End');
  const last = page.locator(':focus');
  await expect(last).toHaveAttribute('aria-rowindex', '2001');
  expect(await rows.count()).toBeLessThanOrEqual(80);
  const name = (await last.locator('th').innerText()).trim();
  await page.keyboard.press('ArrowUp');
  await expect(page.locator(':focus')).toHaveAttribute('aria-rowindex', '2000');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('detail-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading').first()).toContainText(name.slice(0, 20));
  // The table stays on All beside the panel.
  await expect(page.getByTestId('pager-label')).toHaveText('All 2,000 users');
});

test('All is offered only when the browser holds the whole result', async ({ page }) => {
  await page.goto('/p/rebilly');
  await tableReady(page);
  await expect(page.getByLabel('Rows per page').locator('option[value=all]')).toHaveCount(0);
});
