import { expect, type Page } from '@playwright/test';

/** The registration screens (SPEC §1.3). */
export class RegistrationPages {
  constructor(readonly page: Page) {}

  async verify(kana: string, phone: string, factor: string, value: string) {
    await this.page.goto('/register');
    await this.page.getByLabel('ご契約者氏名(カナ)').fill(kana);
    await this.page.getByLabel('登録済みの電話番号').fill(phone);
    await this.page.getByRole('radio', { name: factor }).check();
    await this.page.locator('#factor_value').fill(value);
    await this.page.getByRole('button', { name: '確認' }).click();
  }

  async additional(factor: string, value: string) {
    await this.page.getByRole('radio', { name: factor }).check();
    await this.page.locator('#factor_value').fill(value);
    await this.page.getByRole('button', { name: '確認' }).click();
  }

  /** STEP 3; `twice` double-clicks 次へ (the button must send the form once). */
  async credentials(id: string, password: string, twice = false) {
    await this.page.getByLabel('iTSCOM ID').fill(id);
    await this.page.getByLabel('パスワード', { exact: true }).fill(password);
    await this.page.getByLabel('パスワード再入力').fill(password);
    const next = this.page.getByRole('button', { name: '次へ' });
    if (twice) {
      await expect(next).toHaveAttribute('data-hydrated', '');
      await next.dblclick();
    }
    else await next.click();
  }
}
