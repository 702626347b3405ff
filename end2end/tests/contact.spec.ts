import { expect, test } from '../fixtures';
import { currentPassword } from '../pages/accounts';
import { logInAt } from '../pages/login';
import { linkIn, waitForMail } from '../pages/mail';
import { expectNoHorizontalScroll, screenshot } from '../pages/shell';

// Changes hanako's contact address and ends every session of hers: tagged
// @changes-account (see playwright.config.ts), run alone after every other test.
test('a change of the contact address is taken back by the address it replaced @changes-account', async ({ page }, info) => {
  const login = await logInAt(page, '/account', 'hanako@example.com');
  await expect(page.getByTestId('account-contact')).toHaveText('hanako@example.com');
  const since = Date.now();
  await page.locator('input[name=contact][value="hanako@a01.itscom.net"]').check();
  await page.getByRole('button', { name: '連絡先を変更する' }).click();
  await expect(page.getByTestId('account-contact')).toHaveText('hanako@a01.itscom.net');

  // The address it replaced is told at once, with the way back.
  const mail = await waitForMail('hanako@example.com', '連絡先メールアドレス変更のお知らせ', since);
  expect(mail.text).toContain('hanako@a01.itscom.net');
  const other = await page.context().browser()!.newContext();
  const mailReader = await other.newPage();
  await mailReader.goto(linkIn(mail));
  await expect(mailReader.getByTestId('revert-restore')).toHaveText('hanako@example.com');
  await expectNoHorizontalScroll(mailReader);
  await screenshot(mailReader, info, 'contact-revert');
  await mailReader.getByRole('button', { name: '変更を取り消す' }).click();
  await expect(mailReader.getByTestId('revert-done')).toBeVisible();
  await screenshot(mailReader, info, 'contact-reverted');
  await other.close();

  // Every session ended: this browser is logged out; the address is back.
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=/);
  await login.login('hanako@example.com', currentPassword('hanako@example.com'));
  await expect(page.getByTestId('account-contact')).toHaveText('hanako@example.com');
});
