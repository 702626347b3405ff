import { expect, test } from '../fixtures';
import { chromium } from '../chromium';
import { LoginPage } from '../pages/login';

// A phone handed on after a logout: Back must bring back neither the pages of the
// customer who left nor the password typed to log in. The browser's back/forward
// cache, which Playwright turns off, is on here, as on phones.
test.use({ launchOptions: { ...chromium, ignoreDefaultArgs: ['--disable-back-forward-cache'] } });

test("@core Back after a logout shows neither the customer's pages nor the typed password", async ({ page }, info) => {
  const js = info.project.use.javaScriptEnabled !== false;
  const login = new LoginPage(page);
  await login.goto();
  await login.ready(js);
  await login.login('ichiro@example.net', 'Ichiro_2020');
  await expect(page.getByTestId('customer-name')).toContainText('鈴木 一郎');
  await page.getByTestId('logout').first().click();
  await expect(page).toHaveURL(/\/login$/);
  // Back to the top page: loaded again, it is no longer anyone's. (Without JavaScript
  // the browser shows what it kept: nothing the page can do then.)
  await page.goBack({ waitUntil: 'commit' });
  if (js) {
    await expect(page).toHaveURL(/\/login\?next=/);
    await expect(page.getByTestId('customer-name')).toHaveCount(0);
  }
  // Back again, to the login page as it was sent: no password in it.
  await page.goBack({ waitUntil: 'commit' });
  await expect(page).toHaveURL(/\/login$/);
  await expect(login.password).toBeVisible();
  await expect(login.password).toHaveValue('');
});
