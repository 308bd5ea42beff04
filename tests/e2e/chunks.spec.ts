import { test, expect } from '@playwright/test';
import { tableReady } from './support';

// The release console is split (`cargo xtask dist`): the find page, the user page and the
// toolbar's menu panels are chunks fetched on first need, not part of the first load.
const CHUNK = /\/chunk-[a-z0-9]+-[0-9a-f]{16}\.wasm$/;

test('a first visit to a table fetches no chunk until a menu is reached', async ({ page }) => {
  const chunks: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (CHUNK.test(path)) chunks.push(path);
  });
  await page.goto('/p/rebilly');
  await tableReady(page);
  expect(chunks).toEqual([]);

  await page.getByText('Export CSV', { exact: true }).click();
  await expect(page.getByRole('button', { name: 'Start export' })).toBeVisible();
  expect(chunks.some((path) => path.startsWith('/chunk-export-'))).toBe(true);
});

test('a chunk that does not arrive is said, and Try again loads it', async ({ page }) => {
  let blocked = true;
  await page.route(/\/chunk-find-[0-9a-f]{16}\.wasm$/, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await page.goto('/find');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('This part of the console could not be downloaded. Check the connection and try again');
  await expect(page.getByRole('heading', { level: 1, name: 'Find a person' })).toHaveCount(0);

  blocked = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a person' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a menu whose chunk does not arrive says so inside its panel', async ({ page }) => {
  await page.route(/\/chunk-views-[0-9a-f]{16}\.wasm$/, (route) => route.abort('internetdisconnected'));
  await page.goto('/p/rebilly');
  await tableReady(page);
  await page.getByText('Views', { exact: true }).click();
  const panel = page.getByTestId('views-menu').getByRole('group', { name: 'Saved views' });
  await expect(panel.getByRole('alert')).toContainText('could not be downloaded');
  // The rest of the page goes on working.
  await page.getByText('Columns', { exact: true }).click();
  await expect(page.getByRole('button', { name: 'Reset columns' })).toBeVisible();
});
