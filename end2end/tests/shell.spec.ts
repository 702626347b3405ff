import { chromium } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from '../fixtures';
import { logInAt } from '../pages/login';
import { Shell, expectNoHorizontalScroll, screenshot } from '../pages/shell';

test.describe('app shell', () => {
  test('@core the shell is Japanese with the four menus, every item a link', async ({ page }, info) => {
    const shell = new Shell(page);
    await shell.goto('/login');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page).toHaveTitle('iTSCOM マイページ');
    // The menus are a member's: every screen they lead to asks for a login.
    await expect(page.locator('nav.side-nav, details.phone-menu')).toHaveCount(0);
    await logInAt(page, '/', 'hanako@example.com');
    await expect(page.getByTestId('customer-name')).toContainText('佐藤 花子');
    const menu = await shell.openMenu();
    for (const heading of ['料金', 'ご契約・手続き', '各種設定', 'ヘルプ']) {
      await expect(menu.getByRole('heading', { name: heading })).toBeVisible();
    }
    // Every screen exists: nothing is marked 準備中 any more.
    await expect(menu.getByRole('link', { name: 'お問い合わせ・サポート' })).toHaveAttribute('href', '/help');
    await expect(menu.getByRole('link', { name: 'イッツコム 通信速度測定' })).toHaveAttribute('href', '/help/speedtest');
    await expect(menu.getByText('準備中')).toHaveCount(0);
    await expect(menu.getByRole('link', { name: 'ご請求明細の確認' })).toHaveAttribute('href', '/billing');
    // Built screens are links.
    await expect(menu.getByRole('link', { name: 'お客さま情報確認・変更' })).toHaveAttribute('href', '/account');
    await expect(menu.getByRole('link', { name: 'お友だち紹介' })).toHaveAttribute('href', '/contract/referral');
    await expectNoHorizontalScroll(page);
    await screenshot(page, info, 'shell');
  });

  test('@core a demo customer\'s summary comes from the database', async ({ page }, info) => {
    const shell = new Shell(page);
    await shell.goto('/dev/preview/100000002');
    await expect(page.getByTestId('customer-name')).toContainText('佐藤 花子');
    await expect(page.getByTestId('customer-no')).toHaveText('100000002');
    await expect(page.getByTestId('services')).toContainText('インターネット 1Gコース');
    await expect(page.getByTestId('services')).toContainText('テレビ スタンダードプラン');
    await expect(page.getByTestId('latest-total')).toHaveText(/^[\d,]+円$/);
    await expectNoHorizontalScroll(page);
    await screenshot(page, info, 'preview-100000002');
  });

  test('@core the language switch renders the page in English and back', async ({ page }, info) => {
    const shell = new Shell(page);
    await shell.goto('/dev/preview/100000001');
    // With JavaScript the button waits for hydration; without it the form simply posts.
    if (info.project.use.javaScriptEnabled !== false) await shell.hydrated();
    await shell.switchLanguage();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByTestId('customer-name')).toContainText('山田 太郎');
    await expect(page.getByText("This month's bill")).toBeVisible();
    await screenshot(page, info, 'preview-english');
    await shell.switchLanguage();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.getByText('今月のご請求額')).toBeVisible();
  });

  test('@core an unknown page shows the not-found screen', async ({ page }) => {
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'ページが見つかりません' })).toBeVisible();
  });

  test('touch targets in the menu are at least 44 px high', async ({ page }) => {
    const shell = new Shell(page);
    await logInAt(page, '/', 'hanako@example.com');
    await expect(page.getByTestId('customer-name')).toContainText('佐藤 花子');
    const menu = await shell.openMenu();
    const items = menu.locator('.menu-item');
    const n = await items.count();
    expect(n).toBeGreaterThan(10);
    for (let i = 0; i < n; i++) {
      const box = await items.nth(i).boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44);
    }
  });

  test('the skip link is the first stop for the keyboard and moves focus to the content', async ({ page }) => {
    const shell = new Shell(page);
    await shell.goto('/login');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: '本文へスキップ' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#main$/);
  });
});

