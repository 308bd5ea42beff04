import { APIRequestContext, Page, expect } from '@playwright/test';

/** The five simulated providers of the demo, with what each test needs to know about them. */
export interface ProviderCase {
  id: string;
  label: string;
  /** Whether the provider publishes an exact total. */
  exactTotal: boolean;
  /** A column heading to sort by, and a second one to add with Shift. */
  sortBy: string;
  thenBy: string;
  /** A filter the form can build: the field's option label and how to fill it. */
  filter: { field: string; fill: (page: Page) => Promise<void>; chip: RegExp };
}

export const PROVIDERS: ProviderCase[] = [
  {
    id: 'pressone', label: 'PressOne', exactTotal: true, sortBy: 'E-mail', thenBy: 'Name',
    filter: { field: 'Free trial', fill: (p) => p.locator('.filter-form select').nth(1).selectOption('yes').then(() => undefined), chip: /Free trial is yes/ },
  },
  {
    id: 'pngme', label: 'Pngme', exactTotal: false, sortBy: 'E-mail', thenBy: 'Name',
    filter: { field: 'E-mail', fill: (p) => p.getByLabel('Value').fill('gmail'), chip: /E-mail contains .gmail./ },
  },
  {
    id: 'nameshield', label: 'Nameshield', exactTotal: true, sortBy: 'E-mail', thenBy: 'Name',
    filter: { field: 'E-mail', fill: (p) => p.getByLabel('Value').fill('gmail'), chip: /E-mail contains .gmail./ },
  },
  {
    id: 'rebilly', label: 'Rebilly', exactTotal: true, sortBy: 'Status', thenBy: 'E-mail',
    filter: { field: 'Status', fill: (p) => p.locator('.filter-form select').nth(1).selectOption('active').then(() => undefined), chip: /Status is .active./ },
  },
  {
    id: 'activeplatform', label: 'ActivePlatform', exactTotal: false, sortBy: 'E-mail', thenBy: 'Name',
    filter: { field: 'Status', fill: (p) => p.locator('.filter-form select').nth(1).selectOption('inactive').then(() => undefined), chip: /Status is .inactive./ },
  },
];

/** The simulator's own total for an unfiltered list, read through the proxy like any client. */
export async function simulatorTotal(request: APIRequestContext, id: string): Promise<number | null> {
  const list = await (await request.get('/api/providers')).json();
  const info = list.providers.find((p: { id: string }) => p.id === id);
  switch (id) {
    case 'pressone':
      return (await (await request.get(`${info.path}?page_index=1&page_size=1`)).json()).total;
    case 'nameshield':
      return (await (await request.get(`${info.path}?limit=1`)).json()).data.total;
    case 'rebilly': {
      const response = await request.get(`${info.path}?limit=1`);
      return Number(response.headers()['pagination-total']);
    }
    default:
      return null;
  }
}

/** Sets a simulator's fault knobs through the demo-only endpoint. */
export async function setFaults(request: APIRequestContext, id: string, faults: object): Promise<void> {
  const response = await request.put(`/api/demo/faults/${id}`, { data: faults });
  expect(response.status()).toBe(204);
}

/** Clears every fault knob. */
export async function resetFaults(request: APIRequestContext): Promise<void> {
  const response = await request.delete('/api/demo/faults');
  expect(response.status()).toBe(204);
}

/** The pager's sentence once the table has loaded. */
export function pagerLabel(page: Page) {
  return page.getByTestId('pager-label');
}

/** Waits until the table shows rows (not the skeleton). */
export async function tableReady(page: Page): Promise<void> {
  await expect(page.locator('table.user-table tbody tr').first()).toBeVisible();
  await expect(page.locator('.progress-line.active')).toHaveCount(0);
}

/** The text of one column for every visible row. */
export async function columnTexts(page: Page, heading: string): Promise<string[]> {
  const headings = await page.locator('table.user-table thead th').allInnerTexts();
  const index = headings.findIndex((h) => h.split('\n')[0].trim() === heading);
  expect(index, `column ${heading}`).toBeGreaterThanOrEqual(0);
  return page.locator(`table.user-table tbody tr > :nth-child(${index + 1})`).allInnerTexts();
}

export const CHROMIUM_NOTICE = /The `integrity` attribute is currently ignored for preload destinations/;

/** Collects console errors and uncaught exceptions for a test to assert on. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !CHROMIUM_NOTICE.test(message.text())) {
      // A failed request that a test provoked on purpose is logged by the browser as an error.
      if (!/Failed to load resource/.test(message.text())) problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}
