import { test, expect, Page } from '@playwright/test';
import { PROVIDERS, tableReady } from './support';

// The README's deployments, started by `cargo xtask test` with the README's own commands: nginx
// serving dist/ under /admin/ with deploy/nginx.conf (talking to the demo proxy on another origin
// through exact-origin CORS), and the proxy with sign-in on, at / and with base_path = "/admin/",
// in front of the simulators. The same dist/ serves all of them.
const nginx = process.env.USERDECK_NGINX_URL;
const based = process.env.USERDECK_BASE_PATH_URL;
const rooted = process.env.USERDECK_PROXY_ROOT_URL;
const demo = process.env.USERDECK_BASE_URL;
const token = process.env.USERDECK_ADMIN_TOKEN ?? '';

/** Signs the tab in to a proxy with sign-in on, as the sign-in form does. */
async function signedIn(page: Page) {
  await page.addInitScript((value) => sessionStorage.setItem('userdeck.authorization', value), `Bearer ${token}`);
}

async function subPathScenario(page: Page, base: string, under = '/admin/') {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(base);
  await expect(page.getByRole('heading', { level: 1, name: 'Providers' })).toBeVisible();
  for (const provider of PROVIDERS) {
    await page.getByRole('navigation', { name: 'Providers' }).getByRole('link', { name: provider.label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${under}p/${provider.id}`));
    await tableReady(page);
    await expect(page.getByRole('heading', { level: 1, name: provider.label })).toBeVisible();
  }
  // Deep link to a user's detail, then reload: the SPA fallback serves it under the sub-path.
  await page.goto(`${base}p/rebilly`);
  await tableReady(page);
  await page.locator('table.user-table tbody tr').first().locator('a').first().click();
  await expect(page.getByTestId('detail-panel')).toBeVisible();
  const deep = page.url();
  expect(deep).toContain(`${under}p/rebilly/u/`);
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
  expect(own.some((url) => url.endsWith(`${under}config.json`))).toBe(true);
  const escaped = `${origin}${under}`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  expect(own.some((url) => new RegExp(`^${escaped}userdeck-[0-9a-f]{8,16}_bg\\.wasm$`).test(url))).toBe(true);
  const chunk = new RegExp(`^${escaped}chunk-user-[0-9a-f]{16}\\.wasm$`);
  expect(own.some((url) => chunk.test(url)), 'the user page arrived as its chunk, from under the sub-path').toBe(true);
  for (const url of own) expect(url, `under ${under}`).toContain(`${origin}${under}`);
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
  const chunkUrl = requests.find((url) => /\/chunk-user-[0-9a-f]{16}\.wasm$/.test(url))!;
  const chunk = await request.get(chunkUrl, { headers: { 'Accept-Encoding': 'br' } });
  expect(chunk.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(chunk.headers()['content-type']).toBe('application/wasm');
  expect(chunk.headers()['content-encoding']).toBe('br');
  const proxied = await request.get(`${demo}/`);
  const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
  const fromNginx = directives(index.headers()['content-security-policy']);
  const fromProxy = directives(proxied.headers()['content-security-policy']);
  for (const [name, value] of fromProxy) {
    if (name === 'connect-src') expect(fromNginx.get(name)).toBe(`'self' ${demo}`);
    else expect(fromNginx.get(name), name).toBe(value);
  }
  expect([...fromNginx.keys()].sort()).toEqual([...fromProxy.keys()].sort());
  // Both were given the same portal to allow: the proxy through --frame-ancestor, nginx through
  // its frame-ancestors string. The loop above held them equal; this pins what they say.
  expect(fromProxy.get('frame-ancestors')).toBe(new URL(process.env.USERDECK_HOST_URL!).origin);
});

test('the proxy at / serves the console and the API at the root', async ({ page }) => {
  test.skip(!rooted, 'run by cargo xtask test, which starts the README proxy at /');
  await signedIn(page);
  const requests = await subPathScenario(page, rooted!, '/');
  const origin = new URL(rooted!).origin;
  expect(requests.some((url) => url.startsWith(`${origin}/api/p/`))).toBe(true);
});

test('the proxy with base_path serves the console and the API under /admin/', async ({ page, request }) => {
  test.skip(!based, 'run by cargo xtask test, which starts the base-path server');
  await signedIn(page);
  const requests = await subPathScenario(page, based!);
  const origin = new URL(based!).origin;
  expect(requests.some((url) => url.startsWith(`${origin}/admin/api/p/`))).toBe(true);
  expect(requests.filter((url) => url.startsWith(`${origin}/api/`))).toEqual([]);
  const root = await request.get(`${origin}/`, { maxRedirects: 0 });
  expect(root.status()).toBe(308);
  expect(root.headers()['location']).toBe('/admin/');
});
