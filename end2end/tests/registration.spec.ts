import { expect, test } from '../fixtures';
import { LoginPage } from '../pages/login';
import { linkIn, waitForMail } from '../pages/mail';
import { RegistrationPages } from '../pages/registration';
import { expectNoHorizontalScroll, holdDraftScript, screenshot } from '../pages/shell';

// Each project registers a different demo customer, so parallel projects never
// replace each other's registration: desktop 100000001 (one match), phone 100000004
// and no-JS 100000005 (the same person twice: additional verification).
const customers = {
  desktop: { kana: 'ヤマダ タロウ', phone: '03-1234-5678', factor: '口座番号 下4桁', value: '1234', extra: null, name: '山田 太郎' },
  phone: { kana: 'タナカ ミサキ', phone: '03-2222-3333', factor: 'クレジットカード番号 下4桁', value: '1881', extra: 'STB0000004', name: '田中 美咲' },
  nojs: { kana: 'タナカ ミサキ', phone: '0322223333', factor: 'クレジットカード番号 下4桁', value: '1881', extra: 'HP00000005', name: '田中 美咲' },
} as const;

test.describe('registration', () => {
  test('@core a customer registers an iTSCOM ID, confirms by mail and logs in', async ({ page }, info) => {
    const who = customers[info.project.name as keyof typeof customers];
    const reg = new RegistrationPages(page);
    await reg.verify(who.kana, who.phone, who.factor, who.value);
    if (who.extra) {
      await expect(page.getByRole('heading', { name: '追加認証情報' })).toBeVisible();
      await screenshot(page, info, 'register-additional');
      await reg.additional('機器情報', who.extra);
    }
    await expect(page.getByRole('heading', { name: 'STEP 3 iTSCOM IDの登録' })).toBeVisible();
    await expectNoHorizontalScroll(page);
    await screenshot(page, info, 'register-credentials');
    const id = `e2e-${info.project.name}-${Date.now()}@example.jp`;
    // With JavaScript a double click sends STEP 3 once: a second post would find the
    // step taken and answer "expired" for a request that went through.
    const js = info.project.use.javaScriptEnabled !== false;
    await reg.credentials(id, 'Cable-portal-2026', js);
    await expect(page.getByRole('heading', { name: 'メール送信完了' })).toBeVisible();
    await expect(page.locator('#form-error')).toHaveCount(0);
    await screenshot(page, info, 'register-sent');

    const mail = await waitForMail(id, 'iTSCOM ID 新規登録');
    await page.goto(linkIn(mail));
    await expect(page.getByTestId('new-id')).toHaveText(id);
    await expect(page.getByText(who.name)).toBeVisible();
    await screenshot(page, info, 'register-confirm');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByTestId('done')).toBeVisible();
    await screenshot(page, info, 'register-done');

    await page.getByRole('link', { name: 'ログイン画面へ' }).click();
    const login = new LoginPage(page);
    await login.login(id, 'Cable-portal-2026');
    await expect(page.getByTestId('customer-name')).toContainText(who.name);
  });

  test('@core hiragana and full-width input verifies', async ({ page }) => {
    const reg = new RegistrationPages(page);
    await reg.verify('やまだ　たろう', '０３－１２３４－５６７８', '機器情報', 'ｓｔｂ００００００１');
    await expect(page.getByRole('heading', { name: 'STEP 3 iTSCOM IDの登録' })).toBeVisible();
  });

  test('@core wrong details show one neutral message', async ({ page }, info) => {
    const reg = new RegistrationPages(page);
    await reg.verify('スズキ イチロウ', '044-555-0101', '口座番号 下4桁', info.project.name === 'phone' ? '0000' : '1111');
    await expect(page.getByRole('alert')).toHaveText(
      '入力された情報ではご契約者さまを確認できませんでした。入力内容をご確認ください。',
    );
    await screenshot(page, info, 'register-failed');
  });

  test('the password rules and strength show while typing', async ({ page }) => {
    const reg = new RegistrationPages(page);
    await reg.verify('ヤマダ タロウ', '0312345678', 'お客さま番号', '100000001');
    await expect(page.getByRole('heading', { name: 'STEP 3 iTSCOM IDの登録' })).toBeVisible();
    await page.getByLabel('iTSCOM ID').fill('not-an-address');
    await expect(page.getByText('メールアドレスの形式で入力してください。')).toBeVisible();
    await page.getByLabel('パスワード', { exact: true }).fill('password1');
    await expect(page.getByText('よく使われているパスワードのため使用できません。')).toBeVisible();
    await expect(page.getByTestId('strength')).toContainText('弱い');
    await page.getByLabel('パスワード', { exact: true }).fill('Cable-portal-2026');
    await expect(page.getByTestId('strength')).toContainText('強い');
    await page.getByLabel('パスワード再入力').fill('Cable-portal-2025');
    await expect(page.getByText('パスワードが一致しません。')).toBeVisible();
  });

  test('a password the same as the ID is told while typing, the ID read as the server reads it', async ({ page }) => {
    const reg = new RegistrationPages(page);
    await reg.verify('ヤマダ タロウ', '0312345678', 'お客さま番号', '100000001');
    await expect(page.getByRole('heading', { name: 'STEP 3 iTSCOM IDの登録' })).toBeVisible();
    await expect(page.getByRole('button', { name: '次へ' })).toHaveAttribute('data-hydrated', '');
    // Typed on a Japanese IME: full-width, a space before. The server folds it to
    // taro-2026x@example.jp, whose name the password repeats.
    await page.getByLabel('iTSCOM ID').fill('　Ｔａｒｏ－２０２６ｘ＠ｅｘａｍｐｌｅ．ｊｐ');
    const password = page.getByLabel('パスワード', { exact: true });
    await password.fill('Taro-2026x');
    await expect(page.locator('#password-error')).toHaveText('iTSCOM IDと同じパスワードは使用できません。');
    await password.fill('Taro-2026y');
    await expect(page.locator('#password-error')).toBeHidden();
  });

  test('a draft put back late never overwrites what was typed meanwhile', async ({ page }) => {
    const kana = page.getByLabel('ご契約者氏名(カナ)');
    const phone = page.getByLabel('登録済みの電話番号');
    const confirm = page.getByRole('button', { name: '確認' });
    await page.goto('/register');
    await kana.fill('ヤマダ タロウ');
    await phone.fill('03-12');
    await page.getByRole('radio', { name: 'お客さま番号' }).check();
    await page.locator('#factor_value').fill('100000001');
    await expect(confirm).toHaveAttribute('data-hydrated', '');
    await expect(page.locator('html')).toHaveAttribute('data-draft', '');
    // The refused page's draft script held back until the phone number is typed anew.
    const release = await holdDraftScript(page);
    await confirm.click();
    await expect(page.locator('#phone-error')).toBeVisible();
    await phone.fill('03-1234-5678');
    release();
    await expect(page.locator('html')).toHaveAttribute('data-draft', '');
    // What was typed stays; what was not comes back from the draft.
    await expect(phone).toHaveValue('03-1234-5678');
    await expect(kana).toHaveValue('ヤマダ タロウ');
    await expect(page.getByRole('radio', { name: 'お客さま番号' })).toBeChecked();
  });

  test('what was typed comes back with a refused form, but no password or verification detail', async ({ page }) => {
    const kana = page.getByLabel('ご契約者氏名(カナ)');
    const phone = page.getByLabel('登録済みの電話番号');
    const choice = page.getByRole('radio', { name: 'お客さま番号' });
    const confirm = page.getByRole('button', { name: '確認' });
    // The draft's script has run (it is a module of its own, beside the WASM).
    const ready = () => expect(page.locator('html')).toHaveAttribute('data-draft', '');
    // The refused page (not the one posted from, whose live check shows the same
    // message), its draft's script run.
    const refused = async (field: string) => {
      await expect(page).toHaveURL(/[?&]error=/);
      await expect(page.locator(`#${field}-error`)).toBeVisible();
      await ready();
    };
    await page.goto('/register');
    await kana.fill('ヤマダ タロウ');
    await phone.fill('03-12');
    await choice.check();
    await page.locator('#factor_value').fill('100000001');
    await expect(confirm).toHaveAttribute('data-hydrated', '');
    await ready();
    await confirm.click();
    // Refused for the phone number: the name and the choice are there as typed, the
    // phone number too (to be corrected), the verification detail is not.
    await refused('phone');
    await expect(kana).toHaveValue('ヤマダ タロウ');
    await expect(phone).toHaveValue('03-12');
    await expect(choice).toBeChecked();
    await expect(page.locator('#factor_value')).toHaveValue('');
    // The field is named after the choice put back, whether the page woke before or after.
    await expect(confirm).toHaveAttribute('data-hydrated', '');
    await expect(page.locator('label[for=factor_value]')).toHaveText('お客さま番号');
    // A draft is read once: the same page loaded again is empty.
    await page.reload();
    await ready();
    await expect(page.locator('#phone-error')).toBeVisible();
    await expect(kana).toHaveValue('');
    await expect(choice).not.toBeChecked();

    const reg = new RegistrationPages(page);
    await reg.verify('ヤマダ タロウ', '0312345678', 'お客さま番号', '100000001');
    await expect(page.getByRole('heading', { name: 'STEP 3 iTSCOM IDの登録' })).toBeVisible();
    // The draft went with the post that went through (the loader runs in the head).
    expect(await page.evaluate(() => sessionStorage.getItem('draft'))).toBeNull();
    const id = page.getByLabel('iTSCOM ID');
    const next = page.getByRole('button', { name: '次へ' });
    const fill = async () => {
      await id.fill('kept@example.jp');
      await page.getByLabel('パスワード', { exact: true }).fill('Cable-portal-2026');
      await page.getByLabel('パスワード再入力').fill('Cable-portal-2025');
      await expect(next).toHaveAttribute('data-hydrated', '');
      await ready();
    };
    // What a draft holds, seen by holding the post back (a listener after the draft's
    // stops it): the ID, never a password.
    await fill();
    await page.evaluate(() => addEventListener('submit', (e) => e.preventDefault()));
    await next.click();
    await expect.poll(() => page.evaluate(() => sessionStorage.getItem('draft'))).toContain('kept%40example.jp');
    expect(await page.evaluate(() => sessionStorage.getItem('draft'))).not.toContain('Cable-portal');
    await page.reload();
    await fill();
    await next.click();
    await refused('password_again');
    await expect(id).toHaveValue('kept@example.jp');
    await expect(page.getByLabel('パスワード', { exact: true })).toHaveValue('');
    await expect(page.getByLabel('パスワード再入力')).toHaveValue('');
  });

  test('re-registering an account waits for its contact address, and 心当たりがない cancels it', async ({ page }, info) => {
    // Desktop re-registers Hanako, phone Ichiro: cancelling ends every pending request
    // of the customer, so no two projects share one (JavaScript-off runs the core only).
    const who =
      info.project.name === 'phone'
        ? { kana: 'スズキ イチロウ', phone: '044-555-0101', factor: '口座番号 下4桁', value: '5678', contact: 'ichiro@example.net' }
        : { kana: 'サトウ ハナコ', phone: '090-1111-2222', factor: 'クレジットカード番号 下4桁', value: '4242', contact: 'hanako@example.com' };
    const since = Date.now();
    const reg = new RegistrationPages(page);
    await reg.verify(who.kana, who.phone, who.factor, who.value);
    await expect(page.getByRole('heading', { name: 'STEP 3 iTSCOM IDの登録' })).toBeVisible();
    const id = `e2e-re-${info.project.name}-${Date.now()}@example.jp`;
    await reg.credentials(id, 'Cable-portal-2026');
    await expect(page.getByRole('heading', { name: 'メール送信完了' })).toBeVisible();

    // The account's contact address hears of it at once.
    const review = await waitForMail(who.contact, '再登録のお申し込み', since);
    expect(review.text).toContain(id);
    const [, cancel] = review.text.match(/https?:\/\/\S+/g)!;

    // The new address's link: the account's addresses only masked, and a hold.
    await page.goto(linkIn(await waitForMail(id, 'iTSCOM ID 新規登録', since)));
    await expect(page.getByTestId('held')).toBeVisible();
    await expect(page.getByText(who.contact)).toHaveCount(0);
    await expectNoHorizontalScroll(page);
    await screenshot(page, info, 'register-held');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByTestId('pending')).toContainText('以降に有効になります');
    await screenshot(page, info, 'register-pending');

    // 心当たりがない: the page asks, the button cancels.
    await page.goto(cancel);
    await expect(page.getByText(id)).toBeVisible();
    await screenshot(page, info, 'register-review');
    await page.getByRole('button', { name: '心当たりがない' }).click();
    await expect(page.getByTestId('reviewed')).toContainText('お申し込みを取り消しました。');
  });
});
