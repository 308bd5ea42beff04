import { test, expect, Page } from '@playwright/test';
import { tableReady } from './support';

// The locked server started by `cargo xtask test` configures a PressOne provider with
// `max_page_size = 10`. The browser plans with the capabilities the server sends, so a page of
// 25 rows is read as pages of 10: the operator's setting holds in the browser, not only at the
// proxy.
const locked = process.env.USERDECK_LOCKED_URL;
const token = process.env.USERDECK_ADMIN_TOKEN ?? '';

/** Every `page_size` the page sends to the provider route `id`, as numbers. */
function watchPageSizes(page: Page, id: string): number[] {
  const sizes: number[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith(`/api/p/${id}/`)) sizes.push(Number(url.searchParams.get('page_size')));
  });
  return sizes;
}

test('a max_page_size in the proxy config changes the page size the console requests', async ({ page }) => {
  test.skip(!locked, 'run by cargo xtask test, which starts the locked server');
  const sizes = watchPageSizes(page, 'pressone-small');
  await page.goto(`${locked}/p/pressone-small`);
  await page.getByLabel('Access token or password').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await tableReady(page);
  await expect(page.locator('table.user-table tbody tr')).toHaveCount(25);
  expect(sizes.length).toBeGreaterThanOrEqual(3);
  expect(new Set(sizes)).toEqual(new Set([10]));
});

test('without the setting the same view asks for pages of 25', async ({ page }) => {
  const sizes = watchPageSizes(page, 'pressone');
  await page.goto('/p/pressone');
  await tableReady(page);
  await expect(page.locator('table.user-table tbody tr')).toHaveCount(25);
  expect(new Set(sizes)).toEqual(new Set([25]));
});
