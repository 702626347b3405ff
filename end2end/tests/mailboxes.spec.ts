import { expect, test } from '../fixtures';
import { LoginPage } from '../pages/login';
import { expectPrintsOnA4 } from '../pages/print';
import { expectNoHorizontalScroll, screenshot } from '../pages/shell';

// Hanako (demo 100000002, internet) keeps her password in these projects; each run
// adds one mailbox of its own, so the list is checked for hers, not counted.
test.describe('mailboxes', () => {
  test('demo 100000002 registers a mailbox through every step and sees the completion once', async ({ page }, info) => {
    const login = new LoginPage(page);
    await login.goto('/mail');
    await login.login('hanako@example.com', 'Hanako_2024');
    await expect(page.getByRole('heading', { name: 'メールアドレス', exact: true })).toBeVisible();
    const list = page.getByTestId('mailboxes');
    await expect(list).toContainText('hanako@a01.itscom.net');
    await expect(list).toContainText('sato-family@b03.itscom.net');
    await screenshot(page, info, 'mail-list');
    await expectNoHorizontalScroll(page);

    await page.getByRole('link', { name: '新規登録' }).click();
    const local = `e2e-${info.project.name}-${Date.now() % 100000}`;
    await page.getByLabel('メールアドレス').fill(local);
    await page.getByRole('button', { name: '次へ' }).click();

    const candidates = page.getByTestId('candidate');
    await expect(candidates).toHaveCount(3);
    const first = await candidates.allTextContents();
    await page.getByRole('button', { name: '他のサブドメイン候補を表示する' }).click();
    await expect(candidates).toHaveCount(3);
    await expect(candidates.first()).not.toHaveText(first[0]);
    const second = await candidates.allTextContents();
    expect(second.filter((c) => first.includes(c))).toEqual([]);
    await screenshot(page, info, 'mail-candidates');
    const address = second[1];
    await page.getByRole('radio', { name: address }).check();
    await page.getByRole('button', { name: '次へ' }).click();

    await expect(page.getByTestId('terms')).toContainText('第1条');
    await page.getByRole('radio', { name: 'ON' }).check();
    await screenshot(page, info, 'mail-terms');
    await page.getByRole('button', { name: '確認' }).click();

    await expect(page.getByTestId('summary-address')).toHaveText(address);
    await expect(page.getByTestId('summary-virus')).toHaveText('ON');
    await page.getByRole('button', { name: '登録' }).click();

    await expect(page.getByTestId('done-warning')).toHaveText('この内容は今後確認ができません。印刷をするか、メモなどに控えてください。');
    await expect(page.getByTestId('done-address')).toHaveText(address);
    const password = (await page.getByTestId('done-password').textContent())!;
    expect(password).toMatch(/^[A-Za-z2-9]{12}$/);
    await expect(page.getByRole('button', { name: '印刷画面へ' })).toBeVisible();
    await screenshot(page, info, 'mail-done');
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('header.site-header')).toBeHidden();
    await expect(page.getByRole('button', { name: '印刷画面へ' })).toBeHidden();
    await screenshot(page, info, 'mail-print');
    await page.emulateMedia({ media: 'screen' });
    if (info.project.name === 'desktop') await expectPrintsOnA4(page, info, 'mail-done', [address, password]);

    // Once only: a reload shows no password.
    await page.reload();
    await expect(page.getByTestId('done-gone')).toBeVisible();
    await expect(page.getByText(password)).toHaveCount(0);
    await page.getByRole('link', { name: 'メールアドレス一覧へ' }).click();
    await expect(page.getByTestId('mailboxes')).toContainText(address);
    await expect(page.getByText(password)).toHaveCount(0);

    // The virus check can be switched at any time from the list.
    const item = page.getByRole('listitem').filter({ hasText: address });
    await expect(item.getByTestId('virus-state')).toHaveText('ON');
    await page.getByRole('button', { name: `${address} メールウィルスチェック OFFにする` }).click();
    await expect(page.getByRole('listitem').filter({ hasText: address }).getByTestId('virus-state')).toHaveText('OFF');
  });

  test('a mailbox password is issued again from the list and shown once', async ({ page }, info) => {
    const login = new LoginPage(page);
    await login.goto('/mail');
    await login.login('hanako@example.com', 'Hanako_2024');
    await page.getByRole('link', { name: 'hanako@a01.itscom.net パスワード再発行' }).click();
    await expect(page.getByRole('heading', { name: 'メールパスワードの再発行' })).toBeVisible();
    await expect(page.getByTestId('reissue-address')).toHaveText('hanako@a01.itscom.net');
    await expect(page.getByTestId('reissue-warning')).toContainText('これまでのパスワードは使えなくなります');
    await screenshot(page, info, 'mail-reissue');
    await expectNoHorizontalScroll(page);
    await page.getByLabel('現在のパスワード').fill('Hanako_2024');
    await page.getByRole('button', { name: '再発行する' }).click();
    await expect(page.getByRole('heading', { name: 'パスワード再発行完了' })).toBeVisible();
    await expect(page.getByTestId('done-address')).toHaveText('hanako@a01.itscom.net');
    const password = (await page.getByTestId('done-password').textContent())!;
    expect(password).toMatch(/^[A-Za-z2-9]{12}$/);
    await expect(page.getByText('新しいパスワード', { exact: true })).toBeVisible();
    await screenshot(page, info, 'mail-reissue-done');
    await page.reload();
    await expect(page.getByTestId('done-gone')).toBeVisible();
    await expect(page.getByText(password)).toHaveCount(0);
  });

  test('@core bad local parts get field messages', async ({ page }, info) => {
    const login = new LoginPage(page);
    await login.goto('/mail/new');
    await login.login('hanako@example.com', 'Hanako_2024');
    const field = page.getByLabel('メールアドレス');
    for (const [value, message] of [
      ['-abc', '「-」「_」は先頭と末尾には使えません。'],
      ['ab.c', '半角英数字と「-」「_」で入力してください。'],
      ['ab', '3文字以上で入力してください。'],
    ]) {
      await field.fill(value);
      // The draft's script, fetched at the first focus, keeps the form as it is sent
      // once it has run (a post sent before then has no draft to come back with).
      if (info.project.use.javaScriptEnabled !== false) {
        await expect(page.locator('html')).toHaveAttribute('data-draft', '');
      }
      // The refused page, not the one posted from (whose live check shows the same words).
      const refused = page.waitForEvent('load');
      await page.getByRole('button', { name: '次へ' }).click();
      await refused;
      await expect(page.locator('#local_part-error')).toHaveText(message);
      // Put back as typed, to be corrected (once the draft's script has run; without
      // JavaScript the page comes back with the message alone).
      if (info.project.use.javaScriptEnabled !== false) {
        await expect(page.locator('html')).toHaveAttribute('data-draft', '');
        await expect(field).toHaveValue(value);
      }
    }
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await screenshot(page, info, 'mail-local-error');
  });
});
