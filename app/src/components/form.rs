//! Form building blocks shared by the flows: labelled fields tied to their hint and
//! error, the form-level alert, the submit button with its pending state, and the
//! error of a form whether it came back by fetch (JavaScript) or in the URL (plain
//! form post).

use crate::error::AppError;
use crate::i18n::{field_message, t, Texts};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The error of the page's form, as its server function's one exit ([`respond`]) sent
/// it back in the URL (`?error=…`). Forms are plain posts (the pages render on the
/// server only; islands are the only WASM in the browser), so this is the one way an
/// error comes back, with JavaScript or without. The page is rendered anew, empty:
/// `public/draft.js` puts back what its form held (not its passwords or secrets).
///
/// [`respond`]: ../../ssr/fn.respond.html
pub fn form_error() -> Signal<Option<AppError>> {
    let query = use_query_map();
    Signal::derive(move || query.read().get("error").and_then(|c| AppError::from_query_code(&c)))
}

/// The message of an error that is not tied to one field.
pub fn form_message(tx: &'static Texts, e: &AppError) -> Option<&'static str> {
    match e {
        AppError::Invalid { .. } => None,
        AppError::VerificationFailed => Some(tx.err_verification),
        AppError::TooManyAttempts => Some(tx.err_throttled),
        AppError::Locked => Some(tx.err_locked),
        AppError::AccountUnavailable => Some(tx.err_account_unavailable),
        // Not found (another customer's id, or one gone since the page was shown) is
        // an old page's post: start again, as for an expired one.
        AppError::FlowExpired | AppError::NotFound => Some(tx.err_flow_expired),
        AppError::LinkInvalid => Some(tx.err_link_invalid),
        AppError::InvalidCredentials => Some(tx.rec_code_wrong),
        AppError::LimitReached => Some(tx.mb_limit_reached),
        AppError::PaymentDeclined => Some(tx.err_payment_declined),
        AppError::Pending => Some(tx.err_pending),
        AppError::ServiceUnavailable => Some(tx.err_service_unavailable),
        AppError::Busy => Some(tx.err_busy),
        AppError::SupportNeeded => Some(tx.err_support_needed),
        AppError::Unauthorized => Some(tx.err_session_ended),
        _ => Some(tx.error_generic),
    }
}

pub fn field_error(
    tx: &'static Texts,
    e: Signal<Option<AppError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || match e.get() {
        Some(AppError::Invalid { field: f, error }) if f == field => Some(field_message(tx, field, error)),
        _ => None,
    })
}

#[component]
pub fn FormAlert(
    error: Signal<Option<AppError>>,
    /// The page's fields, when a later step can send a field's error back here (to the
    /// flow's start): an error of a field not on the page is then shown above the form.
    #[prop(optional)]
    fields: Option<&'static [&'static str]>,
) -> impl IntoView {
    let tx = t();
    let message = move |e: AppError| -> Option<String> {
        match (&e, fields) {
            (AppError::Invalid { field, error }, Some(fields)) if !fields.contains(&field.as_str()) => {
                Some(field_message(tx, field, *error))
            }
            _ => form_message(tx, &e).map(str::to_string),
        }
    };
    view! {
        {move || error.get().and_then(message).map(|m| view! {
            <p id="form-error" class="alert alert-error mb-4" role="alert">{m}</p>
        })}
        // Where only the support centre can help, its number.
        {move || matches!(error.get(), Some(AppError::SupportNeeded)).then(|| view! {
            <crate::components::status::SupportLine/>
        })}
    }
}

/// The page being rendered holds a password field: its answer is not stored (`no-store`),
/// so the browser does not bring it back, typed password and all, from its caches (its
/// back/forward cache: Back on a phone handed on after a logout). Pages of a logged-in
/// customer are so already; this is for /login and the pages that set a password.
pub fn never_stored() {
    #[cfg(feature = "ssr")]
    crate::ssr::set_no_store();
}

