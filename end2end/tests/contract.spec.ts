import * as fs from 'node:fs';
import { expect, test } from '../fixtures';
import { LoginPage } from '../pages/login';
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
    await page.getByTestId('history-filter').selectOption({ label: 'インターネット インターネット 1Gコース' });
    await page.getByRole('button', { name: '表示する' }).click();
    await expect(history).toContainText('コース変更');
    await expect(history).not.toContainText('テレビ ご利用開始');
    await screenshot(page, info, 'contract-history');
  });
});
