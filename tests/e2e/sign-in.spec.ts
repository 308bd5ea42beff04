import { test, expect } from '@playwright/test';
import { tableReady } from './support';

// A second server, started by `cargo xtask test` with admin sign-in on (bearer token), whose one
// provider is the demo server's Nameshield route.
const locked = process.env.USERDECK_LOCKED_URL;
const token = process.env.USERDECK_ADMIN_TOKEN ?? '';

test('a locked server asks for sign-in, refuses a wrong token and accepts the right one', async ({ page }) => {
  test.skip(!locked, 'run by cargo xtask test, which starts the locked server');
  await page.goto(`${locked}/p/nameshield`);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.screenshot({ path: 'artifacts/screenshots/sign-in.png' });
  await page.getByLabel('Access token or password').fill('not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('did not accept those credentials');
  await page.getByLabel('Access token or password').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await tableReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Nameshield' })).toBeVisible();
  // The sign-in lasts for the tab: a reload stays signed in.
  await page.reload();
  await tableReady(page);
});
