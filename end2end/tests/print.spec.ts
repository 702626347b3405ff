import { expect, test } from '../fixtures';
import { LoginPage } from '../pages/login';
import { expectPrintsOnA4 } from '../pages/print';

// Print (issue 15): the pages customers print come out on A4 without navigation and
// without a cut table. Printing is a desktop thing: the desktop project alone runs it
// (@desktop-only, playwright.config.ts).

test('an invoice and the contract information print cleanly on A4 @desktop-only', async ({ page }, info) => {
  const login = new LoginPage(page);
  await login.goto('/billing');
  await login.login('hanako@example.com', 'Hanako_2024');
  const statement = page.getByTestId('statement');
  await expect(statement).toBeVisible();
  const amounts = await page.locator('[data-testid=statement-lines] tbody td:last-child').allTextContents();
  expect(amounts.length).toBeGreaterThan(1);
  // Whose it is shows on paper only (the printed page has no header).
  await expect(page.getByTestId('printed-for')).toBeHidden();
  await expectPrintsOnA4(page, info, 'invoice', [...amounts, 'お客さま番号 100000002', 'iTSCOM ID: hanako@example.com']);

  await page.goto('/contract');
  const holder = (await page.getByTestId('contract-holder').textContent())!;
  await expectPrintsOnA4(page, info, 'contract', [holder, 'インターネット 1Gコース', 'テレビ スタンダードプラン', 'HP00000002']);
});
