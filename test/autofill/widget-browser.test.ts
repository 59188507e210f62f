import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unknownInn } from '../support/inns.ts';
import { withSubgraph } from '../support/subgraph.ts';
import { chromiumFor, isLocal, launchChromium } from '../support/chromium.ts';

/**
 * The INN autofill widget as a site's visitor sees it: a real headless Chromium opens the demo page
 * (/autofill/v1/demo), types an INN and watches the registration form fill itself from /autofill/v1/company on the
 * sandbox's data. A checksum-bad INN never reaches the server; a field the visitor typed into is never overwritten.
 * Every request must go to loopback (any other host is aborted and fails the test). Skips with a printed reason
 * when no Chromium is installed.
 */

const chromiumPath = chromiumFor('test/autofill/widget-browser.test.ts');

const KONTUR_INN = '6663003127'; // АО "ПФ "СКБ Контур": a real fixture the sandbox answers with
const LIQUIDATED_INN = '4401006984'; // a real fixture of a liquidated company
const CHECKSUM_MESSAGE = 'Проверьте ИНН: контрольная сумма не сходится';
const NOT_FOUND_MESSAGE = 'Компания с таким ИНН не найдена в ЕГРЮЛ/ЕГРИП';
const COMPANY_PATH = '/autofill/v1/company';

