import * as fs from 'node:fs';
import { expect, test } from '../fixtures';
import { LoginPage, logInAt } from '../pages/login';
import { Shell, expectNoHorizontalScroll, screenshot } from '../pages/shell';

// ご契約・手続き (SPEC §2 menu B, issue 13): what 佐藤 花子 has, the contract document
// and the history.
test.describe('contract', () => {
  test('@core 佐藤 花子 sees her services with their 更新月, downloads the contract document and reads her history', async ({ page }, info) => {
    const login = new LoginPage(page);
    await login.goto('/');
    await login.login('hanako@example.com', 'Hanako_2024');
    await expect(page.getByTestId('customer-name')).toContainText('佐藤 花子');
    const menu = await new Shell(page).openMenu();
    await menu.getByRole('link', { name: 'ご契約情報確認・変更' }).click();
    await expect(page.getByRole('heading', { name: 'ご契約情報確認・変更', level: 1 })).toBeVisible();
    const services = page.getByTestId('contract-service');
    await expect(services).toHaveCount(2);
    await expect(services.first()).toContainText('インターネット 1Gコース');
    await expect(services.first()).toContainText('6,380円');
    await expect(services.first().getByTestId('renewal-month')).toHaveText(/^\d{4}年\d{1,2}月$/);
    await expect(services.nth(1)).toContainText('HP00000002');
    await expectNoHorizontalScroll(page);
    await screenshot(page, info, 'contract');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('contract-pdf').click()]);
    expect(download.suggestedFilename()).toBe('契約内容確認書.pdf');
    const file = info.outputPath('contract.pdf');
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');

    await page.getByRole('link', { name: 'サービス加入・変更履歴' }).first().click();
    const history = page.getByTestId('history');
    await expect(history).toContainText('コース変更（インターネット 300Mコース → インターネット 1Gコース）');
    await expect(history).toContainText('テレビ ご利用開始');
    await page.getByTestId('history-filter').selectOption({ label: 'インターネット 1Gコース' });
    await page.getByRole('button', { name: '表示する' }).click();
    await expect(history).toContainText('コース変更');
    await expect(history).not.toContainText('テレビ ご利用開始');
    await screenshot(page, info, 'contract-history');
  });

  test('@core 佐藤 花子 sees her referral code, its QR code and her two referrals', async ({ page }, info) => {
    const login = new LoginPage(page);
    await login.goto('/');
    await login.login('hanako@example.com', 'Hanako_2024');
    const menu = await new Shell(page).openMenu();
    await menu.getByRole('link', { name: 'お友だち紹介' }).click();
    await expect(page.getByRole('heading', { name: 'お友だち紹介', level: 1 })).toBeVisible();
    await expect(page.getByTestId('referral-code')).toHaveText('HANA-K7Q4');
    await expect(page.getByTestId('referral-link')).toHaveAttribute('href', /\/invite\?code=HANA-K7Q4$/);
    const qr = page.getByRole('img', { name: '紹介用リンクのQRコード' });
    await expect(qr).toBeVisible();
    const box = await qr.boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(150);
    const referrals = page.getByTestId('referral');
    await expect(referrals).toHaveCount(2);
    await expect(referrals.first()).toContainText('申込受付');
    await expect(referrals.nth(1)).toContainText('特典付与');
    await expect(page.getByTestId('referral-total')).toContainText('5,000円');
    await expectNoHorizontalScroll(page);
    await screenshot(page, info, 'referral');
    // The link opens the public invitation, which never names her.
    await page.getByTestId('referral-link').click();
    await expect(page.getByTestId('invite-lead')).toContainText('HANA-K7Q4');
    await expect(page.locator('main')).not.toContainText('佐藤');
  });
});

// Plan changes and phone numbers change hanako's contract for everyone: tagged
// @changes-account (one at a time, after the other tests; see playwright.config.ts),
// and each leaves it as it found it.
test('佐藤 花子 requests 1G → 10G with the preview and cancels the request @changes-account', async ({ page }, info) => {
  await logInAt(page, '/contract', 'hanako@example.com');
  const internet = page.getByTestId('contract-service').first();
  await internet.getByTestId('plan-change-link').click();
  await expect(page.getByRole('heading', { name: 'プラン変更のお申し込み', level: 1 })).toBeVisible();
  await page.getByRole('radio', { name: /インターネット 10Gコース/ }).check();
  await page.getByRole('button', { name: '確認' }).click();
  const quote = page.getByTestId('plan-quote');
  await expect(page.getByTestId('quote-plan')).toHaveText('インターネット 10Gコース');
  await expect(page.getByTestId('quote-fee')).toHaveText('7,480円');
  await expect(page.getByTestId('quote-effective')).toHaveText(/^\d{4}年\d{1,2}月1日$/);
  await expect(page.getByTestId('quote-first-month')).toContainText('7,480円');
  await expect(page.getByTestId('quote-termination')).toContainText('かかりません');
  await expect(quote).toBeVisible();
  await expectNoHorizontalScroll(page);
  await screenshot(page, info, 'plan-change-quote');
  await page.getByRole('button', { name: '申し込む' }).click();
  await expect(page.getByTestId('plan-requested')).toContainText('受付番号 P');
  const request = page.getByTestId('plan-request');
  await expect(request.getByTestId('plan-request-state')).toHaveText('受付');
  await expect(request).toContainText('インターネット 10Gコース');
  await screenshot(page, info, 'plan-change-requested');
  // The history shows the request as 受付.
  await page.getByRole('link', { name: 'サービス加入・変更履歴' }).first().click();
  await expect(page.getByTestId('history')).toContainText('プラン変更のお申し込み（インターネット 1Gコース → インターネット 10Gコース');
  await page.goBack();
  // Cancelled after being asked once more.
  await page.getByTestId('plan-cancel-open').click();
  await page.getByTestId('plan-request').getByRole('button', { name: 'お申し込みを取り消す' }).click();
  await expect(page.getByTestId('plan-cancelled')).toBeVisible();
  await expect(page.getByTestId('plan-request')).toHaveCount(0);
  await expect(page.getByTestId('plan-change-link')).toHaveCount(2);
});

test('佐藤 花子 adds a phone number and removes it again @changes-account', async ({ page }, info) => {
  await logInAt(page, '/account', 'hanako@example.com');
  await expect(page.getByTestId('phone')).toHaveCount(2);
  await expect(page.getByTestId('documents')).toContainText('本人確認書類');
  // A mistyped number is refused at the field.
  await page.getByLabel('電話番号を追加').fill('090-12');
  await page.getByRole('button', { name: '追加する' }).click();
  await expect(page.getByText('電話番号は市外局番から入力してください')).toBeVisible();
  await page.getByLabel('電話番号を追加').fill('080-5555-0123');
  await page.getByRole('button', { name: '追加する' }).click();
  await expect(page.getByTestId('account-done')).toHaveText('電話番号を追加しました。');
  await expect(page.getByTestId('phone')).toHaveCount(3);
  await expect(page.getByTestId('phones')).toContainText('080-5555-0123');
  await expectNoHorizontalScroll(page);
  await screenshot(page, info, 'account-phones');
  // Removed again (the next project adds it too).
  const added = page.getByTestId('phones').locator('li', { hasText: '080-5555-0123' });
  await added.locator('summary').click();
  await added.getByRole('button', { name: '削除', exact: true }).click();
  await expect(page.getByTestId('account-done')).toHaveText('電話番号を削除しました。');
  await expect(page.getByTestId('phone')).toHaveCount(2);
});

