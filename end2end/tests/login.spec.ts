import { expect, test } from '../fixtures';
import { LoginPage } from '../pages/login';
import { expectNoHorizontalScroll, screenshot } from '../pages/shell';

// Each test logs in from its own browser context; the demo account is shared, so
// tests that fail on purpose use IDs that do not exist (the throttle is per ID).
test.describe('login', () => {
  test('@core a customer logs in, sees the top page, and logs out', async ({ page }, info) => {
    const js = info.project.use.javaScriptEnabled !== false;
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=%2F|\/login\?next=\//);
    const login = new LoginPage(page);
    await login.ready(js);
    await expect(login.id).toBeVisible();
    await screenshot(page, info, 'login');
    await login.login('ichiro@example.net', 'Ichiro_2020');
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('customer-name')).toContainText('鈴木 一郎');
    await expect(page.getByTestId('latest-total')).toHaveText(/^[\d,]+円$/);
    await expectNoHorizontalScroll(page);
    await screenshot(page, info, 'top-logged-in');
    await page.getByTestId('logout').click();
    await expect(page).toHaveURL(/\/login$/);
    // The session has ended on the server: the top page asks for login again.
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=/);
  });

  test('@core wrong credentials show one message tied to the form', async ({ page }, info) => {
    const js = info.project.use.javaScriptEnabled !== false;
    const login = new LoginPage(page);
    await login.goto();
    await login.ready(js);
    await login.login(`nobody-${info.project.name}-${Date.now()}@example.com`, 'Wrong_pass1');
    await expect(login.error).toHaveText('iTSCOM IDまたはパスワードが正しくありません。');
    await expect(login.id).toHaveAttribute('aria-describedby', 'login-error');
    await expect(login.id).toHaveAttribute('aria-invalid', 'true');
    await screenshot(page, info, 'login-error');
  });

  test('show password reveals what was typed, and reset clears the form', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.ready(true);
    await login.id.fill('someone@example.com');
    await login.password.fill('Secret_123');
    await expect(login.password).toHaveAttribute('type', 'password');
    await login.showPassword.check();
    await expect(login.password).toHaveAttribute('type', 'text');
    await login.showPassword.uncheck();
    await expect(login.password).toHaveAttribute('type', 'password');
    await login.reset.click();
    await expect(login.id).toHaveValue('');
    await expect(login.password).toHaveValue('');
  });

  test('after login the customer returns to the page that asked for it', async ({ page }) => {
    const login = new LoginPage(page);
    await page.goto('/');
    await login.ready(true);
    await login.login('ichiro@example.net', 'Ichiro_2020');
    await expect(page.getByTestId('customer-name')).toContainText('鈴木 一郎');
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('logout')).toBeVisible();
  });
});

test.describe('development mailbox', () => {
  test('a login notice can be read at /dev/mailbox, and the page hydrates cleanly', async ({ page }, info) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.ready(true);
    await login.login('ichiro@example.net', 'Ichiro_2020');
    await expect(page.getByTestId('logout')).toBeVisible();
    await page.goto('/dev/mailbox');
    const mailbox = page.getByTestId('mailbox');
    await expect(mailbox).toContainText('新しいブラウザからのログインがありました');
    await mailbox.locator('summary').first().click();
    await expect(mailbox.getByRole('link').first()).toHaveAttribute('href', /^http/);
    await expect(page.getByTestId('font-large')).toBeEnabled();
    await screenshot(page, info, 'dev-mailbox');
  });
});