test.describe('hydration', () => {
  test('the text-size control works only once the WASM has loaded', async ({ page }) => {
    const shell = new Shell(page);
    // Hold the WASM back: until it arrives the control is rendered but inert.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/pkg/*.wasm', async (route) => {
      await held;
      await route.continue();
    });
    await shell.goto('/dev/preview/100000002');
    const large = page.getByTestId('font-large');
    await expect(large).toBeDisabled();
    release();
    await expect(large).toBeEnabled();
    const before = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    await large.click();
    await expect(large).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('html')).toHaveClass(/font-large/);
    const after = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    expect(after).toBeGreaterThan(before);
    // The choice survives a reload: the server renders it from the cookie.
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.reload();
    await expect(page.locator('html')).toHaveClass(/font-large/);
    await shell.hydrated();
    await page.getByTestId('font-normal').click();
    await expect(page.locator('html')).not.toHaveClass(/font-large/);
  });
});

test.describe('PWA', () => {
  test('the manifest and icons are served', async ({ request }) => {
    const res = await request.get('/manifest.webmanifest');
    expect(res.ok()).toBeTruthy();
    const manifest = await res.json();
    expect(manifest.display).toBe('standalone');
    for (const icon of manifest.icons) {
      const img = await request.get(icon.src);
      expect(img.ok()).toBeTruthy();
      expect(img.headers()['content-type']).toBe('image/png');
    }
  });

  test('Chromium finds nothing that stops the install (Page.getInstallabilityErrors)', async ({ baseURL }) => {
    // A persistent profile: Chromium never offers to install from an incognito one,
    // which is what a test's fresh context is.
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mypage-install-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await context.newPage();
      await page.goto(`${baseURL}/login`);
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      const cdp = await context.newCDPSession(page);
      await expect
        .poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors, { timeout: 15_000 })
        .toEqual([]);
      const manifest = await cdp.send('Page.getAppManifest');
      expect(manifest.errors).toEqual([]);
    } finally {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });

  test('a new release is offered with a reload, which brings it', async ({ page, context }) => {
    const shell = new Shell(page);
    await shell.goto('/login');
    await shell.hydrated();
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? ''))
      .toBe('activated');
    // The page as customers have it open, under this release's worker.
    await page.reload();
    await shell.hydrated();
    const banner = page.getByTestId('update-banner');
    // The next release: a worker from another script (a worker's identity is its
    // script), registered by a page of that release in another tab, takes over this
    // page, which runs the code before and says so.
    await page.evaluate(() => navigator.serviceWorker.register('/sw.js?release=next').then(() => undefined));
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? ''))
      .toContain('release=next');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('新しいバージョンがあります。');
    // and has finished activating: a worker claims pages while still activating, and a
    // load then waits for it.
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? ''))
      .toBe('activated');
    // A page of this build opened now, under that worker, registers its own release's,
    // which takes over: that page runs its release already, and offers nothing.
    const other = await context.newPage();
    await other.goto('/login');
    await new Shell(other).hydrated();
    await expect
      .poll(() => other.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? ''))
      .not.toContain('release=next');
    await expect(other.getByTestId('update-banner')).toBeHidden();
    await other.close();
    await page.getByRole('button', { name: '再読み込み' }).click();
    await page.waitForLoadState('load');
    await shell.hydrated();
    // On the new release now: nothing more to offer. Its worker is named by the
    // release (the build's hashes), and keeps its files apart: the release before's
    // cache is gone.
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? ''))
      .toMatch(/\/sw\.js\?v=[\w.%-]+$/);
    await expect(banner).toBeHidden();
    const release = await page.evaluate(() => new URL(navigator.serviceWorker.controller!.scriptURL).searchParams.get('v'));
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([`mypage-static-${release}`]);
  });

  test('in a rolling restart, a page of either release leaves the newer worker in charge', async ({ page, context }) => {
    // Each worker a page registers, kept for the test to read.
    await context.addInitScript(() => {
      const register = ServiceWorkerContainer.prototype.register;
      ServiceWorkerContainer.prototype.register = function (url, options) {
        const w = window as unknown as { registered?: string[] };
        (w.registered ??= []).push(String(url));
        return register.call(this, url, options);
      };
    });
    const controller = (p: typeof page) => () => p.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '');
    const activated = (p: typeof page) => () => p.evaluate(() => navigator.serviceWorker.controller?.state ?? '');
    const shell = new Shell(page);
    await shell.goto('/login');
    await shell.hydrated();
    const banner = page.getByTestId('update-banner');
    // This release's worker names its order (the commit's time) before its hashes.
    const own = (await banner.getAttribute('data-worker')) ?? '';
    const order = Number(/^\/sw\.js\?v=(\d+)\./.exec(own)?.[1]);
    expect(order).toBeGreaterThan(0);
    await expect.poll(activated(page)).toBe('activated');
    await page.reload();
    await shell.hydrated();
    // A page of the release before (from its code, which registers whatever is in
    // charge) takes the pages: this page takes them back, and offers nothing.
    const before = `/sw.js?v=${order - 1}.before`;
    await page.evaluate((url) => navigator.serviceWorker.register(url).then(() => undefined), before);
    const registered = (p: typeof page) => () =>
      p.evaluate(() => (window as unknown as { registered?: string[] }).registered ?? []);
    await expect.poll(registered(page)).toEqual([own, before, own]);
    await expect.poll(async () => (await controller(page)()).endsWith(own)).toBe(true);
    await expect(banner).toBeHidden();
    await expect.poll(activated(page)).toBe('activated');
    // A page of the next release, from a process restarted already: its worker takes
    // over, and this page offers it.
    const next = `/sw.js?v=${order + 1}.next`;
    await page.evaluate((url) => navigator.serviceWorker.register(url).then(() => undefined), next);
    await expect.poll(controller(page)).toContain(next);
    await expect(banner).toBeVisible();
    await expect.poll(activated(page)).toBe('activated');
    // A page of this release now, from a process not yet restarted: it leaves the next
    // release's worker in charge, registering nothing, and offers nothing.
    const other = await context.newPage();
    await other.goto('/login');
    await new Shell(other).hydrated();
    expect(await registered(other)()).toEqual([]);
    expect(await controller(other)()).toContain(next);
    await expect(other.getByTestId('update-banner')).toBeHidden();
    await other.close();
  });

  test('offline, a page shows the offline screen, and no page or API response is cached', async ({ page, context }) => {
    const shell = new Shell(page);
    await shell.goto('/dev/preview/100000002');
    await shell.hydrated();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // The worker takes control of this page after activation (clients.claim).
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    await page.reload();
    await shell.hydrated();
    const cached: string[] = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const req of await cache.keys()) urls.push(new URL(req.url).pathname);
      }
      return urls;
    });
    expect(cached).toContain('/offline.html');
    expect(cached.some((u) => u.startsWith('/pkg/'))).toBeTruthy();
    expect(cached.filter((u) => u.startsWith('/api/') || u.startsWith('/dev') || u === '/')).toEqual([]);

    await context.setOffline(true);
    await page.goto('/dev/preview/100000001').catch(() => undefined);
    await expect(page.getByRole('heading', { name: 'オフラインです' })).toBeVisible();
    await context.setOffline(false);
    // 再読み込み, back online: the page asked for, not the top page.
    await page.getByRole('link', { name: '再読み込み' }).click();
    await expect(page).toHaveURL(/\/dev\/preview\/100000001$/);
    await expect(page.getByRole('heading', { name: 'オフラインです' })).toHaveCount(0);
  });
});
