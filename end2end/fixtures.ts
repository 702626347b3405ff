import { test as base, expect } from '@playwright/test';

/**
 * Every test fails if the page throws, the WASM panics (a hydration mismatch is a
 * panic) or the Content-Security-Policy blocks something (a page whose CSP nonce does
 * not match its scripts never hydrates): the `page` fixture collects uncaught errors
 * and console errors of those kinds, and checks there were none when the test ends.
 */
export const test = base.extend<{ page: import('@playwright/test').Page }>({
  page: async ({ page, baseURL }, use, testInfo) => {
    // Japan's day does not turn during a test: one that starts in the last minute
    // before midnight JST waits for it (a test works out today's quotes and months as
    // the server does, a moment apart).
    const left = 86_400_000 - ((Date.now() + 9 * 3_600_000) % 86_400_000);
    if (left <= 60_000) {
      testInfo.setTimeout(testInfo.timeout + left + 1_000);
      await new Promise((done) => setTimeout(done, left + 1_000));
    }
    // Japanese, as chosen: a login without a choice takes the account's language,
    // which a test walking the English screens sets for the demo account meanwhile.
    await page.context().addCookies([{ name: 'lang', value: 'ja', url: baseURL! }]);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('console', (m) => {
      const text = m.text();
      if (m.type() === 'error' && /hydration|panicked|unreachable|RuntimeError|Content Security Policy/i.test(text)) {
        problems.push(`console: ${text.slice(0, 500)}`);
      }
    });
    await use(page);
    expect(problems, 'errors in the page').toEqual([]);
  },
});

export { expect };

/** A card's expiry year four years on, as typed (two digits): a fixed year would expire one day. */
export function cardYear() {
  return String((new Date().getFullYear() + 4) % 100).padStart(2, '0');
}
