// What a customer typed into a form survives its refusal. A form is a plain post: the
// server answers a refused one by sending the browser back to the form's page with
// ?error=…, rendered anew and empty. So this keeps a draft of the form as it is sent, in
// the tab's sessionStorage, and puts it back when that form's page comes back refused:
// a 2,000-character inquiry or a registration's name is not typed again because one
// field was wrong. Every page loads it (app::shell): each has a form.
//
// Never kept: passwords, hidden fields (a link's token), files, and every field the page
// marks as not to be remembered (autocomplete off, one-time-code, cc-…: a verification
// detail, a code, a card). One draft at a time, in the tab only, read by the next page
// that loads (the post's answer) and gone from then on. Without JavaScript there is no
// draft: the server's field message says what to type again.
const KEY = 'draft';
const FORM = 'draft:form';
const FIELDS =
  'input[name]:not([type=password]):not([type=hidden]):not([type=file]):not([type=submit])' +
  ':not([autocomplete=off]):not([autocomplete=one-time-code]):not([autocomplete$=-password]):not([autocomplete^=cc-]),' +
  'textarea[name]:not([autocomplete=off]),select[name]:not([autocomplete=off])';
const choice = (f) => f.type === 'radio' || f.type === 'checkbox';

// A form by its action and its place among the page's forms with that action (one
// rename form a passkey: the draft of one is not put into another).
const formKey = (form) => {
  const action = form.getAttribute('action') || '';
  const same = [...document.forms].filter((f) => (f.getAttribute('action') || '') === action);
  return `${action}#${same.indexOf(form)}`;
};

addEventListener('submit', (ev) => {
  const form = ev.target;
  if (ev.defaultPrevented || !(form instanceof HTMLFormElement)) return;
  const draft = new URLSearchParams([[FORM, formKey(form)]]);
  for (const f of form.querySelectorAll(FIELDS)) {
    // A choice when ticked; any other field as it is, empty too (cleared on purpose).
    if (!choice(f) || f.checked) draft.append(f.name, f.value);
  }
  try {
    sessionStorage.setItem(KEY, draft);
  } catch {}
});

// The page after a post: its draft is taken whatever this page is, and put back only
// into the same form come back refused.
try {
  const draft = new URLSearchParams(sessionStorage.getItem(KEY) || '');
  sessionStorage.removeItem(KEY);
  const form = [...document.forms].find((f) => formKey(f) === draft.get(FORM));
  if (form && new URLSearchParams(location.search).has('error')) {
    const nth = {};
    for (const f of form.querySelectorAll(FIELDS)) {
      if (!choice(f)) {
        // Fields of one name in their order.
        const value = draft.getAll(f.name)[(nth[f.name] = (nth[f.name] ?? -1) + 1)];
        if (value !== undefined) f.value = value;
      } else if (f.checked !== draft.getAll(f.name).includes(f.value)) {
        // A choice is as it was sent (a box left unticked is not in the draft), and
        // what follows it (a label naming it) hears of it.
        f.checked = !f.checked;
        f.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }
  }
} catch {}
// Ready (what the end-to-end tests wait for before they send a form).
document.documentElement.dataset.draft = '';
