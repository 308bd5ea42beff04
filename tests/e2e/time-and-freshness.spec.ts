import { test, expect } from '@playwright/test';
import { tableReady } from './support';

test.use({ timezoneId: 'Asia/Tokyo' });

test('dates show in the viewer’s zone with the provider’s offset in the tooltip, and the choice is remembered', async ({ page }) => {
  await page.goto('/p/rebilly?sort=-created');
  await tableReady(page);
  const first = page.locator('table.user-table tbody tr').first().locator('time').first();
  await expect(first).toHaveText(/\+09:00$/);
  await expect(first).toHaveAttribute('title', /^As the provider wrote it: .* [+-]\d{2}:\d{2}$/);
  const toggle = page.getByTestId('time-zone-toggle');
  await expect(toggle).toHaveText('Times: yours');
  await toggle.click();
  await expect(toggle).toHaveText('Times: provider’s');
  await expect(first).toHaveAttribute('title', /^Your time: .* \+09:00$/);
  const provider = await first.innerText();
  await page.reload();
  await tableReady(page);
  await expect(page.getByTestId('time-zone-toggle')).toHaveText('Times: provider’s');
  await expect(page.locator('table.user-table tbody tr').first().locator('time').first()).toHaveText(provider);
});

test('the list says when its rows were read, and Refresh moves it on', async ({ page }) => {
  await page.clock.install({ time: new Date('2026-03-04T03:03:00Z') });
  await page.goto('/p/nameshield');
  await tableReady(page);
  // 03:03 UTC is 12:03 in Tokyo.
  await expect(page.getByTestId('as-of')).toHaveText('As of 12:03');
  await page.clock.fastForward('05:00');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await tableReady(page);
  await expect(page.getByTestId('as-of')).toHaveText('As of 12:08');
});

test('no sign-out button when the server asks for no sign-in', async ({ page }) => {
  await page.goto('/p/nameshield');
  await tableReady(page);
  await expect(page.getByTestId('sign-out')).toHaveCount(0);
});