/// A labelled text field with its hint and error, tied together for assistive tech.
#[component]
pub fn Field(
    #[prop(into)] id: String,
    /// The form field's name, when it is not the id (two forms on a page sending the
    /// same field).
    #[prop(optional)]
    name: Option<&'static str>,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    /// A bound on what the browser takes, above the field's rule: what is typed or
    /// pasted past the rule must reach its check and be refused with the field's
    /// message, never be cut by the browser unseen (a password cut at 32 was set, and
    /// the 40 the customer typed then never logged in).
    #[prop(optional)]
    maxlength: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
    /// The domain rule checking the field as typed inside [`LiveChecks`] (`itscom_id`,
    /// `password`, `password_again`, `local_part`), with its messages
    /// ([`crate::i18n::field_messages`]).
    #[prop(optional)]
    check: Option<(&'static str, String)>,
    /// Put back after a refused post though `autocomplete` is off (a value with no
    /// secret that the browser should not suggest): `public/draft.js`.
    #[prop(optional)]
    keep: bool,
) -> impl IntoView {
    if input_type == "password" {
        never_stored();
    }
    let (check, messages) = check.unzip();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div>
            <label for=id.clone() class="field-label">{label}</label>
            {hint.map(|h| view! { <p id=hint_id.clone() class="mb-1 text-sm text-slate-600">{h}</p> })}
            // A form sent back with this field's error (one error at a time comes back)
            // opens with the focus on it, for keyboard and screen-reader users.
            <input name=name.map(str::to_string).unwrap_or_else(|| id.clone()) id=id type=input_type class="field-input" autocomplete=autocomplete inputmode=inputmode
                maxlength=maxlength required autofocus=move || error.get().is_some()
                data-check=check data-messages=messages data-draft=keep.then_some("keep")
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described/>
            {move || error.get().map(|m| view! {
                <p id=error_id.clone() class="mt-1 text-sm font-bold text-red-700">{m}</p>
            })}
        </div>
    }
}

/// The account password asked again before a costly or security-relevant change (the
/// login is older than 5 minutes: `needed`), with what it is for (`lead`); its error
/// comes back as the field `current_password`. `id` tells two such fields on a page
/// apart (the form field is `password` either way).
#[component]
pub fn PasswordAgain(
    needed: bool,
    error: Signal<Option<AppError>>,
    #[prop(optional)] lead: Option<&'static str>,
    #[prop(default = "password".into(), into)] id: String,
) -> impl IntoView {
    let tx = t();
    needed.then(|| {
        view! {
            {lead.map(|lead| view! { <p class="text-sm text-slate-700">{lead}</p> })}
            <div data-password-field="">
                <Field id=id name="password" label=tx.current_password input_type="password"
                    autocomplete="current-password" maxlength="128"
                    error=field_error(tx, error, "current_password")/>
            </div>
            {passkey_confirm(tx)}
        }
    })
}

/// `パスキーで確認` under a password asked again, for a customer with a passkey
/// (step-up). Rendered on the server only: its words stay out of the WASM.
#[cfg(feature = "ssr")]
fn passkey_confirm(tx: &'static Texts) -> impl IntoView {
    let has_passkey = use_context::<crate::context::UserResource>()
        .and_then(|u| u.0.get_untracked())
        .and_then(Result::ok)
        .flatten()
        .is_some_and(|u| u.has_passkey);
    has_passkey.then(|| view! {
        <div data-passkey-verify="" data-err-failed=tx.passkey_confirm_failed data-done=tx.passkey_confirmed>
            <p class="text-sm font-bold text-red-700" role="alert" data-passkey-error="" hidden></p>
            <p class="text-sm font-bold" role="status" data-passkey-done="" hidden></p>
            <button type="button" class="btn-ghost js-only" data-passkey-confirm="" data-testid="passkey-confirm" hidden>{tx.passkey_confirm}</button>
        </div>
        <PasskeyScript/>
    })
}

