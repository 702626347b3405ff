// First-load bytes per route, as the browser reports them (every response's headers and
// body as they came over the wire), in a Pixel 7 emulation with an empty cache and
// `Accept-Encoding: br, gzip`, measured two ways:
//
// - "worker allowed", as a real phone has it: the page's own responses plus what the
//   service worker fetches on its first visit (its install: the precache);
// - "worker blocked": the page's own responses only (the numbers of issue 11).
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

/**
 * Counts what `page`'s context receives over the network while `load` runs: the page's
 * responses through the DevTools protocol (`encodedDataLength`: headers and body as
 * they came), and the service worker's through Playwright, which reports a worker's
 * requests on the context. A page response that the worker answered is not counted
 * twice: the worker's own fetch is the one on the wire.
 */
export async function measure(page, path, { worker }) {
  const context = page.context();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const files = new Map();
  cdp.on('Network.responseReceived', (e) =>
    files.set(e.requestId, { url: e.response.url, bytes: 0, fromWorker: e.response.fromServiceWorker === true }));
  cdp.on('Network.loadingFinished', (e) => {
    const f = files.get(e.requestId) ?? { url: '?', bytes: 0 };
    f.bytes = e.encodedDataLength;
    files.set(e.requestId, f);
  });
  const workerFiles = [];
  let lastWorkerEvent = Date.now();
  const onRequest = (r) => { if (r.serviceWorker()) lastWorkerEvent = Date.now(); };
  const onDone = async (r) => {
    if (!r.serviceWorker()) return;
    lastWorkerEvent = Date.now();
    const s = await r.sizes().catch(() => ({ responseHeadersSize: 0, responseBodySize: 0 }));
    // Chromium gives no body size for the worker's own script (sw.js): its length on the
    // wire is its Content-Length (a precompressed static file).
    const headers = (await r.response().catch(() => null))?.headers() ?? {};
    const body = s.responseBodySize || Number(headers['content-length'] ?? 0);
    workerFiles.push({ url: r.url(), bytes: s.responseHeadersSize + body, by: 'worker' });
  };
  context.on('request', onRequest);
  context.on('requestfinished', onDone);
  await page.goto(base + path, { waitUntil: 'networkidle' });
  if (worker) {
    // The worker installs after the page has loaded: wait until it is active and its
    // network has been quiet for a second (five at the most).
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const start = Date.now();
    while (Date.now() - lastWorkerEvent < 1000 && Date.now() - start < 5000) await page.waitForTimeout(100);
  }
  context.off('request', onRequest);
  context.off('requestfinished', onDone);
  await cdp.detach();
  const list = [...[...files.values()].filter((f) => !f.fromWorker), ...workerFiles];
  return {
    path,
    bytes: list.reduce((n, f) => n + f.bytes, 0),
    requests: list.length,
    files: list.map((f) => ({ url: f.url.replace(base, ''), bytes: f.bytes, by: f.by ?? 'page' })),
  };
}

async function newPage(browser, worker) {
  const context = await browser.newContext({
    ...devices['Pixel 7'],
    extraHTTPHeaders: { 'Accept-Encoding': 'br, gzip' },
    serviceWorkers: worker ? 'allow' : 'block',
  });
  return context.newPage();
}

async function login(page) {
  await page.getByLabel('iTSCOM ID').fill('hanako@example.com');
  await page.getByLabel('パスワード', { exact: true }).fill('Hanako_2024');
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.getByRole('button', { name: 'ログイン', exact: true }).click(),
  ]);
}

const browser = await chromium.launch(launchOptions);
const results = [];
for (const worker of [true, false]) {
  const mode = worker ? 'worker allowed' : 'worker blocked';
  for (const path of ROUTES_PUBLIC) {
    const page = await newPage(browser, worker);
    results.push({ ...(await measure(page, path, { worker })), kind: 'cold', mode });
    await page.context().close();
  }
  for (const path of ROUTES_LOGGED_IN) {
    const page = await newPage(browser, worker);
    await page.goto(base + '/login', { waitUntil: 'networkidle' });
    if (worker) await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await login(page);
    // After login the worker is installed: only what this page adds is counted.
    results.push({ ...(await measure(page, path, { worker: false })), kind: 'after login', mode });
    const cookies = await page.context().cookies();
    await page.context().close();
    const cold = await newPage(browser, worker);
    await cold.context().addCookies(cookies);
    results.push({ ...(await measure(cold, path, { worker })), kind: 'cold', mode });
    await cold.context().close();
  }
}
await browser.close();
console.log(JSON.stringify(results, null, 2));
