import { test, expect, Page } from '@playwright/test';
import { PROVIDERS, tableReady } from './support';

// Sub-path deployments, started by `cargo xtask test`: nginx serving dist/ under /admin/ with
// deploy/nginx.conf (talking to the demo proxy on another origin through exact-origin CORS), and
// the proxy itself with base_path = "/admin/". The same dist/ serves both, and the root.
const nginx = process.env.USERDECK_NGINX_URL;
const based = process.env.USERDECK_BASE_PATH_URL;
const demo = process.env.USERDECK_BASE_URL;

async function subPathScenario(page: Page, base: string) {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(base);
  await expect(page.getByRole('heading', { level: 1, name: 'Providers' })).toBeVisible();
  for (const provider of PROVIDERS) {
    await page.getByRole('navigation', { name: 'Providers' }).getByRole('link', { name: provider.label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/p/${provider.id}`));
    await tableReady(page);
    await expect(page.getByRole('heading', { level: 1, name: provider.label })).toBeVisible();
  }
  // Deep link to a user's detail, then reload: the SPA fallback serves it under the sub-path.
  await page.goto(`${base}p/rebilly`);
  await tableReady(page);
  await page.locator('table.user-table tbody tr').first().locator('a').first().click();
  await expect(page.getByTestId('detail-panel')).toBeVisible();
  const deep = page.url();
  expect(deep).toContain('/admin/p/rebilly/u/');
  await page.reload();
  await expect(page.getByTestId('detail-panel')).toBeVisible();
  await expect(page.getByTestId('detail-panel').locator('h2')).not.toHaveText('User');
  // Back and forward.
  await page.goBack();
  await expect(page).toHaveURL(`${base}p/rebilly`);
  await tableReady(page);
  await page.goForward();
  await expect(page).toHaveURL(deep);
  await expect(page.getByTestId('detail-panel')).toBeVisible();
  // Every asset, config.json and API call stayed under the sub-path (or went to the proxy).
  const origin = new URL(base).origin;
  const own = requests.filter((url) => url.startsWith(origin));
  expect(own.some((url) => url.endsWith('/admin/config.json'))).toBe(true);
  expect(own.some((url) => /\/admin\/userdeck-[0-9a-f]{8,16}_bg\.wasm$/.test(url))).toBe(true);
  for (const url of own) expect(url, 'under /admin/').toContain(`${origin}/admin/`);
  expect(problems).toEqual([]);
  return requests;
}

test('nginx serves the console under /admin/, talking to the proxy on another origin', async ({ page, request }) => {
  test.skip(!nginx || !demo, 'run by cargo xtask test, which starts nginx');
  const requests = await subPathScenario(page, nginx!);
  expect(requests.some((url) => url.startsWith(`${demo}/api/p/`)), 'API calls go to the proxy origin').toBe(true);
  await page.screenshot({ path: 'artifacts/screenshots/nginx-subpath.png', fullPage: true });

  // Caching and compression as deploy/nginx.conf promises, and the proxy's CSP.
  const index = await request.get(nginx!);
  expect(index.headers()['cache-control']).toBe('no-cache');
  expect(await index.text()).toContain('<base href="/admin/" />');
  const config = await request.get(`${nginx}config.json`);
  expect(config.headers()['cache-control']).toBe('no-cache');
  const html = await index.text();
  const wasm = html.match(/userdeck-[0-9a-f]{8,16}_bg\.wasm/)![0];
  const asset = await request.get(`${nginx}${wasm}`, { headers: { 'Accept-Encoding': 'br' } });
  expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(asset.headers()['content-encoding']).toBe('br');
  const gz = await request.get(`${nginx}${wasm}`, { headers: { 'Accept-Encoding': 'gzip' } });
  expect(gz.headers()['content-encoding']).toBe('gzip');
  const proxied = await request.get(`${demo}/`);
  const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
  const fromNginx = directives(index.headers()['content-security-policy']);
  const fromProxy = directives(proxied.headers()['content-security-policy']);
  for (const [name, value] of fromProxy) {
    if (name === 'connect-src') expect(fromNginx.get(name)).toBe(`'self' ${demo}`);
    else if (name === 'frame-ancestors') expect(fromNginx.get(name)).toBe(new URL(process.env.USERDECK_HOST_URL!).origin);
    else expect(fromNginx.get(name), name).toBe(value);
  }
  expect([...fromNginx.keys()].sort()).toEqual([...fromProxy.keys()].sort());
});

test('the proxy with base_path serves the console and the API under /admin/', async ({ page, request }) => {
  test.skip(!based, 'run by cargo xtask test, which starts the base-path server');
  const requests = await subPathScenario(page, based!);
  const origin = new URL(based!).origin;
  expect(requests.some((url) => url.startsWith(`${origin}/admin/api/p/`))).toBe(true);
  expect(requests.filter((url) => url.startsWith(`${origin}/api/`))).toEqual([]);
  const root = await request.get(`${origin}/`, { maxRedirects: 0 });
  expect(root.status()).toBe(308);
  expect(root.headers()['location']).toBe('/admin/');
});
