import { expect, type Page, type TestInfo } from '@playwright/test';
import * as path from 'node:path';
import { audit } from './audit';

/** The page frame shared by every screen: header, menus, preferences. */
export class Shell {
  constructor(readonly page: Page) {}

  async goto(path: string) {
    await this.page.goto(path);
  }

  /** Resolves once the WASM has hydrated the page (the text-size buttons enable). */
  async hydrated() {
    await expect(this.page.getByTestId('font-large')).toBeEnabled();
  }

  get main() {
    return this.page.locator('main#main');
  }

  /** The visible main menu: the side navigation on desktop, the phone menu on phones. */
  async openMenu() {
    const phoneMenu = this.page.locator('details.phone-menu');
    // Which menu by the window's width (the `md` breakpoint, 768 px), not by what is
    // visible: a page just navigated to, its stylesheet not yet applied, shows both.
    if ((this.page.viewportSize()?.width ?? 1280) < 768) {
      if (!(await phoneMenu.evaluate((d) => (d as HTMLDetailsElement).open))) {
        await phoneMenu.locator('summary').click();
      }
      return phoneMenu.getByRole('navigation');
    }
    return this.page.locator('nav.side-nav');
  }

  async switchLanguage() {
    await this.page.locator('header form button[type=submit]').click();
  }
}

/**
 * A full-page screenshot kept as an artifact, named by screen and project. Every
 * screen a flow test shows this way is also audited (axe WCAG 2.1 A/AA, 44 px touch
 * targets) where JavaScript runs, so the screens after a mailed link or a posted step
 * are checked too; print views and the development pages are not product screens.
 */
export async function screenshot(page: Page, info: TestInfo, name: string) {
  if (info.project.use.javaScriptEnabled !== false && !/print|^dev-|^gateway|^preview/.test(name)) {
    await page.waitForLoadState('load');
    await audit(page, `${name} (${info.project.name})`, false);
  }
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
  await page.screenshot({ path: path.resolve(__dirname, '../screenshots', info.project.name, `${name}.png`), fullPage: true });
}

/** No horizontal scrolling at this viewport (SPEC §6). */
export async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/**
 * Holds back the draft script of the next page (a customer quicker than the script, or
 * a slow line) until the returned function is called.
 */
export async function holdDraftScript(page: Page): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((go) => (release = go));
  await page.route('**/draft.js*', async (route) => {
    await held;
    await route.continue();
  });
  return release;
}
