import { expect, test } from '../fixtures';
import { rememberPassword } from '../pages/accounts';
import { LoginPage } from '../pages/login';
import { linkIn, waitForMail } from '../pages/mail';
import { identify, setNewPassword } from '../pages/recovery';
import { screenshot } from '../pages/shell';

// Tests tagged @changes-account change a demo account every project shares: they run
// in the desktop-accounts and phone-accounts projects, one at a time, after every
// other test (see playwright.config.ts). Each sets a password of its own and needs
// nothing from an earlier run.
test.describe('forgotten password', () => {
  test('path B: a code by mail, a new password, and login with it @changes-account', async ({ page }, info) => {
    const password = `Hanako-${info.project.name}-2026`;
    await page.goto('/login');
    await page.getByRole('link', { name: 'ID,またはパスワードをお忘れですか?' }).click();
    await page.getByRole('radio', { name: 'パスワードがご不明な場合' }).check();
    await page.getByRole('button', { name: '次へ' }).click();
    const since = Date.now();
    await expect(page.getByRole('heading', { name: '本人認証' })).toBeVisible();
    await page.getByLabel('iTSCOM ID').fill('hanako@example.com');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByRole('heading', { name: '認証コード入力' })).toBeVisible();
    await screenshot(page, info, 'recovery-code');
    const mail = await waitForMail('hanako@example.com', '認証コード通知メール', since);
    const code = mail.text.match(/認証コード: (\d{6})/)![1];
    await page.getByLabel('認証コード').fill(code);
    await page.getByRole('button', { name: '次へ' }).click();
    await setNewPassword(page, password);
    rememberPassword('hanako@example.com', password);
    await page.getByRole('link', { name: 'ログイン画面へ' }).click();
    await new LoginPage(page).login('hanako@example.com', password);
    await expect(page.getByTestId('customer-name')).toContainText('佐藤 花子');
  });

  test('path A: a secret question, a mailed link, the same answer, the ID and a new password @changes-account', async ({ page }, info) => {
    const password = `Ichiro-${info.project.name}-2026`;
    const since = Date.now();
    await identify(page, 'ichiro@example.net');
    await expect(page.getByRole('heading', { name: '合言葉登録' })).toBeVisible();
    await page.getByLabel('秘密の質問').selectOption({ label: '初めて飼ったペットの名前は？' });
    await page.getByLabel('答え').fill('Pochi');
    await screenshot(page, info, 'recovery-question');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByRole('heading', { name: '本人認証 完了' })).toBeVisible();
    await screenshot(page, info, 'recovery-sent');

    const mail = await waitForMail('ichiro@example.net', '本人認証 確認メール', since);
    await page.goto(linkIn(mail));
    // The page asks the question again without showing which one was chosen.
    await expect(page.getByLabel('秘密の質問')).toHaveValue('');
    await page.getByLabel('秘密の質問').selectOption({ label: '初めて飼ったペットの名前は？' });
    await page.getByLabel('答え').fill('Tama');
    await page.getByRole('button', { name: 'ID・パスワード再発行' }).click();
    await expect(page.locator('#answer-error')).toHaveText('秘密の質問または答えが一致しません。');
    await screenshot(page, info, 'recovery-answer-wrong');
    // Compared after NFKC and case folding: full-width capitals match.
    await page.getByLabel('秘密の質問').selectOption({ label: '初めて飼ったペットの名前は？' });
    await page.getByLabel('答え').fill('ＰＯＣＨＩ');
    await page.getByRole('button', { name: 'ID・パスワード再発行' }).click();
    await expect(page.getByRole('heading', { name: 'ID・パスワード再発行' })).toBeVisible();
    await expect(page.getByTestId('reissued-id')).toHaveText('ichiro@example.net');
    await screenshot(page, info, 'recovery-reissue');
    await setNewPassword(page, password);
    rememberPassword('ichiro@example.net', password);

    // The link worked once.
    await page.goto(linkIn(mail));
    await expect(page.getByRole('alert')).toContainText('このURLは無効です');
    const login = new LoginPage(page);
    await login.goto();
    await login.login('ichiro@example.net', password);
    await expect(page.getByTestId('customer-name')).toContainText('鈴木 一郎');
  });

  test('@core an unknown ID gets the screens of a real account, and a wrong code a clear message', async ({ page }, info) => {
    // Unknown IDs are spread over both paths (by a server secret), like real accounts.
    let onCodePath = false;
    for (let i = 0; i < 12 && !onCodePath; i++) {
      await identify(page, `nobody-${info.project.name}-${i}@example.com`);
      const heading = page.getByRole('heading', { name: /^(認証コード入力|合言葉登録)$/ });
      await expect(heading).toBeVisible();
      onCodePath = (await heading.textContent()) === '認証コード入力';
    }
    expect(onCodePath).toBe(true);
    await expect(page.getByText('iTSCOM IDとパスワードを新規登録し直してください')).toBeVisible();
    await page.getByLabel('認証コード').fill('123456');
    await page.getByRole('button', { name: '次へ' }).click();
    // The field's own message, which the field names (aria-describedby) and holds focus.
    const field = page.getByLabel('認証コード');
    await expect(page.locator('#code-error')).toHaveText('認証コードが正しくないか、有効期限が切れています。');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAttribute('aria-describedby', /code-error/);
    await expect(field).toBeFocused();
    await screenshot(page, info, 'recovery-wrong-code');
  });
});
