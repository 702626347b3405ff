import { expect, test } from '../fixtures';
import { logInAt } from '../pages/login';
import { Shell, expectNoHorizontalScroll, screenshot } from '../pages/shell';

// Add-ons (issue 14). A subscription stays in force to the end of the month after a
// cancel, so each project uses its own customer or channel; tagged @changes-account
// (one at a time, after the other tests; see playwright.config.ts).
const who = (project: string) =>
  project.startsWith('desktop') ? 'hanako@example.com' : 'ichiro@example.net';

test('a customer applies for the security service, sees 627円 and 3 devices and the licence key, and cancels it @changes-account', async ({ page }, info) => {
  const id = who(info.project.name);
  await logInAt(page, '/', id);
  const menu = await new Shell(page).openMenu();
  await menu.getByRole('link', { name: 'インターネットセキュリティサービスの設定・変更' }).click();
  await expect(page.getByTestId('addon-fee')).toHaveText('627円');
  await expect(page.getByTestId('addon-devices')).toHaveText('3台まで');
  await page.getByTestId('addon-apply').click();
  await expect(page.getByRole('region', { name: '利用規約' })).toContainText('第1条');
  // The consent is required before the summary.
  await page.getByLabel('利用規約に同意する').check();
  await page.getByRole('button', { name: '次へ' }).click();
  await expect(page.getByTestId('addon-summary')).toContainText('627円');
  await expect(page.getByTestId('addon-summary')).toContainText('3台まで');
  await screenshot(page, info, 'security-summary');
  await page.getByRole('button', { name: '申し込む' }).click();
  await expect(page.getByTestId('addon-applied')).toBeVisible();
  await expect(page.getByTestId('licence-key')).toHaveText(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){4}$/);
  await expect(page.getByTestId('install-guide')).toContainText('macOS');
  await expectNoHorizontalScroll(page);
  await screenshot(page, info, 'security-subscribed');
  await page.getByTestId('addon-cancel-open').click();
  await expect(page.getByTestId('addon-cancel-confirm')).toContainText('その後は料金がかかりません');
  await page.getByRole('button', { name: '解約する', exact: true }).click();
  await expect(page.getByTestId('addon-cancelled')).toBeVisible();
  await expect(page.getByTestId('addon-state')).toContainText('で解約予定');
});

test('佐藤 花子 applies for an option channel and sees it on the list @changes-account', async ({ page }, info) => {
  const channel = info.project.name.startsWith('desktop') ? 'シネマプラス' : 'キッズアニメチャンネル';
  await logInAt(page, '/contract/channels', 'hanako@example.com');
  const card = page.getByTestId('addon').filter({ hasText: channel });
  await card.getByTestId('addon-apply').click();
  await page.getByLabel('利用規約に同意する').check();
  await page.getByRole('button', { name: '次へ' }).click();
  await page.getByRole('button', { name: '申し込む' }).click();
  await expect(page.getByTestId('addon-applied')).toContainText(channel);
  await expect(page.getByTestId('addon').filter({ hasText: channel }).getByTestId('addon-state')).toHaveText('ご利用中');
  await expectNoHorizontalScroll(page);
  await screenshot(page, info, 'channels');
});
