import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSubgraph } from '../support/subgraph.ts';
import { chromiumFor, isLocal, launchChromium } from '../support/chromium.ts';

/**
 * GraphiQL as a frontend engineer sees it: a real headless Chromium opens /graphql, runs the example query with ▶
 * and shows the company. Every asset must come from the subgraph itself (no CDN): a request to any other host fails
 * the test (and is aborted, so nothing leaves the machine). Skips with a printed reason when no Chromium is installed.
 */

const chromiumPath = chromiumFor('test/platform/graphiql-browser.test.ts');

describe.skipIf(!chromiumPath)('GraphiQL in a real browser (headless Chromium)', () => {
  const env = withSubgraph();
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium(chromiumPath!);
    const context = await browser.newContext();
    // Belt and braces: whatever the page asks of another host is recorded below and never sent.
    await context.route(
      (url) => !isLocal(url.href),
      (route) => route.abort('blockedbyclient'),
    );
    page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('runs the example query with ▶ and shows СКБ Контур, loading everything from loopback', async () => {
    await page.goto(`${env.subgraph.url}/graphql`, { waitUntil: 'load' });
    // The editor is up once CodeMirror holds the example query.
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ state: 'visible', timeout: 20_000 });
    await expect.poll(() => page.locator('.graphiql-query-editor').innerText(), { timeout: 10_000 }).toContain('6663003127');

    await page.locator('.graphiql-execute-button').click();

    const response = page.locator('.graphiql-response');
    await expect.poll(() => response.innerText(), { timeout: 20_000 }).toContain('СКБ Контур');
    const text = await response.innerText();
    expect(text).toContain('"inn": "6663003127"');
    expect(text).toContain('АО \\"ПФ \\"СКБ Контур\\"');
    expect(text).not.toContain('"errors"');

    expect(requested.length).toBeGreaterThan(0);
    expect(requested.some((url) => new URL(url).pathname === '/graphql')).toBe(true);
    expect(requested.filter((url) => !isLocal(url))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
