import { expect, test } from '../fixtures';
import { LoginPage } from '../pages/login';
import { waitForMail } from '../pages/mail';
import { screenshot } from '../pages/shell';

// Path B changes hanako's password, which every project shares: the test is tagged
// @shared-account and runs in the desktop project only (see playwright.config.ts);
// no other test logs in as hanako.
test.describe('forgotten password', () => {
  test('path B: a code by mail, a new password, and login with it @shared-account', async ({ page }, info) => {
    await page.goto('/login');
    await page.getByRole('link', { name: 'ID,またはパスワードをお忘れですか?' }).click();
    await page.getByRole('radio', { name: 'パスワードがご不明な場合' }).check();
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByRole('heading', { name: '本人認証' })).toBeVisible();
    await page.getByLabel('iTSCOM ID').fill('hanako@example.com');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByRole('heading', { name: '認証コード入力' })).toBeVisible();
    await screenshot(page, info, 'recovery-code');
    const mail = await waitForMail('hanako@example.com', '認証コード通知メール');
    const code = mail.text.match(/認証コード: (\d{6})/)![1];
    await page.getByLabel('認証コード').fill(code);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.getByLabel('パスワード', { exact: true }).fill('Hanako-new-2026');
    await page.getByLabel('パスワード再入力').fill('Hanako-new-2026');
    await page.getByRole('button', { name: '確認' }).click();
    await expect(page.getByTestId('recovery-done')).toBeVisible();
    await page.getByRole('link', { name: 'ログイン画面へ' }).click();
    await new LoginPage(page).login('hanako@example.com', 'Hanako-new-2026');
    await expect(page.getByTestId('customer-name')).toContainText('佐藤 花子');
  });

  test('@core an unknown ID gets the same code screen, and a wrong code a clear message', async ({ page }, info) => {
    await page.goto('/recovery/identify');
    await page.getByLabel('iTSCOM ID').fill(`nobody-${info.project.name}@example.com`);
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByRole('heading', { name: '認証コード入力' })).toBeVisible();
    await expect(page.getByText('iTSCOM IDとパスワードを新規登録し直してください')).toBeVisible();
    await page.getByLabel('認証コード').fill('123456');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByRole('alert')).toHaveText('認証コードが正しくないか、有効期限が切れています。');
    await screenshot(page, info, 'recovery-wrong-code');
  });
});
