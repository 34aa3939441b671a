// The docs page as a person uses it: real Chromium opens /docs on a random port and runs "Try it out" on claims.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { freshDatabase } from './helpers.js';

/** Debian's chromium (.ci/run installs it); playwright's own browser downloads cannot be fetched here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
// In CI a missing browser is a failure, not a skip: .ci/run guarantees it.
const run = present || process.env.CI === 'true';
const title = present
  ? 'runs "Try it out" on GET /v1/claims with condition=melanoma and shows the melanoma claim'
  : `runs "Try it out" on GET /v1/claims (skipped: no Chromium at ${CHROMIUM}; \`apt-get install chromium\` or set CHROMIUM_PATH)`;

let app: Awaited<ReturnType<typeof buildApp>>;
let base: string;
let browser: Browser | undefined;
beforeAll(async () => {
  if (!run) return;
  app = await buildApp({ db: await freshDatabase() });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the docs page', () => {
  it.runIf(run)(
    title,
    async () => {
      expect(base).not.toMatch(/:3000$/);
      const page = await (browser as Browser).newPage();
      const blocked: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') blocked.push(message.text());
      });
      await page.goto(`${base}/docs/`);
      const operation = page.locator('#operations-claims-listClaims');
      await operation.locator('.opblock-summary').click();
      await operation.locator('.try-out__btn').click();
      const condition = operation.locator('tr[data-param-name="condition"] input');
      await condition.fill('melanoma');
      await operation.locator('.execute').click();
      const responses = operation.locator('.live-responses-table');
      const status = responses.locator('tr.response .response-col_status');
      await status.waitFor();
      expect((await status.textContent())?.trim()).toBe('200');
      const body = String(await responses.locator('tr.response .response-col_description pre').first().textContent());
      expect(JSON.parse(body).items.map((c: { id: string }) => c.id)).toContain(
        'melanoma-microbiome-immunotherapy-response',
      );
      // The request went to the origin the page came from, not to a fixed host and port.
      const url = String(await operation.locator('.request-url pre').textContent());
      expect(url.startsWith(`${base}/v1/claims?condition=melanoma`)).toBe(true);
      expect(blocked).toEqual([]);
    },
    60_000,
  );
});
