import { test, expect, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { tableReady } from './support';

async function headings(page: Page): Promise<string[]> {
  const texts = await page.locator('table.user-table thead th').allInnerTexts();
  return texts.map((t) => t.split('\n')[0].trim());
}

async function openViews(page: Page) {
  const menu = page.getByTestId('views-menu');
  if (!(await menu.evaluate((el) => (el as HTMLDetailsElement).open))) {
    await page.getByText('Views', { exact: true }).click();
  }
  return page.getByRole('group', { name: 'Saved views' });
}

test('save, reload, apply with back and forward, export, delete, then import in a fresh browser', async ({ page, browser, baseURL }) => {
  await page.goto('/p/rebilly?f.status=eq:active&sort=-created&size=50&q=a');
  await tableReady(page);
  await page.getByText('Columns', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'E-mail' }).uncheck();
  await page.keyboard.press('Escape');
  let views = await openViews(page);
  await views.getByLabel('View name').fill('Active, newest');
  await views.getByRole('button', { name: 'Save view' }).click();
  await expect(page.getByTestId('views-note')).toHaveText('Saved the view “Active, newest”.');

  // A plain table with default columns, after a reload.
  await page.evaluate(() => localStorage.removeItem('userdeck.columns.rebilly'));
  await page.goto('/p/rebilly');
  await tableReady(page);
  expect(await headings(page)).toContain('E-mail');
  views = await openViews(page);
  await views.getByRole('button', { name: 'Apply view Active, newest' }).click();
  await expect(page).toHaveURL(/\/p\/rebilly\?.*f\.status=eq%3Aactive/);
  expect(new URL(page.url()).searchParams.get('size')).toBe('50');
  expect(new URL(page.url()).searchParams.get('sort')).toBe('-created');
  expect(new URL(page.url()).searchParams.get('q')).toBe('a');
  await tableReady(page);
  expect(await headings(page)).not.toContain('E-mail');
  await page.goBack();
  await expect(page).toHaveURL(/\/p\/rebilly$/);
  await page.goForward();
  await expect(page).toHaveURL(/f\.status=eq%3Aactive/);
  await tableReady(page);

  views = await openViews(page);
  const download = page.waitForEvent('download');
  await views.getByRole('button', { name: 'Export views' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^userdeck-views-\d{4}-\d{2}-\d{2}\.json$/);
  const path = (await file.path())!;
  const exported = JSON.parse(await readFile(path, 'utf8'));
  expect(exported.views).toHaveLength(1);
  expect(exported.views[0]).toMatchObject({ name: 'Active, newest', provider: 'rebilly' });

  page.once('dialog', (dialog) => dialog.accept('Active first'));
  await views.getByRole('button', { name: 'Rename view Active, newest' }).click();
  await expect(views.getByRole('button', { name: 'Apply view Active first' })).toBeVisible();
  await views.getByRole('button', { name: 'Delete view Active first' }).click();
  await expect(views).toContainText('No saved views for Rebilly yet.');
  await page.reload();
  await tableReady(page);
  views = await openViews(page);
  await expect(views).toContainText('No saved views for Rebilly yet.');

  // A colleague's browser: nothing stored, then the file imported.
  const fresh = await browser.newContext({ baseURL });
  const other = await fresh.newPage();
  await other.goto('/p/rebilly');
  await tableReady(other);
  const theirs = await openViews(other);
  await expect(theirs).toContainText('No saved views for Rebilly yet.');
  await other.locator('input[type=file]').setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from('{"views": "<script>"}') });
  await expect(other.getByTestId('views-note')).toContainText('nothing was imported');
  await other.locator('input[type=file]').setInputFiles(path);
  await expect(other.getByTestId('views-note')).toHaveText('Imported 1 view.');
  await theirs.getByRole('button', { name: 'Apply view Active, newest' }).click();
  await expect(other).toHaveURL(/f\.status=eq%3Aactive/);
  await tableReady(other);
  expect(await headings(other)).not.toContain('E-mail');
  await fresh.close();
});

test('a hostile stored views value is ignored', async ({ page }) => {
  await page.goto('/p/rebilly');
  await page.evaluate(() => localStorage.setItem('userdeck.views', '{"userdeck_views":1,"views":[{"name":"<img src=x onerror=alert(1)>","provider":"rebilly","query":"page=-1&size=999999&sort=<b>"}, 7, null]}'));
  await page.reload();
  await tableReady(page);
  const views = await openViews(page);
  await views.getByRole('button', { name: /Apply view <img/ }).click();
  await tableReady(page);
  await expect(page.locator('img')).toHaveCount(0);
  expect(new URL(page.url()).search).toBe('');
});
