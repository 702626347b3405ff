import { rememberPassword } from './accounts';
import { expect, type Page } from '@playwright/test';
import { waitForMail } from './mail';

/** 本人認証: types the iTSCOM ID on /recovery/identify and presses 次へ. */
export async function identify(page: Page, itscomId: string) {
  await page.goto('/recovery/identify');
  await expect(page.getByRole('heading', { name: '本人認証' })).toBeVisible();
  await page.getByLabel('iTSCOM ID').fill(itscomId);
  await page.getByRole('button', { name: '次へ' }).click();
}

/** The new password and its repeat, then 確認; ends on the completion screen. */
export async function setNewPassword(page: Page, password: string) {
  await page.getByLabel('パスワード', { exact: true }).fill(password);
  await page.getByLabel('パスワード再入力').fill(password);
  await page.getByRole('button', { name: '確認' }).click();
  await expect(page.getByTestId('recovery-done')).toBeVisible();
}

/** Path B from start to end: the mailed code, then `password`. */
export async function resetPasswordByCode(page: Page, itscomId: string, password: string) {
  const since = Date.now();
  await identify(page, itscomId);
  await expect(page.getByRole('heading', { name: '認証コード入力' })).toBeVisible();
  const mail = await waitForMail(itscomId, '認証コード通知メール', since);
  await page.getByLabel('認証コード').fill(mail.text.match(/認証コード: (\d{6})/)![1]);
  await page.getByRole('button', { name: '次へ' }).click();
  await setNewPassword(page, password);
  rememberPassword(itscomId, password);
}
