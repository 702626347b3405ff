import { expect, type Page, type TestInfo } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

/** A4 at 96 dpi, less Chromium's default 0.4 in margins: the width a printout has. */
const A4_PRINT_WIDTH = 794 - 2 * 38;

/**
 * The page prints cleanly on A4: printed with the print style sheet at A4's width, no
 * navigation (header, menus, footer, buttons marked no-print) shows, and no table is
 * wider than the paper or cut by a scrolling box. Then Chromium prints it to an A4 PDF
 * (kept as an artifact) whose extracted text holds every `expected` string and none of
 * the navigation's words.
 */
export async function expectPrintsOnA4(page: Page, info: TestInfo, name: string, expected: string[]) {
  const screenSize = page.viewportSize();
  await page.setViewportSize({ width: A4_PRINT_WIDTH, height: 1000 });
  await page.emulateMedia({ media: 'print' });
  try {
    for (const hidden of ['header.site-header', 'nav.side-nav', 'details.phone-menu', 'footer.site-footer']) {
      await expect(page.locator(hidden)).toBeHidden();
    }
    const cut = await page.evaluate(() => {
      const out: string[] = [];
      const width = document.documentElement.clientWidth;
      for (const table of Array.from(document.querySelectorAll('table'))) {
        const box = table.getBoundingClientRect();
        if (box.width === 0) continue;
        if (box.right > width + 0.5) out.push(`table ${table.dataset.testid ?? ''} ends at ${Math.round(box.right)} of ${width}`);
        for (let el = table.parentElement; el; el = el.parentElement) {
          if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') {
            out.push(`table ${table.dataset.testid ?? ''} scrolls inside ${el.className}`);
          }
        }
      }
      if (document.documentElement.scrollWidth > width) out.push(`page is ${document.documentElement.scrollWidth} wide`);
      return out;
    });
    expect(cut, `cut on the printed ${name}`).toEqual([]);
    const file = info.outputPath(`${name}-a4.pdf`);
    fs.writeFileSync(file, await page.pdf({ format: 'A4', printBackground: true }));
    // Compared without white space: PDF text extraction spaces Japanese as it likes.
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const s of expected) expect(text, `the printed ${name}`).toContain(s.replace(/\s+/g, ''));
    expect(text, `the printed ${name} has no navigation`).not.toContain('ログアウト');
  } finally {
    await page.emulateMedia({ media: 'screen' });
    if (screenSize) await page.setViewportSize(screenSize);
  }
}