#[cfg(not(feature = "ssr"))]
fn passkey_confirm(_: &'static Texts) -> impl IntoView {}

/// The browser side of passkeys (`/passkey.js`, with this response's CSP nonce): only
/// on the pages that use it (login, the security centre, a password asked again of a
/// customer with a passkey). Its messages come from the elements' `data-*`.
#[component]
pub fn PasskeyScript() -> impl IntoView {
    view! { <script type="module" src="/passkey.js" nonce=leptos::nonce::use_nonce()></script> }
}

/// A form's submit button: sends once (see [`SubmitButton`]).
#[component]
pub fn Submit(label: &'static str) -> impl IntoView {
    view! { <SubmitButton><span data-busy=t().submitting>{label}</span></SubmitButton> }
}

// The islands below carry no words and take no props: the server renders their words
// (as children, or in `data-*` attributes they read when they need them), so the WASM
// holds neither the text tables nor a JSON decoder for props.

/// A submit button that sends its form once: after the first press it is disabled and
/// says 送信中…, so a double click does not post a step twice (the second post would
/// find the step already taken and show "expired" for a request that went through).
/// Enabled again when the page comes back from the back/forward cache. Without
/// JavaScript it is a plain submit button. Its label is its child
/// `<span data-busy="送信中…">…</span>` ([`Submit`]).
#[island]
pub fn SubmitButton(children: Children) -> impl IntoView {
    let pending = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let button = NodeRef::<leptos::html::Button>::new();
    let _ = window_event_listener(leptos::ev::submit, move |ev| {
        use wasm_bindgen::JsCast;
        let form = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        if let (Some(form), Some(button)) = (form, button.get_untracked()) {
            let button: &web_sys::Node = &button;
            if form.contains(Some(button)) && !ev.default_prevented() {
                pending.set(true);
            }
        }
    });
    let _ = window_event_listener(leptos::ev::pageshow, move |_| pending.set(false));
    Effect::new(move |_| {
        let busy = pending.get();
        if let Some(label) = button.get().and_then(|b| b.query_selector("[data-busy]").ok().flatten()) {
            swap_words(&label, busy);
        }
    });
    view! {
        <button type="submit" class="btn" node_ref=button aria-disabled=move || pending.get().then_some("true")
            data-hydrated=move || hydrated.get().then_some("")
            on:click=move |ev| if pending.get_untracked() { ev.prevent_default() }>
            {children()}
        </button>
    }
}

/// A label's words while busy (its `data-busy`) or again as they were.
fn swap_words(label: &web_sys::Element, busy: bool) {
    match (busy, label.get_attribute("data-idle")) {
        (true, None) => {
            let _ = label.set_attribute("data-idle", &label.text_content().unwrap_or_default());
            label.set_text_content(label.get_attribute("data-busy").as_deref());
        }
        (false, Some(idle)) => {
            label.set_text_content(Some(&idle));
            let _ = label.remove_attribute("data-idle");
        }
        _ => {}
    }
}

/// パスワードを表示 for the password fields `targets` (their ids, separated by spaces).
#[component]
pub fn PasswordToggle(targets: &'static str) -> impl IntoView {
    view! { <ShowPassword><span data-targets=targets>{t().show_password}</span></ShowPassword> }
}

/// パスワードを表示: a checkbox showing the password fields named by its label's
/// `data-targets` (element ids; [`PasswordToggle`]) as text. An island (it needs
/// JavaScript, and is hidden without it); the form's reset hides them again.
#[island]
pub fn ShowPassword(children: Children) -> impl IntoView {
    let shown = RwSignal::new(false);
    let label = NodeRef::<leptos::html::Label>::new();
    Effect::new(move |_| {
        let kind = if shown.get() { "text" } else { "password" };
        let targets = label.get().and_then(|l| l.query_selector("[data-targets]").ok().flatten());
        for id in targets.and_then(|t| t.get_attribute("data-targets")).unwrap_or_default().split_whitespace()
        {
            if let Some(input) = document().get_element_by_id(id) {
                let _ = input.set_attribute("type", kind);
            }
        }
    });
    // `reset` bubbles: any form reset on the page hides the passwords again.
    let _ = window_event_listener(leptos::ev::reset, move |_| shown.set(false));
    view! {
        <label class="js-only mt-2 inline-flex min-h-11 cursor-pointer items-center gap-2" node_ref=label>
            <input type="checkbox" class="h-5 w-5" data-testid="show-password"
                prop:checked=move || shown.get()
                on:change=move |ev| shown.set(event_target_checked(&ev))/>
            {children()}
        </label>
    }
}

/// A button printing the page (for the pages customers keep on paper); its words are
/// its children.
#[island]
pub fn PrintButton(children: Children) -> impl IntoView {
    view! {
        <button type="button" class="btn js-only" on:click=move |_| { let _ = window().print(); }>
            {children()}
        </button>
    }
}

/// Fields checked as typed by the same domain rules the server applies: every
/// `input[data-check]` inside (see [`Field`]'s `check`) shows the message of its rule's
/// error under it (`aria-invalid`, `aria-describedby`), or the server's message of a
/// failed post again while it is empty; a `[data-strength-meter]` shows the password's
/// strength; a radio button's `data-label` becomes the words of the element its
/// `data-label-for` names. Without JavaScript the server checks them on posting.
#[island]
pub fn LiveChecks(children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(root) = root.get() {
            live::attach(root.into());
        }
    });
    view! { <div node_ref=root>{children()}</div> }
}

