// First-load bytes per route, as the browser reports them (`encodedDataLength` of
// every response of the page: headers and body as they came over the wire), in a
// Pixel 7 emulation with an empty cache and `Accept-Encoding: br, gzip`.
//
//   node end2end/bench/first-load.mjs http://127.0.0.1:3200 > result.json
//
// Logged-in routes are measured twice: "after login" (the login page's files already
// in the cache: what the customer downloads next) and "cold" (a new browser with the
// session cookie only).
import { chromium, devices } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3200';
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
};
const ROUTES_PUBLIC = ['/login', '/register', '/recovery'];
// /help/speedtest: with the measuring module it loads (its own WASM, this page only).
const ROUTES_LOGGED_IN = ['/', '/account', '/mail', '/mail/new', '/help/speedtest'];

/** Loads `path` in `page` and returns the bytes of every response the page received. */
export async function measure(page, path) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const files = new Map();
  cdp.on('Network.responseReceived', (e) => files.set(e.requestId, { url: e.response.url, bytes: 0, status: e.response.status }));
  cdp.on('Network.loadingFinished', (e) => {
    const f = files.get(e.requestId) ?? { url: '?', bytes: 0 };
    f.bytes = e.encodedDataLength;
    files.set(e.requestId, f);
  });
  await page.goto(base + path, { waitUntil: 'networkidle' });
  await cdp.detach();
  const list = [...files.values()];
  return { path, bytes: list.reduce((n, f) => n + f.bytes, 0), files: list.map((f) => ({ url: f.url.replace(base, ''), bytes: f.bytes })) };
}

async function newPage(browser) {
  // Service workers blocked: from the second page on, the worker would fetch on the
  // page's behalf and the page would see only its answers; the bytes measured here are
  // the browser's own, through its HTTP cache.
  const context = await browser.newContext({
    ...devices['Pixel 7'],
    extraHTTPHeaders: { 'Accept-Encoding': 'br, gzip' },
    serviceWorkers: 'block',
  });
  return context.newPage();
}

async function login(page) {
  await page.getByLabel('iTSCOM ID').fill('hanako@example.com');
  await page.getByLabel('パスワード', { exact: true }).fill('Hanako_2024');
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.getByRole('button', { name: 'ログイン' }).click()]);
}

const browser = await chromium.launch(launchOptions);
const results = [];
for (const path of ROUTES_PUBLIC) {
  const page = await newPage(browser);
  results.push({ ...(await measure(page, path)), kind: 'cold' });
  await page.context().close();
}
for (const path of ROUTES_LOGGED_IN) {
  const page = await newPage(browser);
  await page.goto(base + '/login', { waitUntil: 'networkidle' });
  await login(page);
  results.push({ ...(await measure(page, path)), kind: 'after login' });
  const cookies = await page.context().cookies();
  await page.context().close();
  const cold = await newPage(browser);
  await cold.context().addCookies(cookies);
  results.push({ ...(await measure(cold, path)), kind: 'cold' });
  await cold.context().close();
}
await browser.close();
console.log(JSON.stringify(results, null, 2));
