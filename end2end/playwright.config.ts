import { defineConfig, devices } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from './chromium';

// Base URL from the environment (BASE_URL), else a server this config starts itself:
// the release build on a fresh demo database at E2E_ADDR (default 127.0.0.1:3100).
const addr = process.env.E2E_ADDR ?? '127.0.0.1:3100';
const baseURL = process.env.BASE_URL ?? `http://${addr}`;
// Where the SMTP server of the test run stores received mail (read by pages/mail.ts).
// (A folder that does not exist yet: aiosmtpd then creates it as a Maildir.)
process.env.E2E_MAILDIR ??= path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mypage-e2e-mail-')), 'maildir');


const desktop = { browserName: 'chromium' as const, viewport: { width: 1280, height: 800 } };
const phone = { ...devices['Pixel 7'], browserName: 'chromium' as const };

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: true,
  // A stray test.only would run one test and pass: refused everywhere, not only in CI.
  forbidOnly: true,
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    launchOptions: chromium,
    screenshot: 'on',
    trace: 'retain-on-failure',
    locale: 'ja-JP',
  },
  projects: [
    // @phone-only: measured once, in the Pixel 7 emulation (the download budget).
    // @desktop-only: printing on A4, which customers do from a desktop.
    { name: 'desktop', grepInvert: /@changes-account|@phone-only/, use: desktop },
    { name: 'phone', grepInvert: /@changes-account|@desktop-only/, use: phone },
    // Core flows must work before (and without) the WASM: forms post, pages render.
    { name: 'nojs', grep: /@core/, grepInvert: /@changes-account/, use: { ...desktop, javaScriptEnabled: false } },
    // Tests that change a demo account every project shares (its password, its ID)
    // run after all the others, one at a time: desktop first, then phone.
    {
      name: 'desktop-accounts',
      grep: /@changes-account/,
      workers: 1,
      dependencies: ['desktop', 'phone', 'nojs'],
      use: desktop,
    },
    { name: 'phone-accounts', grep: /@changes-account/, workers: 1, dependencies: ['desktop-accounts'], use: phone },
  ],
  webServer: process.env.BASE_URL
    ? undefined
    : {
        command: 'bash ../.ci/e2e-server.sh',
        url: `${baseURL}/healthz`,
        env: { E2E_ADDR: addr, E2E_MAILDIR: process.env.E2E_MAILDIR! },
        reuseExistingServer: !process.env.CI,
        timeout: 60_000,
        stdout: 'ignore',
        stderr: 'pipe',
      },
});
