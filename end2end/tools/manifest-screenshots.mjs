// The web app manifest's screenshots (public/screenshots/): the demo customer 佐藤
// 花子's top page (fictitious data) on a phone (Pixel 7, 824×1830) and a desktop
// (1280×800). Run against a server with the demo data when the top page changes:
//
//   node end2end/tools/manifest-screenshots.mjs http://127.0.0.1:3000
import { chromium, devices } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
for (const [name, options] of [
  ['top-narrow', { ...devices['Pixel 7'], viewport: { width: 412, height: 915 }, deviceScaleFactor: 2 }],
  ['top-wide', { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 }],
]) {
  const context = await browser.newContext({ ...options, locale: 'ja-JP' });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('iTSCOM ID').fill('hanako@example.com');
  await page.getByLabel('パスワード', { exact: true }).fill('Hanako_2024');
  await Promise.all([page.waitForURL(`${base}/`), page.getByRole('button', { name: 'ログイン', exact: true }).click()]);
  await page.screenshot({ path: new URL(`../../public/screenshots/${name}.png`, import.meta.url).pathname });
  await context.close();
}
await browser.close();