#[cfg(feature = "hydrate")]
mod live {
    use crate::domain::itscom_id::ItscomId;
    use crate::domain::mailbox::LocalPart;
    use crate::domain::password::{parse_new, strength, NewPasswordError, Strength};
    use crate::domain::FieldError;
    use crate::i18n::message_in;
    use leptos::prelude::{document, window_event_listener};
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlInputElement};

    pub fn attach(root: Element) {
        // The server's message of a failed post, shown again while the field is empty.
        for input in inputs(&root) {
            if let Some(p) = document().get_element_by_id(&format!("{}-error", input.id())) {
                let _ = input.set_attribute("data-server-error", &p.text_content().unwrap_or_default());
            }
        }
        let checked = root.clone();
        let _ = window_event_listener(leptos::ev::input, move |ev| {
            if inside(&checked, ev.target()) {
                check_all(&checked);
            }
        });
        // A choice already made when this runs (a refused form's draft put back before
        // the page woke up) names its field as one made now does.
        if let Ok(list) = root.query_selector_all("input[data-label]:checked") {
            (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).for_each(|r| relabel(&root, &r));
        }
        let _ = window_event_listener(leptos::ev::change, move |ev| {
            let Some(radio) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            if inside(&root, ev.target()) {
                relabel(&root, &radio);
            }
        });
    }

    /// A radio button's `data-label` becomes the words of the label of the field its
    /// `data-label-for` names.
    fn relabel(root: &Element, radio: &Element) {
        if let (Some(words), Some(target)) =
            (radio.get_attribute("data-label"), radio.get_attribute("data-label-for"))
        {
            if let Ok(Some(label)) = root.query_selector(&format!("[for='{target}']")) {
                label.set_text_content(Some(&words));
            }
        }
    }

    fn inside(root: &Element, target: Option<web_sys::EventTarget>) -> bool {
        target.and_then(|t| t.dyn_into::<web_sys::Node>().ok()).is_some_and(|n| root.contains(Some(&n)))
    }

    fn inputs(root: &Element) -> Vec<HtmlInputElement> {
        let Ok(list) = root.query_selector_all("input[data-check]") else { return Vec::new() };
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect()
    }

    fn value_of(root: &Element, id: &str) -> String {
        root.query_selector(&format!("#{id}"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            .map(|i| i.value())
            .unwrap_or_default()
    }

    /// The error of `value` by the field's rule, as the server would find it.
    fn problem(root: &Element, rule: &str, value: &str) -> Option<FieldError> {
        match rule {
            "itscom_id" => ItscomId::parse(value).err(),
            "local_part" => LocalPart::parse(value).err(),
            "password" => {
                // The ID as the server reads it (width folded, spaces at the ends
                // dropped), or as typed while it is not one yet.
                let typed = value_of(root, "itscom_id");
                let id = ItscomId::parse(&typed).map_or(typed, |id| id.as_str().to_string());
                match parse_new(value, value, Some(&id)) {
                    Err(NewPasswordError::Password(e)) => Some(e),
                    _ => None,
                }
            }
            "password_again" => (value != value_of(root, "password")).then_some(FieldError::Mismatch),
            _ => None,
        }
    }

    fn check_all(root: &Element) {
        for input in inputs(root) {
            let value = input.value();
            let message = if value.is_empty() {
                input.get_attribute("data-server-error")
            } else {
                let rule = input.get_attribute("data-check").unwrap_or_default();
                let messages = input.get_attribute("data-messages").unwrap_or_default();
                problem(root, &rule, &value).and_then(|e| message_in(&messages, e).map(str::to_string))
            };
            show(&input, message);
        }
        meter(root);
    }

    /// The field's message under it, tied to it for assistive tech; or none.
    fn show(input: &HtmlInputElement, message: Option<String>) {
        let error_id = format!("{}-error", input.id());
        let existing = document().get_element_by_id(&error_id);
        let mut described: Vec<String> = input
            .get_attribute("aria-describedby")
            .unwrap_or_default()
            .split_whitespace()
            .filter(|id| *id != error_id)
            .map(String::from)
            .collect();
        match message {
            Some(message) => {
                let p = match existing {
                    Some(p) => p,
                    None => {
                        let Ok(p) = document().create_element("p") else { return };
                        p.set_id(&error_id);
                        p.set_class_name("mt-1 text-sm font-bold text-red-700");
                        let _ = input.after_with_node_1(&p);
                        p
                    }
                };
                p.set_text_content(Some(&message));
                let _ = input.set_attribute("aria-invalid", "true");
                described.push(error_id);
            }
            None => {
                if let Some(p) = existing {
                    p.remove();
                }
                let _ = input.remove_attribute("aria-invalid");
            }
        }
        let _ = if described.is_empty() {
            input.remove_attribute("aria-describedby")
        } else {
            input.set_attribute("aria-describedby", &described.join(" "))
        };
    }

    /// パスワード強度: its words from the meter's `data-*`, redrawn when the level changes.
    fn meter(root: &Element) {
        let Ok(Some(meter)) = root.query_selector("[data-strength-meter]") else { return };
        let value = value_of(root, "password");
        let level = (!value.is_empty()).then(|| match strength(&value) {
            Strength::Weak => ("weak", "w-1/3 bg-red-500"),
            Strength::Fair => ("fair", "w-2/3 bg-amber-500"),
            Strength::Strong => ("strong", "w-full bg-emerald-600"),
        });
        let name = level.map(|(name, _)| name).unwrap_or_default();
        if meter.get_attribute("data-level").as_deref() == Some(name) {
            return;
        }
        let _ = meter.set_attribute("data-level", name);
        meter.set_text_content(None);
        let Some((name, bar)) = level else { return };
        let element = |tag: &str, class: &str| {
            let e = document().create_element(tag).ok()?;
            e.set_class_name(class);
            Some(e)
        };
        let words = |key: &str| meter.get_attribute(&format!("data-{key}")).unwrap_or_default();
        let (Some(p), Some(strong), Some(track), Some(fill)) = (
            element("p", "text-sm"),
            element("strong", ""),
            element("div", "mt-1 h-2 w-full rounded bg-slate-200"),
            element("div", &format!("h-2 rounded {bar}")),
        ) else {
            return;
        };
        let _ = p.set_attribute("data-testid", "strength");
        p.set_text_content(Some(&format!("{}: ", words("label"))));
        strong.set_text_content(Some(&words(name)));
        let _ = p.append_child(&strong);
        let _ = track.append_child(&fill);
        let _ = meter.append_child(&p);
        let _ = meter.append_child(&track);
    }
}
