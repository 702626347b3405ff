import { cardYear, expect, test } from '../fixtures';
import { currentPassword } from '../pages/accounts';
import { chooseRadio, press, typeInto } from '../pages/keyboard';

// Keyboard only (SPEC §6, issue 15): the flows a customer must be able to finish
// without a mouse. Every field is reached with Tab, radios are chosen with Space and
// the arrow keys, buttons pressed with Enter; no click anywhere.

test('login with the keyboard alone', async ({ page }) => {
  await page.goto('/login');
  await typeInto(page, page.locator('#itscom_id'), 'hanako@example.com');
  await typeInto(page, page.locator('#password'), 'Wrong-password-0');
  // The form's draft is kept as it is sent (its script comes with the first focus).
  await expect(page.locator('html')).toHaveAttribute('data-draft', '');
  await press(page, page.getByRole('button', { name: 'ログイン', exact: true }));
  await expect(page.getByRole('alert')).toBeVisible();
  // Sent back with the ID as typed and no password, the focus on the first field in
  // error.
  await expect(page.locator('#itscom_id')).toBeFocused();
  await expect(page.locator('#itscom_id')).toHaveValue('hanako@example.com');
  await expect(page.locator('#password')).toHaveValue('');
  await typeInto(page, page.locator('#password'), 'Hanako_2024');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('customer-name')).toContainText('佐藤 花子');
});

// As 鈴木 一郎 (demo 100000003): 佐藤 花子's five mailboxes are taken by the other tests.
test('a new mail address through the whole wizard with the keyboard alone', async ({ page }, info) => {
  await page.goto('/login?next=%2Fmail%2Fnew');
  await typeInto(page, page.locator('#itscom_id'), 'ichiro@example.net');
  await typeInto(page, page.locator('#password'), 'Ichiro_2020');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/mail\/new$/);
  await typeInto(page, page.locator('#local_part'), `kb-${info.project.name}-${Date.now() % 100000}`);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/mail\/new\/subdomain/);
  const address = (await page.getByTestId('candidate').nth(1).textContent())!.trim();
  await chooseRadio(page, 'subdomain', await page.locator('input[name=subdomain]').nth(1).getAttribute('value') as string);
  await press(page, page.getByRole('button', { name: '次へ' }));
  await expect(page).toHaveURL(/\/mail\/new\/terms/);
  await chooseRadio(page, 'virus_check', 'on');
  await press(page, page.getByRole('button', { name: '確認' }));
  await expect(page.getByTestId('summary-address')).toHaveText(address);
  await press(page, page.getByRole('button', { name: '登録' }));
  await expect(page.getByTestId('done-address')).toHaveText(address);
});

// Registration and the card change change accounts: they run with the other
// @changes-account tests, one at a time, after every other test (the demo customers
// are registered by then, so STEP 3 here asks for a re-registration, held for the owner).
test('registration STEP 1 to 3 with the keyboard alone, focus on the field in error @changes-account', async ({ page }, info) => {
  await page.context().setExtraHTTPHeaders({ 'X-Forwarded-For': '10.15.1.1' });
  await page.goto('/register');
  await typeInto(page, page.locator('#kana'), 'タナカ ミサキ');
  await typeInto(page, page.locator('#phone'), '0322223333');
  await chooseRadio(page, 'factor_kind', 'card');
  await typeInto(page, page.locator('#factor_value'), '1881');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: '追加認証情報' })).toBeVisible();
  await chooseRadio(page, 'factor_kind', 'equipment');
  await typeInto(page, page.locator('#factor_value'), 'STB0000004');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'STEP 3 iTSCOM IDの登録' })).toBeVisible();
  await typeInto(page, page.locator('#itscom_id'), 'not-an-address');
  await typeInto(page, page.locator('#password'), 'Keyboard-only-2026');
  await typeInto(page, page.locator('#password_again'), 'Keyboard-only-2026');
  await page.keyboard.press('Enter');
  // Sent back: the focus is on the first field in error, ready to type again.
  await expect(page.locator('#itscom_id')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(`kb-${info.project.name}-${Date.now()}@example.jp`);
  if (await page.locator('#password').inputValue() === '') {
    await typeInto(page, page.locator('#password'), 'Keyboard-only-2026');
    await typeInto(page, page.locator('#password_again'), 'Keyboard-only-2026');
  }
  await press(page, page.getByRole('button', { name: '次へ' }));
  await expect(page.getByRole('heading', { name: 'メール送信完了' })).toBeVisible();
});

test('the card change with the keyboard alone @changes-account', async ({ page }) => {
  await page.goto('/login?next=%2Fbilling%2Fpayment');
  await typeInto(page, page.locator('#itscom_id'), 'hanako@example.com');
  await typeInto(page, page.locator('#password'), currentPassword('hanako@example.com'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-current')).toBeVisible();
  await press(page, page.getByRole('button', { name: 'カード情報の入力へ進む' }));
  await expect(page.getByRole('heading', { name: 'カード情報の入力' })).toBeVisible();
  await typeInto(page, page.getByLabel('カード番号'), '4242 4242 4242 4242');
  await typeInto(page, page.getByLabel('有効期限（月）'), '12');
  await typeInto(page, page.getByLabel('有効期限（年）'), cardYear());
  await typeInto(page, page.getByLabel('セキュリティコード'), '123');
  await press(page, page.getByRole('button', { name: 'このカードを登録する' }));
  await expect(page.getByTestId('payment-changed')).toBeVisible();
  await expect(page.getByTestId('payment-current')).toContainText('Visa ****4242');
});
