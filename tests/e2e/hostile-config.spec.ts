import { test, expect } from '@playwright/test';

// A hostile or broken config.json ends at the config error page naming the member: never a
// panic, never a blank page. The demo server's answer for config.json is replaced per case.
const cases: { name: string; body: string; says: RegExp }[] = [
  { name: 'wrong types', body: '{"proxy": 42, "providers": {"a": 1}}', says: /member `proxy`: must be a string, not a number/ },
  { name: 'unknown kind', body: JSON.stringify({ providers: [{ id: 's', kind: 'stripe', mode: 'direct', base_url: 'https://x.example' }] }), says: /providers\[0\]\.kind.*`stripe` is not one of/ },
  { name: 'javascript: base URL', body: JSON.stringify({ providers: [{ id: 'r', kind: 'rebilly', mode: 'direct', base_url: 'javascript:alert(1)' }] }), says: /providers\[0\]\.base_url.*is not an http:\/\/ or https:\/\/ URL/ },
  { name: 'javascript: proxy', body: '{"proxy": "javascript:alert(document.domain)"}', says: /member `proxy`/ },
  { name: '1 MB of junk', body: '\u0000{]'.repeat(350_000), says: /more than the 65536 a console config may have/ },
  { name: 'not JSON', body: '<?xml version="1.0"?><config/>', says: /not valid JSON/ },
];

for (const c of cases) {
  test(`hostile config: ${c.name} shows the config error page`, async ({ page }) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (/panicked|RuntimeError|unreachable/.test(message.text())) problems.push(message.text());
    });
    let dialogs = 0;
    page.on('dialog', async (dialog) => {
      dialogs += 1;
      await dialog.dismiss();
    });
    await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: c.body }));
    await page.goto('/');
    const error = page.getByTestId('config-error');
    await expect(error).toBeVisible();
    await expect(error.getByRole('alert')).toHaveText(c.says);
    await expect(page.getByTestId('app-ready')).toHaveCount(0);
    if (c.name === 'wrong types') await page.screenshot({ path: 'artifacts/screenshots/config-error.png', fullPage: true });
    expect(problems).toEqual([]);
    expect(dialogs).toBe(0);
  });
}

test('an absent config.json keeps the proxy at the console address', async ({ page }) => {
  await page.route('**/config.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Providers' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Providers' }).getByRole('link')).toHaveCount(5);
});