describe.skipIf(!chromiumPath)('INN autofill widget in a real browser (headless Chromium)', () => {
  const env = withSubgraph();
  let browser: Browser;
  // Over every page of the file (test e checks them all at the end).
  const requested: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium(chromiumPath!);
  });

  afterAll(async () => {
    await browser?.close();
  });

  /**
   * The demo page in a fresh context, so no test sees another's answers (the widget keeps them for the page's life).
   * `companyRequests` lists the path and query of each request the page made to the company endpoint.
   */
  async function openDemo(): Promise<{ page: Page; companyRequests: string[]; errors: string[] }> {
    const context = await browser.newContext();
    // Belt and braces: whatever the page asks of another host is recorded below and never sent.
    await context.route(
      (url) => !isLocal(url.href),
      (route) => route.abort('blockedbyclient'),
    );
    const page = await context.newPage();
    const companyRequests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => {
      requested.push(request.url());
      const url = new URL(request.url());
      if (url.pathname === COMPANY_PATH) companyRequests.push(url.pathname + url.search);
    });
    page.on('pageerror', (error) => {
      pageErrors.push(String(error));
      errors.push(String(error));
    });
    const response = await page.goto(`${env.subgraph.url}/autofill/v1/demo`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    // The widget marks the form once it has bound it.
    await page.locator('#registration[data-autofill-state="idle"]').waitFor({ timeout: 10_000 });
    return { page, companyRequests, errors };
  }

  const field = (page: Page, autofillPath: string) => page.locator(`#registration [data-autofill="${autofillPath}"]`);
  const message = (page: Page) => page.locator('#registration [data-autofill-message]');

  async function waitForState(page: Page, state: string): Promise<void> {
    await page.locator(`#registration[data-autofill-state="${state}"]`).waitFor({ timeout: 15_000 });
  }

  /** What the endpoint answers for an INN, asked directly: the values the form must end up with. */
  async function companyAnswer(inn: string): Promise<any> {
    const response = await fetch(`${env.subgraph.url}${COMPANY_PATH}?inn=${inn}`);
    expect(response.status).toBe(200);
    return response.json();
  }

  it('a. typing a sandbox INN fills the form with exactly what the endpoint answers, and leaves the e-mail alone', async () => {
    const expected = await companyAnswer(KONTUR_INN);
    expect(expected.inn).toBe(KONTUR_INN);
    expect(expected.ogrn).toBe('1026605606620');
    expect(expected.kpp).toMatch(/^\d{9}$/);
    for (const value of [expected.shortName, expected.legalAddress?.oneLine, expected.head?.fio]) {
      expect(typeof value).toBe('string');
      expect(value).not.toBe('');
    }

    const { page, companyRequests, errors } = await openDemo();
    await field(page, 'inn').pressSequentially(KONTUR_INN);
    await waitForState(page, 'filled');

    expect(await field(page, 'kpp').inputValue()).toBe(expected.kpp);
    expect(await field(page, 'ogrn').inputValue()).toBe('1026605606620');
    expect(await field(page, 'kpp').inputValue()).toMatch(/^\d{9}$/);
    expect(await field(page, 'shortName').inputValue()).toBe(expected.shortName);
    expect(await field(page, 'fullName').inputValue()).toBe(expected.fullName ?? '');
    expect(await field(page, 'legalAddress.oneLine').inputValue()).toBe(expected.legalAddress.oneLine);
    expect(await field(page, 'head.fio').inputValue()).toBe(expected.head.fio);
    expect(await field(page, 'head.position').inputValue()).toBe(expected.head.position ?? '');
    expect(await field(page, 'status.text').inputValue()).toBe(expected.status?.text ?? '');
    expect(await page.locator('#registration input[name="email"]').inputValue()).toBe('');
    expect(await field(page, 'inn').inputValue()).toBe(KONTUR_INN);
    expect(expected.status.isActive).toBe(true);
    expect(await message(page).innerText()).toBe(`Заполнено по данным реестра: ${expected.shortName}`);
    // Ten keystrokes, one request: the input is debounced.
    expect(companyRequests).toEqual([`${COMPANY_PATH}?inn=${KONTUR_INN}`]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('b. a checksum-bad INN shows the checksum message and sends nothing to the server', async () => {
    const { page, companyRequests, errors } = await openDemo();
    await field(page, 'inn').pressSequentially('6663003128');
    await waitForState(page, 'invalid');
    expect(await message(page).innerText()).toBe(CHECKSUM_MESSAGE);
    // Past the debounce again: still nothing asked.
    await page.waitForTimeout(800);
    expect(await page.locator('#registration').getAttribute('data-autofill-state')).toBe('invalid');
    expect(companyRequests).toEqual([]);
    for (const autofillPath of ['kpp', 'ogrn', 'shortName', 'legalAddress.oneLine', 'head.fio']) {
      expect(await field(page, autofillPath).inputValue()).toBe('');
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('c. a field the visitor typed into before the INN is not overwritten; the others are filled', async () => {
    const expected = await companyAnswer(KONTUR_INN);
    const { page, companyRequests, errors } = await openDemo();
    await field(page, 'kpp').pressSequentially('Мой КПП');
    await field(page, 'inn').pressSequentially(KONTUR_INN);
    await waitForState(page, 'filled');

    expect(await field(page, 'kpp').inputValue()).toBe('Мой КПП');
    expect(await field(page, 'ogrn').inputValue()).toBe(expected.ogrn);
    expect(await field(page, 'shortName').inputValue()).toBe(expected.shortName);
    expect(await field(page, 'legalAddress.oneLine').inputValue()).toBe(expected.legalAddress.oneLine);
    expect(await field(page, 'head.fio').inputValue()).toBe(expected.head.fio);
    expect(companyRequests).toEqual([`${COMPANY_PATH}?inn=${KONTUR_INN}`]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('d. a checksum-valid INN the registry does not know shows the not-found message', async () => {
    // unknownInn(0) is all zeros, which no INN check accepts; region 00 with a non-zero number is valid but unknown.
    const inn = unknownInn(1);
    const { page, companyRequests, errors } = await openDemo();
    await field(page, 'inn').pressSequentially(inn);
    await waitForState(page, 'not-found');
    expect(await message(page).innerText()).toBe(NOT_FOUND_MESSAGE);
    expect(companyRequests).toEqual([`${COMPANY_PATH}?inn=${inn}`]);
    expect(await field(page, 'shortName').inputValue()).toBe('');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a liquidated company fills the form and shows a warning naming its registry status', async () => {
    const expected = await companyAnswer(LIQUIDATED_INN);
    expect(expected.status.isActive).toBe(false);
    expect(expected.status.code).toBe('LIQUIDATED');
    const { page, errors } = await openDemo();
    // As a visitor would from the sample list: the demo's buttons put the INN in and fire `input`.
    const sample = page.locator(`button[data-sample-inn="${LIQUIDATED_INN}"]`);
    if ((await sample.count()) > 0) await sample.click();
    else await field(page, 'inn').pressSequentially(LIQUIDATED_INN);
    await waitForState(page, 'filled');
    expect(await field(page, 'inn').inputValue()).toBe(LIQUIDATED_INN);
    expect(await field(page, 'ogrn').inputValue()).toBe(expected.ogrn);
    expect(await message(page).innerText()).toBe(`Внимание: компания ликвидирована — «${expected.status.text}»`);
    expect(await message(page).getAttribute('data-level')).toBe('warning');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('e. no page errors anywhere, and every request went to loopback', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.some((url) => new URL(url).pathname === '/autofill/v1/widget.js')).toBe(true);
    expect(requested.filter((url) => !isLocal(url))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
