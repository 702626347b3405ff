import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { LoginPage, logInAt } from '../pages/login';
import { currentPassword } from '../pages/accounts';
import { waitForMail } from '../pages/mail';
import { Shell, expectNoHorizontalScroll, holdDraftScript, screenshot } from '../pages/shell';

// お問い合わせ・サポート and イッツコム 通信速度測定 (issue 14).

test('the support numbers are tel: links and an inquiry is sent without JavaScript too @core', async ({ page }, info) => {
  // The speed test's module is loaded by the speed test page only.
  const meter: string[] = [];
  page.on('request', (r) => r.url().includes('/meter/meter.') && meter.push(r.url()));
  await logInAt(page, '/help', 'ichiro@example.net');
  await expect(page.getByTestId('tel-internet')).toHaveAttribute('href', 'tel:0120125607');
  await expect(page.getByTestId('tel-internet-ip')).toHaveText('042-716-9617');
  await expect(page.getByTestId('tel-general')).toHaveAttribute('href', 'tel:0120109199');
  await expect(page.getByTestId('support-mail')).toHaveAttribute('href', 'mailto:support@itscom.jp');
  await page.getByLabel('お問い合わせの種類').selectOption('billing');
  await page.getByLabel('お問い合わせ内容').fill(`請求書の見方を教えてください（${info.project.name}）。`);
  await page.getByRole('button', { name: '送信する' }).click();
  await expect(page.getByTestId('inquiry-sent')).toContainText(/受付番号は Q\d{6}-\d{6} です/);
  await expect(page.getByTestId('inquiry').filter({ hasText: info.project.name }).first()).toContainText('料金・お支払い');
  await expectNoHorizontalScroll(page);
  await screenshot(page, info, 'help');
  expect(meter, 'no page but the speed test loads the measuring module').toEqual([]);
});

test('an inquiry refused for a character the form cannot take comes back as it was typed', async ({ page }) => {
  await logInAt(page, '/help', 'ichiro@example.net');
  // A control character pasted with the text: refused, with the field's message.
  const message = `ルーターのランプが赤く点滅しています。\u0007\n昨夜から繋がりません。`;
  await page.getByLabel('お問い合わせの種類').selectOption('internet');
  await page.getByLabel('お問い合わせ内容').fill(message);
  const send = page.getByRole('button', { name: '送信する' });
  await expect(send).toHaveAttribute('data-hydrated', '');
  await expect(page.locator('html')).toHaveAttribute('data-draft', '');
  await send.click();
  await expect(page).toHaveURL(/[?&]error=message/);
  await expect(page.locator('#message-error')).toBeVisible();
  await expect(page.getByLabel('お問い合わせ内容')).toHaveValue(message);
  await expect(page.getByLabel('お問い合わせの種類')).toHaveValue('internet');
  await expect(page.getByTestId('inquiry-sent')).toHaveCount(0);
});

/** 鈴木 一郎 writes an inquiry on /help, his session ends meanwhile (its cookie still
 * sent, as after the idle limit), and 送信する leads to the login screen. */
async function inquirySentAfterTheSessionEnded(page: Page, context: BrowserContext, category: string, message: string) {
  await logInAt(page, '/help', 'ichiro@example.net');
  await page.getByLabel('お問い合わせの種類').selectOption(category);
  await page.getByLabel('お問い合わせ内容').fill(message);
  const send = page.getByRole('button', { name: '送信する' });
  await expect(send).toHaveAttribute('data-hydrated', '');
  await expect(page.locator('html')).toHaveAttribute('data-draft', '');
  const session = (await context.cookies()).find((c) => c.name.endsWith('mypage_session'))!;
  await context.addCookies([{ ...session, value: 'x'.repeat(43) }]);
  await send.click();
  await expect(page).toHaveURL(/\/login\?error=session/);
  return send;
}

test('an inquiry sent after its session ended comes back as typed after the login', async ({ page, context }) => {
  const message = 'テレビの映りが悪く、時々ブロックノイズが出ます。\n夕方に多いです。';
  const send = await inquirySentAfterTheSessionEnded(page, context, 'tv', message);
  const login = new LoginPage(page);
  await login.login('ichiro@example.net', currentPassword('ichiro@example.net'));
  await expect(page).toHaveURL(/\/help$/);
  await expect(page.locator('html')).toHaveAttribute('data-draft', '');
  await expect(page.getByLabel('お問い合わせ内容')).toHaveValue(message);
  await expect(page.getByLabel('お問い合わせの種類')).toHaveValue('tv');
  await expect(page.getByTestId('inquiry-sent')).toHaveCount(0);
  // Sent now, it is received; the next page holds no draft.
  await send.click();
  await expect(page.getByTestId('inquiry-sent')).toContainText(/受付番号は Q\d{6}-\d{6} です/);
  await page.goto('/help');
  await expect(page.getByLabel('お問い合わせ内容')).toHaveValue('');
});

test('a draft held through a login is never put back into another customer\'s pages', async ({ page, context }) => {
  await inquirySentAfterTheSessionEnded(page, context, 'other', '自宅の住所と電話番号を書いた問い合わせ');
  // He leaves the device; she logs in on it.
  await new LoginPage(page).login('hanako@example.com', currentPassword('hanako@example.com'));
  await expect(page).toHaveURL(/\/help$/);
  await expect(page.locator('html')).toHaveAttribute('data-draft', '');
  await expect(page.getByLabel('お問い合わせ内容')).toHaveValue('');
  expect(await page.evaluate(() => sessionStorage.getItem('draft:held'))).toBeNull();
});

