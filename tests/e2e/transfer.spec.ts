import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The demo server sends the precompressed siblings `cargo xtask dist` writes.
const dist = process.env.USERDECK_DIST ?? 'dist';

test('Accept-Encoding: br on the wasm gets Content-Encoding: br and the .br file itself', async ({ request }) => {
  const html = await (await request.get('/')).text();
  const wasm = html.match(/userdeck-[0-9a-f]{8,16}_bg\.wasm/)![0];
  const br = await request.get(`/${wasm}`, { headers: { 'Accept-Encoding': 'br' } });
  expect(br.status()).toBe(200);
  expect(br.headers()['content-encoding']).toBe('br');
  expect(br.headers()['content-type']).toBe('application/wasm');
  // Playwright's client decodes brotli, so the raw bytes are read with Node's own fetch-free
  // HTTP client instead.
  const raw = await rawBody(new URL(`/${wasm}`, br.url()).href, 'br');
  expect(raw.encoding).toBe('br');
  expect(Buffer.compare(raw.body, readFileSync(join(dist, `${wasm}.br`)))).toBe(0);
  const gz = await rawBody(new URL(`/${wasm}`, br.url()).href, 'gzip');
  expect(gz.encoding).toBe('gzip');
  expect(Buffer.compare(gz.body, readFileSync(join(dist, `${wasm}.gz`)))).toBe(0);
  const plain = await rawBody(new URL(`/${wasm}`, br.url()).href, 'identity');
  expect(plain.encoding).toBeUndefined();
  expect(Buffer.compare(plain.body, readFileSync(join(dist, wasm)))).toBe(0);
});

test('API answers above 1 kB are compressed when accepted', async ({ request }) => {
  const list = await (await request.get('/api/providers')).json();
  const pngme = list.providers.find((p: { id: string }) => p.id === 'pngme');
  const answer = await rawBody(new URL(pngme.path, process.env.USERDECK_BASE_URL ?? 'http://127.0.0.1:8080').href, 'br');
  expect(answer.encoding).toBe('br');
});

async function rawBody(url: string, encoding: string): Promise<{ encoding?: string; body: Buffer }> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'Accept-Encoding': encoding } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}
