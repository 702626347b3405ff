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
/// server only; islands are the only code in the browser), so this is the one way an
/// error comes back, with JavaScript or without.
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
        AppError::FlowExpired => Some(tx.err_flow_expired),
        AppError::LinkInvalid => Some(tx.err_link_invalid),
        AppError::InvalidCredentials => Some(tx.rec_code_wrong),
        AppError::LimitReached => Some(tx.mb_limit_reached),
        AppError::PaymentDeclined => Some(tx.err_payment_declined),
        AppError::Pending => Some(tx.err_pending),
        AppError::ServiceUnavailable => Some(tx.err_service_unavailable),
        AppError::Busy => Some(tx.err_busy),
        AppError::SupportNeeded => Some(tx.err_support_needed),
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
    #[prop(optional)] maxlength: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] on_input: Option<Callback<String>>,
    #[prop(optional, into)] reveal: Option<Signal<bool>>,
) -> impl IntoView {
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
    let kind = move || match reveal {
        Some(r) if r.get() => "text",
        _ => input_type,
    };
    view! {
        <div>
            <label for=id.clone() class="field-label">{label}</label>
            {hint.map(|h| view! { <p id=hint_id.clone() class="mb-1 text-sm text-slate-600">{h}</p> })}
            // A form sent back with this field's error (one error at a time comes back)
            // opens with the focus on it, for keyboard and screen-reader users.
            <input name=name.map(str::to_string).unwrap_or_else(|| id.clone()) id=id type=kind class="field-input" autocomplete=autocomplete inputmode=inputmode
                maxlength=maxlength required autofocus=move || error.get().is_some()
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described
                on:input=move |ev| if let Some(cb) = on_input { cb.run(event_target_value(&ev)) }/>
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
                    autocomplete="current-password" maxlength="32"
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
    view! { <SubmitButton label=label.into() submitting=t().submitting.into()/> }
}

/// A submit button that sends its form once: after the first press it is disabled and
/// says 送信中…, so a double click does not post a step twice (the second post would
/// find the step already taken and show "expired" for a request that went through).
/// Enabled again when the page comes back from the back/forward cache. Without
/// JavaScript it is a plain submit button.
#[island]
pub fn SubmitButton(label: String, submitting: String) -> impl IntoView {
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
    view! {
        <button type="submit" class="btn" node_ref=button aria-disabled=move || pending.get().then_some("true")
            data-hydrated=move || hydrated.get().then_some("")
            on:click=move |ev| if pending.get_untracked() { ev.prevent_default() }>
            {move || if pending.get() { submitting.clone() } else { label.clone() }}
        </button>
    }
}

/// パスワードを表示: a checkbox showing the password fields `targets` (element ids) as
/// text. An island (it needs JavaScript, and is hidden without it); the form's reset
/// hides them again.
#[island]
pub fn ShowPassword(targets: Vec<String>, label: String) -> impl IntoView {
    let shown = RwSignal::new(false);
    Effect::new(move |_| {
        let kind = if shown.get() { "text" } else { "password" };
        for id in &targets {
            if let Some(input) = document().get_element_by_id(id) {
                let _ = input.set_attribute("type", kind);
            }
        }
    });
    // `reset` bubbles: any form reset on the page hides the passwords again.
    let _ = window_event_listener(leptos::ev::reset, move |_| shown.set(false));
    view! {
        <label class="js-only mt-2 inline-flex min-h-11 cursor-pointer items-center gap-2">
            <input type="checkbox" class="h-5 w-5" data-testid="show-password"
                prop:checked=move || shown.get()
                on:change=move |ev| shown.set(event_target_checked(&ev))/>
            {label}
        </label>
    }
}

/// A button printing the page (for the pages customers keep on paper).
#[island]
pub fn PrintButton(label: String) -> impl IntoView {
    view! {
        <button type="button" class="btn js-only" on:click=move |_| { let _ = window().print(); }>
            {label}
        </button>
    }
}
