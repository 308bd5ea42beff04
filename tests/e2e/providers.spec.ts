import { test, expect } from '@playwright/test';
import {
  PROVIDERS, columnTexts, pagerLabel, resetFaults, setFaults, simulatorTotal, tableReady, watchConsole,
} from './support';

const number = (n: number) => n.toLocaleString('en-US');

test.beforeEach(async ({ request }) => {
  await resetFaults(request);
});

for (const provider of PROVIDERS) {
  test.describe(provider.label, () => {
    test('shows the simulator total and pages forward and back', async ({ page, request }) => {
      const problems = watchConsole(page);
      await page.goto(`/p/${provider.id}`);
      await tableReady(page);
      await expect(page.locator('table.user-table tbody tr')).toHaveCount(25);
      const total = await simulatorTotal(request, provider.id);
      if (provider.exactTotal) {
        await expect(pagerLabel(page)).toHaveText(`1–25 of ${number(total!)}`);
      } else {
        // No published total: the pager never invents one.
        await expect(pagerLabel(page)).toHaveText(/more available|of [\d,]+–[\d,]+/);
        await expect(page.getByRole('button', { name: 'Last page' })).toHaveCount(0);
      }
      const first = await page.locator('table.user-table tbody tr').first().getAttribute('data-key');
      await page.getByRole('button', { name: 'Next page' }).click();
      await expect(page).toHaveURL(/page=2/);
      await tableReady(page);
      if (provider.exactTotal) await expect(pagerLabel(page)).toHaveText(`26–50 of ${number(total!)}`);
      else await expect(pagerLabel(page)).toHaveText(/Page 2|26–50/);
      await expect(page.locator('table.user-table tbody tr').first()).not.toHaveAttribute('data-key', first!);
      await page.getByRole('button', { name: 'Previous page' }).click();
      await expect(page).not.toHaveURL(/page=/);
      await expect(page.locator('table.user-table tbody tr').first()).toHaveAttribute('data-key', first!);
      expect(problems).toEqual([]);
    });

    test('sorts by one column and by several', async ({ page }) => {
      await page.goto(`/p/${provider.id}`);
      await tableReady(page);
      const header = page.locator('thead th', { hasText: provider.sortBy });
      await header.getByRole('button').click();
      await expect(header).toHaveAttribute('aria-sort', 'ascending');
      await tableReady(page);
      if (provider.sortBy === 'E-mail') {
        const emails = (await columnTexts(page, 'E-mail')).filter((e) => /^[\x20-\x7e]+$/.test(e) && e !== '—');
        const lowered = emails.map((e) => e.toLowerCase());
        expect(lowered).toEqual([...lowered].sort());
      }
      await header.getByRole('button').click();
      await expect(header).toHaveAttribute('aria-sort', 'descending');
      await tableReady(page);
      const second = page.locator('thead th', { hasText: provider.thenBy }).first();
      await second.getByRole('button').click({ modifiers: ['Shift'] });
      await expect(second).toHaveAttribute('aria-sort', 'ascending');
      await expect(header).toHaveAttribute('aria-sort', 'descending');
      await expect(header.locator('.sort-rank')).toHaveText('1');
      await expect(second.locator('.sort-rank')).toHaveText('2');
      await tableReady(page);
      // A third click on the first key removes it; the second key stays.
      await header.getByRole('button').click({ modifiers: ['Shift'] });
      await expect(header).toHaveAttribute('aria-sort', 'none');
      await expect(second).toHaveAttribute('aria-sort', 'ascending');
    });

    test('searches, and Escape clears the search', async ({ page }) => {
      await page.goto(`/p/${provider.id}`);
      await tableReady(page);
      const names = await columnTexts(page, 'Name');
      const word = names.map((n) => n.split(' ').pop()!).find((w) => /^[A-Za-z]{4,}$/.test(w))!;
      const search = page.getByRole('searchbox', { name: 'Search users' });
      await search.fill(word);
      await expect(page).toHaveURL(new RegExp(`q=${word}`));
      await tableReady(page);
      const rows = await page.locator('table.user-table tbody tr').allInnerTexts();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.toLowerCase()).toContain(word.toLowerCase());
      await search.press('Escape');
      await expect(page).not.toHaveURL(/q=/);
      await expect(search).toHaveValue('');
    });

    test('filters from page 3 land on page 1, and the chip removes the filter', async ({ page }) => {
      await page.goto(`/p/${provider.id}?page=3`);
      await tableReady(page);
      await page.getByText('Add filter').click();
      await page.getByLabel('Field').selectOption({ label: provider.filter.field });
      await provider.filter.fill(page);
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect(page).not.toHaveURL(/page=/);
      await expect(page).toHaveURL(/f\./);
      const chip = page.locator('.chip', { hasText: provider.filter.chip });
      await expect(chip).toBeVisible();
      await tableReady(page);
      await expect(pagerLabel(page)).toHaveText(/^1–|^Page 1/);
      await chip.getByRole('button').click();
      await expect(page).not.toHaveURL(/f\./);
      await expect(page.locator('.chip')).toHaveCount(0);
    });

    test('a search from page 3 lands on page 1', async ({ page }) => {
      await page.goto(`/p/${provider.id}?page=3`);
      await tableReady(page);
      const names = await columnTexts(page, 'Name');
      const word = names.map((n) => n.split(' ').pop()!).find((w) => /^[A-Za-z]{4,}$/.test(w))!;
      await page.getByRole('searchbox', { name: 'Search users' }).fill(word);
      await expect(page).toHaveURL(new RegExp(`q=${word}`));
      await expect(page).not.toHaveURL(/page=/);
      await tableReady(page);
      await expect(pagerLabel(page)).toHaveText(/^1–|^Page 1/);
    });

    test('a sort from page 3 lands on page 1', async ({ page }) => {
      await page.goto(`/p/${provider.id}?page=3`);
      await tableReady(page);
      const header = page.locator('thead th', { hasText: provider.sortBy });
      await header.getByRole('button').click();
      await expect(header).toHaveAttribute('aria-sort', 'ascending');
      await expect(page).toHaveURL(/sort=/);
      await expect(page).not.toHaveURL(/page=/);
      await tableReady(page);
      await expect(pagerLabel(page)).toHaveText(/^1–|^Page 1/);
    });

    test('a page-size change from page 3 lands on page 1', async ({ page }) => {
      await page.goto(`/p/${provider.id}?page=3`);
      await tableReady(page);
      await page.getByLabel('Rows per page').selectOption('10');
      await expect(page).toHaveURL(/size=10/);
      await expect(page).not.toHaveURL(/page=/);
      await tableReady(page);
      await expect(page.locator('table.user-table tbody tr')).toHaveCount(10);
    });

    test('opens the detail panel from a row and by URL, and keeps the table state', async ({ page }) => {
      await page.goto(`/p/${provider.id}?page=2&size=10`);
      await tableReady(page);
      const link = page.locator('table.user-table tbody tr th a').first();
      const name = (await link.innerText()).trim();
      await link.click();
      await expect(page).toHaveURL(new RegExp(`/p/${provider.id}/u/.+page=2`));
      const panel = page.getByTestId('detail-panel');
      await expect(panel.getByRole('heading', { level: 2 })).toHaveText(name);
      await expect(panel.getByText('Raw record (JSON)')).toBeVisible();
      const detailUrl = page.url();
      await page.reload();
      await expect(page.getByTestId('detail-panel').getByRole('heading', { level: 2 })).toHaveText(name);
      await page.getByRole('link', { name: 'Close the user detail' }).click();
      await expect(page).toHaveURL(new RegExp(`/p/${provider.id}\\?page=2&size=10$`));
      await expect(page.getByTestId('detail-panel')).toHaveCount(0);
      await page.goto(detailUrl);
      await expect(page.getByTestId('detail-panel').getByRole('heading', { level: 2 })).toHaveText(name);
    });

    test('reload, back and forward restore the view', async ({ page }) => {
      await page.goto(`/p/${provider.id}`);
      await tableReady(page);
      const header = page.locator('thead th', { hasText: provider.sortBy });
      await header.getByRole('button').click();
      await tableReady(page);
      await page.getByRole('button', { name: 'Next page' }).click();
      await expect(page).toHaveURL(/page=2/);
      await tableReady(page);
      const label = await pagerLabel(page).innerText();
      const firstKey = await page.locator('tbody tr').first().getAttribute('data-key');
      await page.reload();
      await tableReady(page);
      await expect(pagerLabel(page)).toHaveText(label);
      await expect(page.locator('thead th', { hasText: provider.sortBy })).toHaveAttribute('aria-sort', 'ascending');
      await expect(page.locator('tbody tr').first()).toHaveAttribute('data-key', firstKey!);
      await page.goBack();
      await expect(page).not.toHaveURL(/page=2/);
      await tableReady(page);
      await page.goForward();
      await expect(page).toHaveURL(/page=2/);
      await tableReady(page);
      await expect(page.locator('tbody tr').first()).toHaveAttribute('data-key', firstKey!);
    });

    test('renders hostile records as text', async ({ page }) => {
      // Hostile records are about 1% of the population; a search for their markup finds them.
      await page.goto(`/p/${provider.id}?q=${encodeURIComponent('<')}&size=100`);
      await tableReady(page);
      const cells = await page.locator('table.user-table tbody').innerText();
      expect(cells).toMatch(/<(img|script|svg|b)/);
      await expect(page.locator('table.user-table tbody img, table.user-table tbody script, table.user-table tbody svg, table.user-table tbody b')).toHaveCount(0);
    });

    test('shows 500, 429 and 401 as clear errors that recover', async ({ page, request }) => {
      await page.goto(`/p/${provider.id}`);
      await tableReady(page);

      await setFaults(request, provider.id, { server_error_rate: 1.0 });
      await page.getByRole('button', { name: 'Refresh' }).click();
      const banner = page.getByTestId('error-banner');
      await expect(banner).toContainText(`${provider.label} could not list users`);
      await resetFaults(request);
      await banner.getByRole('button', { name: 'Retry' }).click();
      await tableReady(page);
      await expect(banner).toHaveCount(0);

      await setFaults(request, provider.id, { rate_limit_burst: { every: 1000, length: 1 } });
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(banner.locator('.countdown')).toContainText(/Retrying in \d+ s/);
      // The console retries by itself once the provider's wait is over.
      await expect(banner).toHaveCount(0, { timeout: 20_000 });
      await tableReady(page);

      await setFaults(request, provider.id, { reject_credentials: true });
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(banner).toContainText('Check the credentials');
      await resetFaults(request);
      await banner.getByRole('button', { name: 'Retry' }).click();
      await tableReady(page);
    });
  });
}

