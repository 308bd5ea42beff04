import { test, expect, Page, APIRequestContext } from '@playwright/test';
import { resetFaults, setFaults, tableReady, watchConsole } from './support';

// Provider faults through the real proxy and the console: the demo server's simulators break
// their answers on the wire (crates/sim/src/faults.rs), and for the size limit the conformance
// server puts a 4 MiB response limit in front of the demo's Nameshield. Each fault shows its
// sentence, and the console works again once the fault is gone.

test.beforeEach(async ({ request }) => {
  await resetFaults(request);
});

test.afterEach(async ({ request }) => {
  await resetFaults(request);
});

/** The table works again: Retry clears the banner, the rows are back, a user opens. */
async function usableAgain(page: Page, request: APIRequestContext) {
  const banner = page.getByTestId('error-banner');
  await resetFaults(request);
  await banner.getByRole('button', { name: 'Retry' }).click();
  await tableReady(page);
  await expect(banner).toHaveCount(0);
  await expect(page.locator('table.user-table tbody tr')).toHaveCount(25);
  const link = page.locator('table.user-table tbody tr th a').first();
  const name = (await link.innerText()).trim();
  await link.click();
  await expect(page.getByTestId('detail-panel').getByRole('heading', { level: 2 })).toHaveText(name);
}

const BROKE_OFF = "Rebilly could not be read through the Userdeck server: Rebilly's answer broke off before it was complete (the connection was cut mid-body). Try again; if it persists, check the provider's status.";

// Rebilly's broken answers, one after the other on one loaded page (one console boot for
// all): each shows its sentence, and the console is usable again once the fault is gone.
const BROKEN: { name: string; faults: object; sentence: string }[] = [
  { name: 'a connection reset mid-body', faults: { reset_mid_body: true }, sentence: BROKE_OFF },
  { name: 'a body truncated against its Content-Length', faults: { short_content_length: true }, sentence: BROKE_OFF },
  {
    name: 'a 200 with a problem body',
    faults: { problem_with_ok_status: true },
    sentence: 'Rebilly failed with HTTP status 500: Internal Server Error (An unexpected error occurred.) (sent as the body of a 200 answer).',
  },
];

test('a reset mid-body, a body short of its Content-Length, a 200 with a problem body, a slow trickle', async ({ page, request }) => {
  const problems = watchConsole(page);
  await page.goto('/p/rebilly');
  await tableReady(page);
  for (const { name, faults, sentence } of BROKEN) {
    await test.step(name, async () => {
      await setFaults(request, 'rebilly', faults);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(page.getByTestId('error-banner')).toContainText(sentence);
      await usableAgain(page, request);
      await page.getByRole('link', { name: 'Close the user detail' }).click();
    });
  }
  await test.step('a slow trickle under the timeout still renders the page', async () => {
    await setFaults(request, 'rebilly', { slow_body: { chunk_bytes: 1024, chunk_delay_ms: 100 } });
    const started = Date.now();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.locator('.progress-line.active')).toHaveCount(1);
    await tableReady(page);
    const took = Date.now() - started;
    await expect(page.locator('table.user-table tbody tr')).toHaveCount(25);
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
    // The trickle really was slow (a page of 25 is many 1 kB chunks), and under the proxy's
    // 15 s upstream timeout.
    expect(took).toBeGreaterThan(500);
    expect(took).toBeLessThan(15_000);
  });
  expect(problems).toEqual([]);
});

test('Retry-After as an HTTP date is shown, counted down and retried by itself', async ({ page, request }) => {
  const problems = watchConsole(page);
  await page.goto('/p/nameshield');
  await tableReady(page);
  await setFaults(request, 'nameshield', { rate_limit_burst: { every: 1000, length: 1 }, retry_after_http_date: true });
  await page.getByRole('button', { name: 'Refresh' }).click();
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText(/Nameshield is rate limiting requests: .*\. Try again after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./);
  // Two seconds ahead, as an HTTP date: a countdown of seconds, not the 30 s fallback.
  await expect(banner.locator('.countdown')).toContainText(/Retrying in [1-3] s/);
  await expect(banner).toHaveCount(0, { timeout: 10_000 });
  await tableReady(page);
  await expect(page.locator('table.user-table tbody tr')).toHaveCount(25);
  expect(problems).toEqual([]);
});

const conformance = process.env.USERDECK_CONFORMANCE_URL;

test('10 MB of valid JSON is refused at the proxy limit with a clear sentence', async ({ page, request }) => {
  test.skip(!conformance, 'run by cargo xtask test, which starts the conformance server');
  const token = process.env.USERDECK_ADMIN_TOKEN ?? '';
  await page.addInitScript((value) => sessionStorage.setItem('userdeck.authorization', value), `Bearer ${token}`);
  const problems = watchConsole(page);
  await page.goto(`${conformance}/p/nameshield-limited`);
  await tableReady(page);
  await setFaults(request, 'nameshield', { padded_body_bytes: 10_000_000 });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('error-banner')).toContainText(
    'Nameshield could not be read through the Userdeck server: Nameshield (4 MiB limit) sent more than 4194304 bytes for one page, more than Userdeck accepts. Ask for a smaller page.');
  await usableAgain(page, request);
  expect(problems).toEqual([]);
});
