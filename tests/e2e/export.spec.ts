import { test, expect, Page, APIRequestContext } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { resetFaults, setFaults, tableReady, watchConsole } from './support';

/** RFC 4180 records of `text` (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

/** Rebilly's own count of users with `status`, read through the proxy like any client. */
async function rebillyCount(request: APIRequestContext, status: string): Promise<number> {
  const list = await (await request.get('/api/providers')).json();
  const info = list.providers.find((p: { id: string }) => p.id === 'rebilly');
  const response = await request.get(`${info.path}?limit=1&filter=${encodeURIComponent(`status:${status}`)}`);
  return Number(response.headers()['pagination-total']);
}

/** Starts the export from the toolbar and returns the downloaded file's name and text. */
async function exportCsv(page: Page): Promise<{ name: string; text: string }> {
  await page.getByText('Export CSV', { exact: true }).click();
  await expect(page.getByRole('group', { name: 'Export CSV' })).toContainText('At most 50,000 users are read from Rebilly');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Start export' }).click();
  const file = await download;
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path!, 'utf8') };
}

test.afterEach(async ({ request }) => {
  await resetFaults(request);
});

test('a filtered view exports exactly the matching users, across every page', async ({ page, request }) => {
  const problems = watchConsole(page);
  const expected = await rebillyCount(request, 'inactive');
  expect(expected, 'a few hundred users').toBeGreaterThan(100);
  expect(expected).toBeLessThan(2000);
  await page.goto('/p/rebilly?f.status=eq:inactive&sort=-created');
  await tableReady(page);
  const { name, text } = await exportCsv(page);
  expect(name).toMatch(/^userdeck-rebilly-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(text.charCodeAt(0), 'a UTF-8 byte-order mark for Excel').toBe(0xfeff);
  const rows = parseCsv(text.slice(1));
  expect(rows[0].slice(0, 3)).toEqual(['Key', 'Name', 'E-mail']);
  const data = rows.slice(1);
  expect(data.length).toBe(expected);
  const status = rows[0].indexOf('Status');
  expect(new Set(data.map((r) => r[status]))).toEqual(new Set(['inactive']));
  expect(new Set(data.map((r) => r[0])).size, 'every key once').toBe(expected);
  const created = rows[0].indexOf('Created');
  const dates = data.map((r) => r[created]);
  expect(dates[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
  expect([...dates].sort((a, b) => Date.parse(b) - Date.parse(a))).toEqual(dates);
  await expect(page.getByTestId('export-outcome')).toContainText(`Downloaded ${expected.toLocaleString('en-US')} users from Rebilly`);
  expect(problems).toEqual([]);
});

test('a hostile formula name arrives neutralised, and hidden columns stay out', async ({ page }) => {
  await page.goto('/p/rebilly');
  await tableReady(page);
  await page.getByText('Columns', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Phone' }).uncheck();
  await page.keyboard.press('Escape');
  const { text } = await exportCsv(page);
  const rows = parseCsv(text.slice(1));
  expect(rows[0]).not.toContain('Phone');
  const name = rows[0].indexOf('Name');
  const hostile = rows.slice(1).filter((r) => r[name].includes('HYPERLINK'));
  expect(hostile.length).toBeGreaterThan(0);
  for (const row of hostile) expect(row[name].startsWith("'=HYPERLINK(")).toBe(true);
  for (const row of rows.slice(1)) expect(row[name]).not.toMatch(/^[=+\-@\t\r]/);
});

test('Cancel stops the export and downloads nothing', async ({ page, request }) => {
  await page.goto('/p/pressone');
  await tableReady(page);
  // Slow pages, so the export is still running when Cancel is pressed.
  await setFaults(request, 'pressone', { latency_ms: 800 });
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.getByText('Export CSV', { exact: true }).click();
  await page.getByRole('button', { name: 'Start export' }).click();
  await expect(page.getByTestId('export-progress')).toContainText(/Read|Starting/);
  await page.getByRole('button', { name: 'Cancel export' }).click();
  await expect(page.getByTestId('export-outcome')).toHaveText('Export cancelled; nothing was downloaded.');
  await resetFaults(request);
  await page.waitForTimeout(2500);
  expect(downloads).toEqual([]);
});

test('an export waits out a rate limit and still delivers every row', async ({ page, request }) => {
  await page.goto('/p/pressone?f.free_trial=eq:true');
  await tableReady(page);
  const total = Number((await page.getByTestId('pager-label').innerText()).match(/of ([\d,]+)/)![1].replace(/,/g, ''));
  // Every fourth request is refused with 429 and `Retry-After: 1`.
  await setFaults(request, 'pressone', { rate_limit_burst: { every: 4, length: 1 } });
  await page.getByText('Export CSV', { exact: true }).click();
  const download = page.waitForEvent('download', { timeout: 25_000 });
  await page.getByRole('button', { name: 'Start export' }).click();
  const text = await readFile((await (await download).path())!, 'utf8');
  expect(parseCsv(text.slice(1)).length - 1).toBe(total);
});
