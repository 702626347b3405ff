// What a form holds survives its refusal: kept in the tab's sessionStorage as the form
// is sent, put back when the same form comes back with ?error=. Never a password, a
// hidden field, a file, or a field marked autocomplete off (unless data-draft=keep),
// one-time-code or cc-…. One draft, taken by the next page; a refused form inside a
// closed <details> is opened at its message. A form refused because its session had
// ended goes to the login screen (?error=session): its draft is held there, through
// the login (and its second step), and put back into the same form on the page the
// login leads to, for an hour, and only into the same account's (the page's data-who):
// another customer logging in on a device handed on never gets it, and a logout drops
// it. Loaded by app::DRAFT_LOADER; see README ("one exit").
const KEY = 'draft';
const HELD = 'draft:held';
const HOLD_MS = 3600 * 1000;
const FORM = 'draft:form';
const WHO = 'draft:who';
// Whose page this is (the logout form's data-who), '' when no one is logged in.
const who = () => document.querySelector('[data-who]')?.getAttribute('data-who') ?? '';
const FIELDS =
  'input[name]:not([type=password]):not([type=hidden]):not([type=file]):not([type=submit])' +
  ':not([autocomplete=off]):not([autocomplete=one-time-code]):not([autocomplete$=-password]):not([autocomplete^=cc-]),' +
  'input[name][autocomplete=off][data-draft=keep]:not([type=password]):not([type=hidden]),' +
  'textarea[name]:not([autocomplete=off]),select[name]:not([autocomplete=off])';
const choice = (f) => f.type === 'radio' || f.type === 'checkbox';
// Whether the customer has changed a field since the page came: a select, to another
// option than it came with; a radio button, any of its group.
const touched = (f) => {
  if (f instanceof HTMLSelectElement) {
    if (f.multiple) return [...f.options].some((o) => o.selected !== o.defaultSelected);
    // The option it came with: the last marked selected, else the first not disabled.
    let given = -1;
    for (const [i, o] of [...f.options].entries()) if (o.defaultSelected) given = i;
    if (given < 0) given = [...f.options].findIndex((o) => !o.disabled);
    return f.selectedIndex !== given;
  }
  if (!choice(f)) return f.value !== f.defaultValue;
  const group =
    f.type === 'radio' && f.form ? f.form.querySelectorAll(`input[type=radio][name="${CSS.escape(f.name)}"]`) : [f];
  return [...group].some((r) => r.checked !== r.defaultChecked);
};

// A form: its action and its place among the forms with that action (one rename form
// a passkey).
const formKey = (form) => {
  const action = form.getAttribute('action') || '';
  const same = [...document.forms].filter((f) => (f.getAttribute('action') || '') === action);
  return `${action}#${same.indexOf(form)}`;
};

addEventListener('submit', (ev) => {
  const form = ev.target;
  if (ev.defaultPrevented || !(form instanceof HTMLFormElement)) return;
  if (form.hasAttribute('data-logout')) {
    try {
      sessionStorage.removeItem(HELD);
    } catch {}
  }
  const draft = new URLSearchParams([[FORM, formKey(form)], [WHO, who()]]);
  for (const f of form.querySelectorAll(FIELDS)) {
    // A choice when ticked; any other field as it is, even empty.
    if (!choice(f) || f.checked) draft.append(f.name, f.value);
  }
  try {
    sessionStorage.setItem(KEY, draft);
  } catch {}
});

// Puts `draft` back into `form`, never over what the customer has typed or ticked there
// since the page came.
const putBack = (form, draft) => {
  const nth = {};
  const fields = [...form.querySelectorAll(FIELDS)];
  // Before any is put back (putting back one radio button changes its group).
  const kept = new Set(fields.filter(touched));
  for (const f of fields) {
    if (!choice(f)) {
      const value = draft.getAll(f.name)[(nth[f.name] = (nth[f.name] ?? -1) + 1)];
      if (value !== undefined && !kept.has(f)) f.value = value;
    } else if (!kept.has(f) && f.checked !== draft.getAll(f.name).includes(f.value)) {
      // As sent (an unticked box is not in the draft); a label naming it hears of it.
      f.checked = !f.checked;
      f.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }
  // A form inside a closed disclosure (<details>: a cancel, a second factor) opens
  // again, so that its message shows, and comes into view.
  let opened = false;
  for (let d = form.closest('details'); d; d = d.parentElement?.closest('details') ?? null) {
    opened ||= !d.open;
    d.open = true;
  }
  if (opened) form.scrollIntoView({ block: 'center' });
};
const formOf = (draft) => [...document.forms].find((f) => formKey(f) === draft.get(FORM));

// Loaded on a refused page: the draft is taken, and put back into the same form. On
// the login screen of a session that ended, the form's draft is held for after it; a
// refused page that came without its form (the database away) leaves it for a reload.
try {
  const error = new URLSearchParams(location.search).get('error');
  const draft = new URLSearchParams(sessionStorage.getItem(KEY) || '');
  const form = formOf(draft);
  if (form && error !== null) {
    sessionStorage.removeItem(KEY);
    putBack(form, draft);
  } else if (!form && error === 'session' && draft.has(FORM)) {
    sessionStorage.removeItem(KEY);
    draft.set('draft:at', String(Date.now()));
    sessionStorage.setItem(HELD, draft);
  } else if (!form && error !== null && draft.has(FORM)) {
    // Kept: the same page loaded again finds its form.
  } else {
    sessionStorage.removeItem(KEY);
    const held = new URLSearchParams(sessionStorage.getItem(HELD) || '');
    const heldForm = formOf(held);
    const fresh = Date.now() - Number(held.get('draft:at')) < HOLD_MS;
    // Another account's page (a device handed on): dropped, never shown.
    if (!fresh || (who() !== '' && held.get(WHO) !== who())) sessionStorage.removeItem(HELD);
    else if (heldForm) {
      sessionStorage.removeItem(HELD);
      putBack(heldForm, held);
    }
  }
} catch {}
// Ready (the end-to-end tests wait for it).
document.documentElement.dataset.draft = '';
