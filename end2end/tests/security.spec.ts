import { expect, test } from '../fixtures';
import { currentPassword } from '../pages/accounts';
import { logInAt } from '../pages/login';
import { totp } from '../pages/totp';
import { waitForMail } from '../pages/mail';
import { expectNoHorizontalScroll, screenshot } from '../pages/shell';
import type { Page } from '@playwright/test';

async function secondStep(page: Page, code: string) {
  await expect(page).toHaveURL(/\/login\/two-step/);
  await page.getByLabel('確認コード').fill(code);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
}

/** 他の端末をすべてログアウト, confirmed, where there are others. */
async function endOthers(page: Page) {
  const summary = page.locator('summary', { hasText: '他の端末をすべてログアウト' });
  if (!(await summary.count())) return;
  await summary.click();
  await page.getByRole('button', { name: '他の端末をすべてログアウト' }).click();
  await expect(page.getByTestId('security-done')).toBeVisible();
}

// Turns two-step verification on for hanako and off again, and signs her other
// browser out: tagged @changes-account (run alone, after the other tests).
test('two-step verification, signed-in devices and the activity @changes-account', async ({ page, browser }, info) => {
  const id = 'hanako@example.com';
  const password = currentPassword(id);
  await logInAt(page, '/account/security', id);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ログイン・セキュリティ設定');
  await expect(page.getByTestId('two-step-state')).toHaveText('2段階認証は設定されていません。');
  await expectNoHorizontalScroll(page);
  await screenshot(page, info, 'security');
  // The earlier tests' browsers are still signed in: sign them out.
  await endOthers(page);
  await expect(page.getByTestId('device')).toHaveCount(1);
  await expect(page.getByText('ほかにログインしている端末はありません。')).toBeVisible();

  // Set up: the QR code and the key; a wrong first code is refused, the right one turns it on.
  const since = Date.now();
  // The password, however fresh the login: turned on, it signs every other device out.
  await page.locator('#start-password').fill(password);
  await page.getByRole('button', { name: '2段階認証を設定する' }).click();
  await expect(page.getByTestId('two-step-qr')).toBeVisible();
  await expect(page.getByTestId('setup-signs-out')).toBeVisible();
  // On a phone, where the app usually is, its button comes before a QR code the phone
  // cannot scan of itself; on a desktop, after it.
  const openApp = (await page.getByTestId('two-step-open-app').boundingBox())!;
  const qr = (await page.getByTestId('two-step-qr').boundingBox())!;
  expect(openApp.y < qr.y).toBe((page.viewportSize()?.width ?? 1280) < 768);
  const key = (await page.getByTestId('two-step-key').textContent())!;
  await screenshot(page, info, 'two-step-setup');
  await page.getByLabel('確認コード').fill('000000' === totp(key) ? '111111' : '000000');
  await page.getByRole('button', { name: '設定する' }).click();
  await expect(page.getByText('確認コードが正しくありません')).toBeVisible();
  await page.getByLabel('確認コード').fill(totp(key));
  await page.getByRole('button', { name: '設定する' }).click();
  await expect(page.getByTestId('recovery-code')).toHaveCount(10);
  const codes = await page.getByTestId('recovery-code').allTextContents();
  await expectNoHorizontalScroll(page);
  await screenshot(page, info, 'recovery-codes');
  const told = await waitForMail(id, 'ログインの設定が変更されました', since);
  expect(told.text).toContain('2段階認証を設定しました');

  // Another browser: the password, then a code; the first browser sees it and signs it out.
  const other = await browser.newContext({ ...info.project.use });
  const second = await other.newPage();
  await logInAt(second, '/', id);
  await expect(second).toHaveURL(/\/login\/two-step/);
  await expectNoHorizontalScroll(second);
  await screenshot(second, info, 'login-two-step');
  await secondStep(second, totp(key, 1));
  await expect(second.getByTestId('customer-name')).toBeVisible();
  await page.goto('/account/security');
  await expect(page.getByTestId('device')).toHaveCount(2);
  await expect(page.getByTestId('this-device')).toHaveCount(1);
  await expect(page.getByTestId('device-method').filter({ hasText: '2段階認証' })).toHaveCount(1);
  await screenshot(page, info, 'security-devices');
  await endOthers(page);
  await expect(page.getByTestId('security-done')).toContainText('（1台）');
  await second.goto('/account');
  await expect(second).toHaveURL(/\/login\?next=/);

  // A recovery code signs in once.
  await logInAt(second, '/', id);
  await secondStep(second, codes[0].toLowerCase());
  await expect(second.getByTestId('customer-name')).toBeVisible();
  await other.close();

  // The activity: the logins, the change and the devices signed out, newest first.
  await page.goto('/account/security');
  await page.getByTestId('activity-link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('セキュリティ履歴');
  await expect(page.getByTestId('activity-entry').first()).toContainText('ログイン');
  await expect(page.getByText('2段階認証を設定').first()).toBeVisible();
  await page.getByLabel('表示する内容').selectOption('logins');
  await page.getByRole('button', { name: '表示', exact: true }).click();
  await expect(page).toHaveURL(/kind=logins/);
  await expect(page.getByText('他の端末をすべてログアウト').first()).toBeVisible();
  await expectNoHorizontalScroll(page);
  await screenshot(page, info, 'security-activity');

  // A refused try comes back with its form open at the message (it was in a closed
  // disclosure, and the customer saw nothing), the other forms closed.
  await page.goto('/account/security');
  await page.getByText('2段階認証を解除する').first().click();
  await page.locator('#off-password').fill('Wrong_pass_1');
  await expect(page.locator('html')).toHaveAttribute('data-draft', '');
  await page.locator('#off-code').fill(codes[1]);
  await page.getByRole('button', { name: '2段階認証を解除する' }).click();
  await expect(page).toHaveURL(/error=current_password\.mismatch/);
  await expect(page.locator('details:has(#off-password)').getByText('パスワードが正しくありません')).toBeVisible();
  await expect(page.locator('#renew-password')).toBeHidden();
  await screenshot(page, info, 'security-refused');

  // Off again (the password and a code), as the other tests expect hanako.
  await page.goto('/account/security');
  await page.getByText('2段階認証を解除する').first().click();
  await page.locator('#off-password').fill(password);
  await page.locator('#off-code').fill(codes[1]);
  await page.getByRole('button', { name: '2段階認証を解除する' }).click();
  await expect(page.getByTestId('security-done')).toHaveText('2段階認証を解除しました。');
  await expect(page.getByTestId('two-step-state')).toHaveText('2段階認証は設定されていません。');
});
