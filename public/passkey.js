// パスキー: the browser side of the WebAuthn ceremonies, loaded only by the pages that
// use them (login, ログイン・セキュリティ設定, a password asked again). The server keeps
// each ceremony's state; this asks the browser and hands its answer back. Messages come
// from the elements' data-* (the page's language).
const bytes = (s) =>
  Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
const text = (b) =>
  b && btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

async function call(path, fields) {
  const res = await fetch('/api/' + path, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const body = await res.text();
  if (!res.ok) throw new Error(body);
  return JSON.parse(body);
}

// One ceremony: its options from `start`, the browser's answer to `finish`.
async function ceremony(start, finish, fields) {
  const key = JSON.parse(await call(start, fields)).publicKey;
  key.challenge = bytes(key.challenge);
  if (key.user) key.user.id = bytes(key.user.id);
  for (const c of [...(key.excludeCredentials || []), ...(key.allowCredentials || [])]) c.id = bytes(c.id);
  const cred = await (key.user ? navigator.credentials.create({ publicKey: key }) : navigator.credentials.get({ publicKey: key }));
  const r = cred.response;
  const response = r.attestationObject
    ? { attestationObject: text(r.attestationObject), clientDataJSON: text(r.clientDataJSON) }
    : { authenticatorData: text(r.authenticatorData), clientDataJSON: text(r.clientDataJSON), signature: text(r.signature), userHandle: text(r.userHandle) };
  const credential = JSON.stringify({ id: cred.id, rawId: text(cred.rawId), type: cred.type, response, extensions: cred.getClientExtensionResults() });
  return call(finish, { ...finish.startsWith('login') && { next: fields.next }, credential });
}

// Wires `button` in `box`: shown where passkeys work; `run` on a press; a failure said.
function wire(box, button, run) {
  if (!box || !button || !window.PublicKeyCredential) return;
  button.hidden = false;
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await run();
    } catch (e) {
      const p = box.querySelector('[data-passkey-error]');
      p.textContent =
        (/TooManyAttempts/.test(e.message) && box.dataset.errThrottled) ||
        (/Locked/.test(e.message) && box.dataset.errLocked) ||
        (/current_password/.test(e.message) && box.dataset.errPassword) ||
        (/"otp"/.test(e.message) && box.dataset.errOtp) ||
        box.dataset.errFailed;
      p.hidden = false;
      button.disabled = false;
    }
  });
}

const register = document.querySelector('[data-passkey-register]');
wire(register, register?.querySelector('[data-passkey-add]'), async () => {
  const password = register.querySelector('#passkey-password');
  const otp = register.querySelector('#passkey-otp');
  const fields = { ...(password && { password: password.value }), ...(otp && { otp: otp.value }) };
  location.assign(await ceremony('security/passkey/register/start', 'security/passkey/register/finish', fields));
});

const login = document.querySelector('[data-passkey-login]');
wire(login, login?.querySelector('[data-passkey-signin]'), async () => {
  location.assign(await ceremony('login/passkey/start', 'login/passkey/finish', { next: login.dataset.next }));
});

// Step-up: a passkey of this account instead of the password asked again; then every
// such password on the page is no longer needed.
for (const box of document.querySelectorAll('[data-passkey-verify]')) {
  wire(box, box.querySelector('[data-passkey-confirm]'), async () => {
    await ceremony('security/passkey/verify/start', 'security/passkey/verify/finish', {});
    for (const field of document.querySelectorAll('[data-password-field]')) field.hidden = true;
    for (const other of document.querySelectorAll('[data-passkey-verify]')) {
      other.querySelector('[data-passkey-confirm]').hidden = true;
      const done = other.querySelector('[data-passkey-done]');
      done.textContent = other.dataset.done;
      done.hidden = false;
    }
  });
}
