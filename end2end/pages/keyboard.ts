import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Keyboard only (SPEC §6): moves the focus with Tab, as a customer without a mouse
 * does, until `target` has it. Fails when 80 presses never reach it (it is not in
 * the tab order, or hidden behind something).
 */
export async function tabTo(page: Page, target: Locator) {
  await expect(target).toBeVisible();
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Tabs to `field` and types `text` into it. */
export async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.type(text);
}

/**
 * Chooses the radio `value` of group `name` as a keyboard does: Tab into the group
 * (its first radio when none is chosen), Space, then the arrow keys.
 */
export async function chooseRadio(page: Page, name: string, value: string) {
  const radios = page.locator(`input[type=radio][name="${name}"]`);
  await tabTo(page, radios.first());
  await page.keyboard.press('Space');
  const target = page.locator(`input[type=radio][name="${name}"][value="${value}"]`);
  for (let i = 0; i < (await radios.count()); i++) {
    if (await target.isChecked()) return;
    await page.keyboard.press('ArrowDown');
  }
  await expect(target).toBeChecked();
}

/** Tabs to `button` and presses Enter on it. */
export async function press(page: Page, button: Locator) {
  await tabTo(page, button);
  await page.keyboard.press('Enter');
}
