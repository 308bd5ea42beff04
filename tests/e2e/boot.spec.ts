import { test, expect, ConsoleMessage } from '@playwright/test';

// Chromium notes that it ignores `integrity` on the wasm preload link (crbug.com/981419). Trunk
// adds subresource integrity to every asset on purpose (it still guards the JS on a CDN), so this
// one browser notice is expected; any other warning or error fails the test.
const KNOWN_BROWSER_NOTICE = /The `integrity` attribute is currently ignored for preload destinations/;

// The WebAssembly console boots, renders its shell and says nothing alarming on the console.
test('the console boots without errors', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    const serious = message.type() === 'error' || message.type() === 'warning';
    if (serious && !KNOWN_BROWSER_NOTICE.test(message.text())) {
      problems.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));

  await page.goto('/');
  await expect(page).toHaveTitle('Userdeck');
  // Only the running wasm app renders this region; the static index.html has an empty body.
  await expect(page.getByTestId('app-ready')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Providers' })).toBeVisible();
  await page.screenshot({ path: 'artifacts/screenshots/boot-home.png', fullPage: true });

  // A deep link is served by the SPA fallback and routed on the client.
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();

  expect(problems).toEqual([]);
});

test('the theme toggle switches and is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const root = page.locator('html');
  await expect(root).toHaveAttribute('data-theme', 'light');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(root).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(root).toHaveAttribute('data-theme', 'dark');
  await page.screenshot({ path: 'artifacts/screenshots/boot-home-dark.png', fullPage: true });
});
