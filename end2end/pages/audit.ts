import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The WCAG rule sets axe checks (SPEC §6, JIS X 8341-3:2016 AA = WCAG 2.0 AA; 2.1 too). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Japanese script: kana, kanji, full-width forms and Japanese punctuation. */
const JAPANESE = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/** axe finds no WCAG 2.1 A/AA violation on the page as it is now. */
export async function expectNoAxeViolations(page: Page, where: string) {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const found = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`,
  );
  expect.soft(found, `axe on ${where}`).toEqual([]);
}

/**
 * Every visible control is a touch target of at least 44 × 44 CSS px (SPEC §6). A
 * checkbox or radio counts by its label (the label is what a finger presses); a link
 * inside a sentence is exempt (WCAG 2.5.5's inline exception).
 */
export async function expectTouchTargets(page: Page, where: string) {
  const small = await page.evaluate(() => {
    const out: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>(
      'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]',
    );
    for (const el of Array.from(controls)) {
      let target: HTMLElement = el;
      if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
        target = el.closest('label') ?? (el.id ? document.querySelector<HTMLElement>(`label[for="${el.id}"]`) : null) ?? el;
      }
      const style = getComputedStyle(target);
      const box = target.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
      if (el.closest('[aria-hidden=true], .sr-only')) continue;
      if (el.tagName === 'A' && style.display === 'inline') {
        // Inline in running text: its block holds more text than the link.
        const block = el.parentElement?.closest('p, li, dd, td, span, div');
        const blockText = (block?.textContent ?? '').trim();
        if (blockText.length > (el.textContent ?? '').trim().length) continue;
      }
      if (box.width < 43.5 || box.height < 43.5) {
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? el.getAttribute('name') ?? '').trim().slice(0, 40);
        out.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return out;
  });
  expect.soft(small, `touch targets under 44 px on ${where}`).toEqual([]);
}

/**
 * The English page shows no Japanese outside elements marked `lang="ja"`: the
 * language switch's 日本語, customers' names and addresses, and the legal titles that
 * stay Japanese (README, "English"). Checks the visible text, the title and the
 * accessible names and placeholders.
 */
export async function expectNoJapanese(page: Page, where: string) {
  const found = await page.evaluate((pattern) => {
    const re = new RegExp(pattern);
    const out: string[] = [];
    const exempt = (el: Element) => el.closest('[lang]')?.getAttribute('lang') === 'ja';
    if (re.test(document.title)) out.push(`title: ${document.title}`);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || exempt(parent) || parent.closest('script, style, template, noscript')) continue;
      const text = n.textContent ?? '';
      if (re.test(text)) out.push(`text: ${text.trim().slice(0, 80)}`);
    }
    for (const el of Array.from(document.querySelectorAll('[aria-label], [title], [placeholder], [alt], input[type=submit][value]'))) {
      if (exempt(el)) continue;
      for (const attr of ['aria-label', 'title', 'placeholder', 'alt', 'value']) {
        if (attr === 'value' && el.getAttribute('type') !== 'submit') continue;
        const v = el.getAttribute(attr);
        if (v && re.test(v)) out.push(`${attr}: ${v.slice(0, 80)}`);
      }
    }
    return out;
  }, JAPANESE.source);
  expect.soft(found, `Japanese text on the English ${where}`).toEqual([]);
}

/** The page's checks: axe and touch targets always, no Japanese when in English. */
export async function audit(page: Page, where: string, english: boolean) {
  await expectNoAxeViolations(page, where);
  await expectTouchTargets(page, where);
  if (english) await expectNoJapanese(page, where);
}
