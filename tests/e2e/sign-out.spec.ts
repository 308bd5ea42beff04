import { test, expect } from '@playwright/test';
import { tableReady } from './support';

// The locked server `cargo xtask test` starts (bearer-token sign-in), as in sign-in.spec.ts.
const locked = process.env.USERDECK_LOCKED_URL;
const token = process.env.USERDECK_ADMIN_TOKEN ?? '';

test('Sign out forgets the credential and returns to the sign-in form', async ({ page }) => {
  test.skip(!locked, 'run by cargo xtask test, which starts the locked server');
  await page.goto(`${locked}/p/nameshield`);
  await page.getByLabel('Access token or password').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await tableReady(page);
  await page.reload();
  await tableReady(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.getItem('userdeck.authorization'))).toBeNull();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
