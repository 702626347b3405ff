import * as fs from 'node:fs';
import * as path from 'node:path';

// The demo accounts' passwords as the @changes-account tests leave them. Those tests
// run one at a time (one worker, projects in sequence) but in separate processes, so
// the record is a file of this run (beside its maildir), not a variable. A test that
// needs an account logs in with its current password instead of resetting it (password
// resets are limited to 5 an hour per ID, which the tests must not spend).
const DEMO: Record<string, string> = {
  'hanako@example.com': 'Hanako_2024',
  'ichiro@example.net': 'Ichiro_2020',
};

function file() {
  return path.join(path.dirname(process.env.E2E_MAILDIR!), 'passwords.json');
}

function read(): Record<string, string> {
  try {
    return JSON.parse(fs.readFileSync(file(), 'utf8'));
  } catch {
    return {};
  }
}

/** The password `itscomId` has now. */
export function currentPassword(itscomId: string): string {
  return read()[itscomId] ?? DEMO[itscomId];
}

/** Record that `itscomId`'s password is now `password`. */
export function rememberPassword(itscomId: string, password: string) {
  fs.writeFileSync(file(), JSON.stringify({ ...read(), [itscomId]: password }));
}
