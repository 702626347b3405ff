import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from '@playwright/test';

/** A mail received by the test run's SMTP server (aiosmtpd, Maildir). */
export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  /** When the SMTP server stored it (ms since the epoch). */
  received: number;
}

/**
 * RFC 2047 encoded words. Adjacent words are joined as bytes before UTF-8 decoding:
 * a long Japanese subject is split across words, sometimes inside a character.
 */
function decodeWords(header: string): string {
  const word = '=\\?utf-8\\?[bq]\\?[^?]*\\?=';
  return header.replace(new RegExp(`${word}(?:\\s+${word})*`, 'gi'), (run: string) => {
    const bytes: Buffer[] = [];
    for (const [, enc, data] of run.matchAll(/=\?utf-8\?([bq])\?([^?]*)\?=/gi)) {
      bytes.push(
        enc.toLowerCase() === 'b'
          ? Buffer.from(data, 'base64')
          : Buffer.from(decodeQuotedPrintable(data.replace(/_/g, ' ')), 'binary'),
      );
    }
    return Buffer.concat(bytes).toString('utf8');
  });
}

function decodeQuotedPrintable(s: string): string {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function parse(raw: string, received: number): ReceivedMail {
  const [head] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => unfolded.match(new RegExp(`^${name}: (.*)$`, 'mi'))?.[1] ?? '';
  // The text/plain part of the multipart/alternative body.
  const part = raw.split(/\r?\n--/).find((p) => /Content-Type: text\/plain/i.test(p)) ?? raw;
  const [partHead, ...bodyLines] = part.split(/\r?\n\r?\n/);
  let body = bodyLines.join('\n\n');
  if (/Content-Transfer-Encoding: base64/i.test(partHead)) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  } else if (/Content-Transfer-Encoding: quoted-printable/i.test(partHead)) {
    body = Buffer.from(decodeQuotedPrintable(body), 'binary').toString('utf8');
  }
  return { to: header('To'), subject: decodeWords(header('Subject')), text: body, received };
}

export function receivedMail(): ReceivedMail[] {
  const dir = process.env.E2E_MAILDIR!;
  const out: ReceivedMail[] = [];
  for (const sub of ['new', 'cur']) {
    const folder = path.join(dir, sub);
    if (!fs.existsSync(folder)) continue;
    for (const f of fs.readdirSync(folder)) {
      const file = path.join(folder, f);
      out.push(parse(fs.readFileSync(file, 'utf8'), fs.statSync(file).mtimeMs));
    }
  }
  return out;
}

/**
 * Waits for a mail to `to` whose subject contains `subject`, received at or after
 * `since` (ms since the epoch; a flow run twice gets its own mail), and returns it.
 */
export async function waitForMail(to: string, subject: string | RegExp, since = 0): Promise<ReceivedMail> {
  let found: ReceivedMail | undefined;
  const about = (s: string) => (typeof subject === 'string' ? s.includes(subject) : subject.test(s));
  const matches = (m: ReceivedMail) => m.to.includes(to) && about(m.subject) && m.received >= since - 1000;
  await expect
    .poll(() => (found = receivedMail().filter(matches).sort((a, b) => b.received - a.received)[0]), {
      timeout: 20_000,
      message: `a mail to ${to} about ${subject}`,
    })
    .toBeTruthy();
  return found!;
}

/** The first http(s) link in a mail's text. */
export function linkIn(mail: ReceivedMail): string {
  const m = mail.text.match(/https?:\/\/\S+/);
  if (!m) throw new Error(`no link in: ${mail.text}`);
  return m[0];
}