test('the provider link in the navigation clears the view', async ({ page }) => {
  await page.goto('/p/rebilly?q=ann&f.status=eq:active&page=2');
  await expect(page.locator('.chip')).toHaveCount(1);
  await page.getByRole('navigation', { name: 'Providers' }).getByRole('link', { name: 'Rebilly' }).click();
  await expect(page).toHaveURL(/\/p\/rebilly$/);
  await expect(page.locator('.chip')).toHaveCount(0);
  await expect(page.getByRole('searchbox', { name: 'Search users' })).toHaveValue('');
});

test('hostile URL values fall back to defaults', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/p/nameshield?page=-4&size=999999&sort=<script>,-bogus&f.email=zz:%00&f.created=range:..');
  await tableReady(page);
  await expect(pagerLabel(page)).toHaveText(/^1–25 of/);
  expect(problems).toEqual([]);
});

test('the home page shows each provider with its health', async ({ page }) => {
  await page.goto('/');
  for (const provider of PROVIDERS) {
    const card = page.locator('.card', { hasText: provider.label });
    await expect(card.locator('.card-health')).toContainText(provider.exactTotal ? /users/ : /Reachable/);
  }
});

test('a full scan shows its progress and can be cancelled', async ({ page, request }) => {
  // PressOne cannot sort, so sorting reads every page (100 rows each, 4 at a time) first.
  await setFaults(request, 'pressone', { latency_ms: 1500 });
  await page.goto('/p/pressone?sort=email');
  const status = page.locator('.scan-status');
  await expect(status).toContainText(/Loading [\d,]+ of ~2,000 users…/);
  await status.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Loading was cancelled.')).toBeVisible();
  await resetFaults(request);
  await page.getByRole('button', { name: 'Load again' }).click();
  await tableReady(page);
  await expect(page.getByTestId('browser-note')).toContainText('over 2,000 users: sort by E-mail');
  // The scanned set is cached: sorting it the other way needs no request.
  let requests = 0;
  page.on('request', (r) => { if (r.url().includes('/api/p/')) requests += 1; });
  await page.locator('thead th', { hasText: 'E-mail' }).getByRole('button').click();
  await expect(page).toHaveURL(/sort=-email/);
  await tableReady(page);
  expect(requests).toBe(0);
});

test('an empty result offers to clear the filters', async ({ page }) => {
  await page.goto('/p/rebilly?q=zzqqxxnomatch');
  await expect(page.getByText('No users match this view.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).not.toHaveURL(/q=/);
  await tableReady(page);
});