test('a choice made on the refused form before its draft is put back stays', async ({ page }) => {
  await logInAt(page, '/help', 'ichiro@example.net');
  const message = `モデムの再起動方法を教えてください。\u0007`;
  const category = page.getByLabel('お問い合わせの種類');
  await category.selectOption('internet');
  await page.getByLabel('お問い合わせ内容').fill(message);
  const send = page.getByRole('button', { name: '送信する' });
  await expect(send).toHaveAttribute('data-hydrated', '');
  await expect(page.locator('html')).toHaveAttribute('data-draft', '');
  // The refused page's draft script held back until another kind is chosen (a select
  // with no option marked: the first one is what it came with).
  const release = await holdDraftScript(page);
  await send.click();
  await expect(page).toHaveURL(/[?&]error=message/);
  await category.selectOption('tv');
  release();
  await expect(page.locator('html')).toHaveAttribute('data-draft', '');
  // The kind chosen stays; the text not typed again comes back from the draft.
  await expect(page.getByLabel('お問い合わせ内容')).toHaveValue(message);
  await expect(category).toHaveValue('tv');
});

test('the speed test needs JavaScript and says so without it @core', async ({ page, javaScriptEnabled }) => {
  await logInAt(page, '/help/speedtest', 'ichiro@example.net');
  await expect(page.getByTestId('speed-plan')).toContainText('インターネット 300Mコース（最大300Mbps）');
  if (javaScriptEnabled) {
    await expect(page.getByTestId('speed-start')).toBeEnabled();
  } else {
    await expect(page.getByTestId('speed-noscript')).toContainText('速度測定にはJavaScriptが必要です。');
    await expect(page.getByTestId('speedtest')).toBeHidden();
  }
});

test('a measuring module that cannot be fetched is said at the meter, and nothing starts', async ({ page }) => {
  await page.route(/\/meter\/meter\.[0-9a-f]+\.wasm/, (route) => route.abort());
  await logInAt(page, '/help/speedtest', 'ichiro@example.net');
  await expect(page.getByTestId('speed-error')).toHaveText('測定の準備ができませんでした。ページを再読み込みしてください。');
  await expect(page.getByTestId('speed-start')).toBeDisabled();
});

// One test at a time for 佐藤 花子 (one running speed test per account): tagged
// @changes-account, desktop then phone.
test('佐藤 花子 runs a short speed test, sees it saved and compared with her plan, and attaches it to an inquiry @changes-account', async ({ page }, info) => {
  test.setTimeout(90_000);
  const id = 'hanako@example.com';
  const meter: string[] = [];
  page.on('request', (r) => r.url().includes('/meter/meter.') && meter.push(r.url()));
  await logInAt(page, '/', id);
  const menu = await new Shell(page).openMenu();
  await menu.getByRole('link', { name: 'イッツコム 通信速度測定' }).click();
  await expect(page.getByTestId('speed-plan')).toContainText('インターネット 1Gコース（最大1Gbps）');
  // A short test (3 s a direction) against the loopback server.
  await page.goto('/help/speedtest?duration=3');
  const before = await page.getByTestId('speed-history-row').count();
  const start = page.getByTestId('speed-start');
  // The measuring code is its own chunk: the button works once it is loaded.
  await expect(start).toHaveAttribute('data-hydrated', '');
  expect(meter.some((u) => /\/meter\/meter\.[0-9a-f]+\.wasm$/.test(u)), 'the measuring module').toBe(true);
  // The portal busy the first time the figures go (the database away a moment): they
  // are sent again, and the result is saved once.
  let finishes = 0;
  await page.route('**/api/speedtest/finish', (route) =>
    finishes++ === 0 ? route.fulfill({ status: 503, body: 'busy' }) : route.continue(),
  );
  await start.click();
  await expect(page.getByTestId('speed-phase')).toContainText('測定中');
  await expect(page.getByTestId('live-ping')).not.toHaveText('–');
  await screenshot(page, info, 'speedtest-running');
  await expect(page.getByTestId('speed-result')).toBeVisible({ timeout: 45_000 });
  expect(finishes, 'sent again after the 503').toBe(2);
  const figure = async (testid: string) => parseFloat((await page.getByTestId(testid).textContent()) ?? '0');
  expect(await figure('result-download')).toBeGreaterThan(0);
  expect(await figure('result-upload')).toBeGreaterThan(0);
  await expect(page.getByTestId('result-vs-plan')).toContainText('ご契約のインターネット 1Gコースの最大速度に対して');
  await expect(page.getByTestId('result-grade')).toHaveText(/^(A\+|A|B|C|D|F)$/);
  await expect(page.getByTestId('speed-history-row')).toHaveCount(before + 1);
  await expectNoHorizontalScroll(page);
  await screenshot(page, info, 'speedtest-result');
  // One click attaches it to an inquiry.
  await page.getByTestId('result-attach').click();
  await expect(page.locator('#result')).not.toHaveValue('');
  await page.getByLabel('お問い合わせの種類').selectOption('internet');
  await page.getByLabel('お問い合わせ内容').fill('夜になると速度が落ちます。測定結果を添付します。');
  const since = Date.now();
  await page.getByRole('button', { name: '送信する' }).click();
  const sent = page.getByTestId('inquiry-sent');
  await expect(sent).toContainText('受付番号は');
  const reference = ((await sent.textContent()) ?? '').match(/Q\d{6}-\d{6}/)![0];
  await expect(page.getByTestId('inquiry').first()).toContainText(reference);
  await expect(page.getByTestId('inquiry-attached').first()).toContainText('下り');
  const mail = await waitForMail(id, 'お問い合わせ受付のお知らせ', since);
  expect(mail.text).toContain(reference);
  expect(mail.text).toContain('添付した測定結果');
});
