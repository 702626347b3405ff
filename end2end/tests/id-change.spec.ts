import { expect, test } from '../fixtures';
import { LoginPage } from '../pages/login';
import { linkIn, waitForMail } from '../pages/mail';
import { resetPasswordByCode } from '../pages/recovery';
import { expectNoHorizontalScroll, screenshot, Shell } from '../pages/shell';
import type { Page } from '@playwright/test';

/** From the account page through 変更, 新しいiTSCOM ID, the contact choice and 登録. */
async function askForNewId(page: Page, newId: string, contact: '設定する' | '設定しない', shoot?: () => Promise<void>) {
  await page.goto('/account');
  await page.getByRole('link', { name: 'アカウント情報を変更する' }).click();
  await expect(page.getByRole('heading', { name: 'アカウント情報' })).toBeVisible();
  await page.getByRole('link', { name: 'iTSCOM ID 変更' }).click();
  await expect(page.getByRole('heading', { name: 'iTSCOM IDの変更' })).toBeVisible();
  await page.getByLabel('新しいiTSCOM ID').fill(newId);
  await page.getByRole('button', { name: '次へ' }).click();
  await expect(page.getByTestId('new-id')).toHaveText(newId);
  await page.getByRole('radio', { name: contact }).check();
  if (shoot) await shoot();
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByTestId('id-change-sent')).toBeVisible();
}

/** Opens the mailed link and confirms. */
async function confirmByMail(page: Page, newId: string, since: number) {
  // The link to confirm, not the notice with the link to cancel (iTSCOM IDの変更のお申し込み)
  // that goes to the contact address and, for 7 days after it changed, the one before.
  const mail = await waitForMail(newId, /iTSCOM IDの変更$/, since);
  await page.goto(linkIn(mail));
  await expect(page.getByTestId('new-id')).toHaveText(newId);
  return mail;
}

// Changes hanako's ID and back: tagged @changes-account (see playwright.config.ts).
test('the iTSCOM ID changes when the new address confirms, and the old contact is told @changes-account', async ({ page }, info) => {
  test.setTimeout(90_000);
  const password = `Hanako-id-${info.project.name}-2026`;
  const newId = `hanako-${info.project.name}@example.jp`;
  await resetPasswordByCode(page, 'hanako@example.com', password);
  const login = new LoginPage(page);
  await login.goto();
  await login.login('hanako@example.com', password);
  await expect(page.getByTestId('customer-name')).toContainText('佐藤 花子');

  // From the top page: お客さま情報を変更.
  await page.getByRole('link', { name: 'お客さま情報を変更' }).click();
  await expect(page.getByRole('heading', { name: 'お客さま情報確認・変更' })).toBeVisible();
  await expect(page.getByTestId('account-id')).toHaveText('hanako@example.com');
  await screenshot(page, info, 'account');
  await expectNoHorizontalScroll(page);

  let since = Date.now();
  await askForNewId(page, newId, '設定する', () => screenshot(page, info, 'id-change-confirm'));
  await screenshot(page, info, 'id-change-sent');
  await page.goto('/account');
  await expect(page.getByTestId('pending-id')).toContainText(newId);
  await expect(page.getByTestId('account-id')).toHaveText('hanako@example.com');

  await confirmByMail(page, newId, since);
  await screenshot(page, info, 'id-change-verify');
  await page.getByRole('button', { name: '変更を確定する' }).click();
  await expect(page.getByTestId('id-change-done')).toBeVisible();
  await screenshot(page, info, 'id-change-done');
  const notice = await waitForMail('hanako@example.com', 'iTSCOM IDが変更されました', since);
  expect(notice.text).toContain(newId);
  await page.goto('/account');
  await expect(page.getByTestId('account-id')).toHaveText(newId);
  await expect(page.getByTestId('account-contact')).toHaveText(newId);

  // And back, so the next project finds hanako as the demo data has her.
  since = Date.now();
  await askForNewId(page, 'hanako@example.com', '設定する');
  await confirmByMail(page, 'hanako@example.com', since);
  await page.getByRole('button', { name: '変更を確定する' }).click();
  await expect(page.getByTestId('id-change-done')).toBeVisible();
  await waitForMail(newId, 'iTSCOM IDが変更されました', since);
  await new Shell(page).goto('/account');
  await expect(page.getByTestId('account-id')).toHaveText('hanako@example.com');
  await expect(page.getByTestId('account-contact')).toHaveText('hanako@example.com');
});

test('@core a bad new iTSCOM ID gets a field message', async ({ page }, info) => {
  const login = new LoginPage(page);
  await login.goto('/account/id');
  await login.login('ichiro@example.net', 'Ichiro_2020');
  await expect(page.getByRole('heading', { name: 'iTSCOM IDの変更' })).toBeVisible();
  await page.getByLabel('新しいiTSCOM ID').fill('not-an-address');
  await page.getByRole('button', { name: '次へ' }).click();
  await expect(page.locator('#new_itscom_id-error')).toBeVisible();
  // The page comes back with the focus on the field in error.
  await expect(page.getByLabel('新しいiTSCOM ID')).toBeFocused();
  await page.getByLabel('新しいiTSCOM ID').fill('ICHIRO@example.net');
  await page.getByRole('button', { name: '次へ' }).click();
  await expect(page.locator('#new_itscom_id-error')).toHaveText('現在のiTSCOM IDと同じです。');
  await screenshot(page, info, 'id-change-error');
});
