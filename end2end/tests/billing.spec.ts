import * as fs from 'node:fs';
import { cardYear, expect, test } from '../fixtures';
import { LoginPage } from '../pages/login';
import { currentPassword } from '../pages/accounts';
import { Shell, expectNoHorizontalScroll, screenshot } from '../pages/shell';

// 料金 (SPEC §2 menu A, issue 12): the statement with its chart, the PDF, the unpaid
// month, and the card change through the test gateway's hosted page.
test.describe('billing', () => {
  test('@core 佐藤 花子 sees 12 months and the chart, opens the latest and downloads its PDF', async ({ page }, info) => {
    const login = new LoginPage(page);
    await login.goto('/');
    await login.login('hanako@example.com', 'Hanako_2024');
    await expect(page.getByTestId('customer-name')).toContainText('佐藤 花子');
    const menu = await new Shell(page).openMenu();
    await menu.getByRole('link', { name: 'ご請求明細の確認' }).click();
    await expect(page.getByRole('heading', { name: 'ご請求明細の確認', level: 1 })).toBeVisible();

    const chart = page.getByTestId('billing-chart');
    await expect(chart).toBeVisible();
    await expect(chart.locator('rect')).toHaveCount(12);
    const months = page.getByTestId('billing-months').locator('tbody tr');
    await expect(months).toHaveCount(12);
    // The latest is お支払い予定 (paid on the 27th of the next month), older ones paid.
    await expect(months.first()).toContainText('お支払い予定');
    await expect(months.last()).toContainText('お支払い済み');

    // The newest month is shown; open it from the table as a customer would.
    await months.first().getByRole('link').click();
    const statement = page.getByTestId('statement');
    await expect(statement).toContainText('インターネット 1Gコース');
    await expect(statement).toContainText('消費税（10%）');
    await expect(page.getByTestId('statement-status')).toHaveText('お支払い予定');
    await expect(page.getByTestId('statement-change')).toContainText('前月');
    const month = (await statement.getAttribute('data-month'))!;
    await expectNoHorizontalScroll(page);
    await screenshot(page, info, 'billing');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('invoice-pdf').click()]);
    const [y, m] = month.split('-');
    expect(download.suggestedFilename()).toBe(`請求書_${y}年${Number(m)}月.pdf`);
    const file = info.outputPath('invoice.pdf');
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');

    // The month of the plan change explains itself: prorated lines, what changed.
    await page.getByTestId('billing-months').getByRole('link').nth(4).click();
    await expect(page.getByTestId('statement')).toContainText('日割り');
    await expect(page.getByTestId('statement-change')).toContainText('インターネット 1Gコース');
    await screenshot(page, info, 'billing-plan-change');
  });

  test('@core 鈴木 一郎 sees his unpaid month and how to pay it', async ({ page }, info) => {
    const login = new LoginPage(page);
    await login.goto('/billing');
    await login.login('ichiro@example.net', 'Ichiro_2020');
    const unpaid = page.getByTestId('billing-months').locator('tbody tr').filter({ hasText: '未払い' });
    await expect(unpaid).toHaveCount(1);
    await unpaid.getByRole('link').click();
    await expect(page.getByTestId('statement-status')).toHaveText('未払い');
    await expect(page.getByTestId('overdue-help')).toContainText('0120-109199');
    await expect(page.getByTestId('receipt-pdf')).toHaveCount(0);
    await screenshot(page, info, 'billing-unpaid');
  });
});

async function enterCard(page: import('@playwright/test').Page, number: string) {
  await expect(page.getByRole('heading', { name: 'カード情報の入力' })).toBeVisible();
  await page.getByLabel('カード番号').fill(number);
  await page.getByLabel('有効期限（月）').fill('12');
  await page.getByLabel('有効期限（年）').fill(cardYear());
  await page.getByLabel('セキュリティコード').fill('123');
  await page.getByRole('button', { name: 'このカードを登録する' }).click();
}

// Changes hanako's card (and back): tagged @changes-account (see playwright.config.ts);
// logs in with the password the other tests of that tag left (pages/accounts.ts).
test('佐藤 花子 changes her card to the Mastercard test card, a declined card is refused, and without JavaScript back to Visa @changes-account', async ({ page, browser }, info) => {
  const password = currentPassword('hanako@example.com');
  const login = new LoginPage(page);
  await login.goto('/billing/payment');
  await login.login('hanako@example.com', password);
  await expect(page.getByTestId('payment-current')).toContainText('****4242');
  await expect(page.getByTestId('payment-bank-form')).toContainText('口座振替依頼書');
  await screenshot(page, info, 'payment');
  await page.getByRole('button', { name: 'カード情報の入力へ進む' }).click();
  // A mistyped number is caught on the gateway's page, at the field.
  await page.getByLabel('カード番号').fill('4242 4242 4242 4241');
  await page.getByRole('button', { name: 'このカードを登録する' }).click();
  await expect(page.getByText('カード番号に誤りがあります')).toBeVisible();
  await screenshot(page, info, 'gateway-error');
  await enterCard(page, '5555 5555 5555 4444');
  await expect(page.getByTestId('payment-changed')).toBeVisible();
  await expect(page.getByTestId('payment-current')).toContainText('Mastercard ****4444');
  await screenshot(page, info, 'payment-changed');

  await page.getByRole('button', { name: 'カード情報の入力へ進む' }).click();
  await enterCard(page, '4000 0000 0000 0002');
  await expect(page.getByRole('alert')).toContainText('カード会社でお取り扱いできないカードでした');
  await expect(page.getByTestId('payment-current')).toContainText('Mastercard ****4444');

  // Without JavaScript: the same steps are plain forms and redirects.
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: info.project.use.baseURL });
  const nojs = await context.newPage();
  const nojsLogin = new LoginPage(nojs);
  await nojsLogin.goto('/billing/payment');
  await nojsLogin.login('hanako@example.com', password);
  await nojs.getByRole('button', { name: 'カード情報の入力へ進む' }).click();
  await enterCard(nojs, '4242 4242 4242 4242');
  await expect(nojs.getByTestId('payment-current')).toContainText('Visa ****4242');
  await context.close();
});
