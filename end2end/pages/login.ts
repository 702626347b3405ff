import { expect, type Page } from '@playwright/test';
import { currentPassword } from './accounts';

/** The login screen (SPEC §1.2). */
export class LoginPage {
  constructor(readonly page: Page) {}

  get id() {
    return this.page.getByLabel('iTSCOM ID');
  }
  get password() {
    return this.page.getByLabel('パスワード', { exact: true });
  }
  get showPassword() {
    return this.page.getByLabel('パスワードを表示');
  }
  get submit() {
    return this.page.getByRole('button', { name: 'ログイン', exact: true });
  }
  get reset() {
    return this.page.getByRole('button', { name: 'リセット' });
  }
  get error() {
    return this.page.getByRole('alert');
  }

  async goto(next?: string) {
    await this.page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  }

  async login(id: string, password: string) {
    await this.id.fill(id);
    await this.password.fill(password);
    await this.submit.click();
  }

  /** Waits for the hydrated page where JavaScript runs; a no-op without it. */
  async ready(javaScriptEnabled: boolean) {
    if (javaScriptEnabled) await expect(this.page.getByTestId('font-large')).toBeEnabled();
  }
}

/** Opens `path` as `itscomId`, through the login it asks for, with the account's
 * password as it is now. */
export async function logInAt(page: Page, path: string, itscomId: string): Promise<LoginPage> {
  const login = new LoginPage(page);
  await login.goto(path);
  await login.login(itscomId, currentPassword(itscomId));
  return login;
}
