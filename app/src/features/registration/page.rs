use super::api::{
    get_confirmation, get_owner_review, get_registration_stop, registration_sent_to, registration_step,
    CompleteRegistration, ReviewReregistration, StopRegistration, SubmitCredentials, VerifyAdditional,
    VerifyContract,
};
use super::{routes, RegistrationStep};
use crate::components::card::Outcome;
use crate::components::form::{
    field_error, form_error, Field, FormAlert, LiveChecks, PasswordToggle, Submit,
};
use crate::components::link::LinkPage;
use crate::components::step::StepCard;
use crate::domain::password::Password;
use crate::domain::{FieldError, ItscomId};
use crate::features::login::routes::LOGIN;
use crate::i18n::{field_messages, format_datetime, t, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// STEP 2's third item: which detail the customer gives, and its value, labelled after
/// the choice as it is made (in [`LiveChecks`]; without JavaScript the label stays
/// generic).
#[component]
pub fn FactorChoice(error: Option<String>, kind_error: Option<String>) -> impl IntoView {
    let tf = super::texts::t();
    let has_error = error.is_some();
    let described = if kind_error.is_some() { "factor-hint factor-kind-error" } else { "factor-hint" };
    // Its own spacing: the form's `space-y-5` reaches only the island element.
    view! {
        <div class="space-y-5">
        <fieldset aria-describedby=described>
            <legend class="field-label">{tf.factor}</legend>
            <p id="factor-hint" class="mb-2 text-sm text-slate-600">{tf.factor_hint}</p>
            {kind_error.map(|m| view! {
                <p id="factor-kind-error" class="mb-2 text-sm font-bold text-red-700">{m}</p>
            })}
            <div class="grid gap-1 sm:grid-cols-2">
                {[("customer_no", tf.customer_no), ("bank", tf.bank), ("card", tf.card), ("equipment", tf.equipment)]
                    .into_iter().map(|(value, label)| view! {
                        <label class="flex min-h-11 cursor-pointer items-center gap-2 rounded border border-slate-200 px-3">
                            <input type="radio" name="factor_kind" value=value class="h-5 w-5"
                                data-label=label data-label-for="factor_value"/>
                            {label}
                        </label>
                    }).collect_view()}
            </div>
        </fieldset>
        <div>
            <label for="factor_value" class="field-label">{tf.factor_value}</label>
            <input id="factor_value" name="factor_value" class="field-input" required maxlength="20"
                autocomplete="off"
                aria-invalid=has_error.then_some("true")
                aria-describedby=has_error.then_some("factor-error")/>
            {error.map(|m| view! {
                <p id="factor-error" class="mt-1 text-sm font-bold text-red-700">{m}</p>
            })}
        </div>
        </div>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let action = ServerAction::<VerifyContract>::new();
    let error = form_error();
    let factor_error = field_error(tx, error, "factor");
    let kind_error = field_error(tx, error, "factor_kind");
    view! {
        <h1 class="page-title">{tf.title}</h1>
        <section class="card max-w-2xl">
            <h2 class="card-title">{tf.step2}</h2>
            <p class="mb-4">{tf.step2_lead}</p>
            <FormAlert error=error fields=&["kana", "phone", "factor", "factor_kind"]/>
            <ActionForm action=action attr:class="space-y-5" attr:novalidate="">
                <Field id="kana" label=tf.kana hint=tf.kana_hint autocomplete="name"
                    error=field_error(tx, error, "kana")/>
                <Field id="phone" label=tf.phone hint=tf.phone_hint input_type="tel" autocomplete="tel"
                    error=field_error(tx, error, "phone")/>
                // In a box of its own: an island's element takes none (display: contents), so
                // the form's space-y would not part it from the next.
                <div><LiveChecks><FactorChoice error=factor_error.get_untracked() kind_error=kind_error.get_untracked()/></LiveChecks></div>
                <details class="rounded border border-slate-200 bg-slate-50 p-3 text-sm">
                    <summary class="min-h-11 cursor-pointer content-center font-bold">{tf.equipment_where}</summary>
                    <p class="mt-2 leading-relaxed">{tf.equipment_help}</p>
                </details>
                <Submit label=tx.confirm/>
            </ActionForm>
        </section>
    }
}

/// `/register/additional`: 追加認証情報.
#[component]
pub fn AdditionalPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let action = ServerAction::<VerifyAdditional>::new();
    let error = form_error();
    let factor_error = field_error(tx, error, "factor");
    let kind_error = field_error(tx, error, "factor_kind");
    view! {
        <StepCard heading=tf.title title=tf.additional step=RegistrationStep::Additional restart=routes::START current=Resource::new(|| (), |_| registration_step())>
            <p class="mb-4">{tf.additional_lead}</p>
            <FormAlert error=error/>
            <ActionForm action=action attr:class="space-y-5" attr:novalidate="">
                <fieldset aria-describedby=move || kind_error.get().map(|_| "factor-kind-error")>
                    <legend class="field-label">{tf.additional}</legend>
                    {move || kind_error.get().map(|m| view! {
                        <p id="factor-kind-error" class="mb-2 text-sm font-bold text-red-700">{m}</p>
                    })}
                    {[("customer_no", tf.customer_no), ("equipment", tf.equipment)].into_iter().map(|(value, label)| view! {
                        <label class="flex min-h-11 cursor-pointer items-center gap-2">
                            <input type="radio" name="factor_kind" value=value class="h-5 w-5"/>
                            {label}
                        </label>
                    }).collect_view()}
                </fieldset>
                <Field id="factor_value" label=tf.factor_value autocomplete="off" maxlength="20" error=factor_error/>
                <p class="text-sm text-slate-600">{tf.equipment_help}</p>
                <Submit label=tx.confirm/>
            </ActionForm>
        </StepCard>
    }
}

/// `/register/credentials`: STEP 3, with the rules checked as the customer types.
#[component]
pub fn CredentialsPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let action = ServerAction::<SubmitCredentials>::new();
    let error = form_error();
    let server = move |field| field_error(tx, error, field).get_untracked();
    view! {
        <StepCard heading=tf.title title=tf.step3 step=RegistrationStep::Credentials restart=routes::START current=Resource::new(|| (), |_| registration_step())>
            <p class="mb-4">{tf.step3_lead}</p>
            <FormAlert error=error/>
            <ActionForm action=action attr:class="space-y-5" attr:novalidate="">
                <CredentialFields id_error=server("itscom_id")
                    password_error=server("password") again_error=server("password_again")/>
                <div><Submit label=tx.next/></div>
            </ActionForm>
        </StepCard>
    }
}

/// STEP 3's fields: the iTSCOM ID and the password twice, checked as typed by the same
/// domain rules the server applies, with the strength meter ([`LiveChecks`]). The
/// server's messages of a failed post show until the field is typed in.
#[component]
pub fn CredentialFields(
    id_error: Option<String>,
    password_error: Option<String>,
    again_error: Option<String>,
) -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let messages = |field, errors| field_messages(tx, field, errors);
    view! {
        // One box, parted from the buttons by the form's space-y (the islands' elements
        // take none).
        <div>
        <LiveChecks>
        // Its own spacing: the form's `space-y-5` reaches only the island element.
        <div class="space-y-5">
        <Field id="itscom_id" label=tx.itscom_id_label hint=tf.id_hint input_type="email"
            autocomplete="username" inputmode="email" maxlength="254"
            error=Signal::stored(id_error) check=("itscom_id", messages("itscom_id", ItscomId::ERRORS))/>
        <Field id="password" label=tx.password_label hint=tx.reg_password_hint input_type="password"
            autocomplete="new-password" maxlength="128"
            error=Signal::stored(password_error) check=("password", messages("password", Password::NEW_ERRORS))/>
        <div class="js-only" aria-live="polite" data-strength-meter="" data-label=tx.strength
            data-weak=tx.strength_weak data-fair=tx.strength_fair data-strong=tx.strength_strong></div>
        <Field id="password_again" label=tx.password_again input_type="password"
            autocomplete="new-password" maxlength="128"
            error=Signal::stored(again_error) check=("password_again", messages("password_again", &[FieldError::Mismatch]))/>
        </div>
        </LiveChecks>
        <PasswordToggle targets="password password_again"/>
        </div>
    }
}

/// `/register/sent`: メール送信完了.
#[component]
pub fn SentPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let sent_to = Resource::new(|| (), |_| registration_sent_to());
    view! {
        <StepCard heading=tf.title title=tx.reg_sent step=RegistrationStep::MailSent restart=routes::START current=Resource::new(|| (), |_| registration_step())>
            <p class="mb-3 leading-relaxed" data-testid="sent">{tf.sent_body}</p>
            // Where it went, as typed: a mistyped address is seen here, not after a day of waiting.
            <Transition fallback=|| ()>
                {move || sent_to.get().and_then(|r| r.ok()).flatten().map(|to| view! {
                    <p class="mb-3 break-all font-bold" data-testid="sent-to">{(tf.sent_to)(&to)}</p>
                })}
            </Transition>
            <p class="text-sm text-slate-600">{tx.reg_sent_note}</p>
            <p class="mt-3 text-sm text-slate-600">{tf.sent_reregistration}</p>
            <p class="mt-4"><a class="link link-action" href=super::routes::START>{tx.start_over}</a></p>
        </StepCard>
    }
}

/// `/register/confirm?token=…`: what will be registered, the contact address, 次へ.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let locale = use_locale();
    let action = ServerAction::<CompleteRegistration>::new();
    let error = form_error();
    view! {
        <LinkPage title=tf.confirm load=get_confirmation restart=(routes::START, tx.start_over) children=move |c, token| {
            let choose = c.contact_options.len() > 1;
            view! {
                <p class="mb-4">{tf.confirm_lead}</p>
                {c.takes_effect_at.map(|at| view! {
                    <p class="alert alert-info mb-4" data-testid="held">{(tf.held_notice)(&format_datetime(locale, at))}</p>
                })}
                <FormAlert error=error/>
                <dl class="summary mb-4">
                    <dt class="font-bold">{tx.reg_name}</dt><dd><span lang="ja">{c.name.clone()}</span> " " {tx.honorific}</dd>
                    <dt class="font-bold">{tx.itscom_id_label}</dt><dd data-testid="new-id">{c.itscom_id.clone()}</dd>
                </dl>
                <ActionForm action=action attr:class="space-y-4">
                    <input type="hidden" name="token" value=token/>
                    {choose.then(|| view! {
                        <fieldset>
                            <legend class="field-label">{tf.contact_choose}</legend>
                            {c.contact_options.iter().enumerate().map(|(i, a)| view! {
                                <label class="flex min-h-11 cursor-pointer items-center gap-2">
                                    <input type="radio" name="contact" value=i.to_string() checked=i == 0 class="h-5 w-5"/>
                                    {a.clone()}
                                </label>
                            }).collect_view()}
                        </fieldset>
                    })}
                    <Submit label=tx.next/>
                </ActionForm>
            }
        }/>
    }
}

/// `/register/done`: 完了.
#[component]
pub fn DonePage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    view! {
        <Outcome heading=tf.title title=tx.reg_done testid="done" to=(LOGIN, tx.to_login)>{tf.done_body}</Outcome>
    }
}

/// 2020-01-01 and 2100-01-01 (unix seconds): the hold's end a pending page shows lies
/// between them.
const PLAUSIBLE_FROM: i64 = 1_577_836_800;
const PLAUSIBLE_UNTIL: i64 = 4_102_444_800;

/// `/register/pending?at=…`: a re-registration waits for its hold (or the account's
/// confirmation).
#[component]
pub fn PendingPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let locale = use_locale();
    let query = use_query_map();
    // A moment of this century only: the link is anyone's to write, and a far one
    // overflowed the date's arithmetic (a panic in a debug build, a wrapped date else).
    let at = move || {
        query
            .read()
            .get("at")
            .and_then(|a| a.parse::<i64>().ok())
            .filter(|a| (PLAUSIBLE_FROM..PLAUSIBLE_UNTIL).contains(a))
    };
    view! {
        <Outcome heading=tf.title title=tf.pending_title testid="pending" to=(LOGIN, tx.to_login)>
            {move || at().map(|at| (tf.pending_body)(&format_datetime(locale, at)))}
        </Outcome>
    }
}

/// `/register/review?token=…`: from the mail to the account's contact address,
/// `これは自分です` or `心当たりがない` (the page asks; only the button changes anything,
/// so a mail scanner opening the link does nothing).
#[component]
pub fn ReviewPage() -> impl IntoView {
    let tf = super::texts::t();
    let locale = use_locale();
    let action = ServerAction::<ReviewReregistration>::new();
    let error = form_error();
    view! {
        <LinkPage title=tf.review_title load=get_owner_review children=move |r, token| view! {
            <p class="mb-4 leading-relaxed">{match (r.confirm, r.held) {
                (true, false) => tf.review_lead_confirm,
                (true, true) => tf.review_lead_confirm_held,
                (false, _) => tf.review_lead_cancel,
            }}</p>
            <FormAlert error=error/>
            <Facts facts=vec![
                (tf.review_new_id, r.new_id.clone()),
                (tf.review_requested_at, format_datetime(locale, r.requested_at)),
                (tf.review_takes_effect, format_datetime(locale, r.takes_effect_at)),
            ]/>
            <ActionForm action=action>
                <input type="hidden" name="token" value=token/>
                <Submit label=if r.confirm { tf.review_confirm_button } else { tf.review_cancel_button }/>
            </ActionForm>
        }/>
    }
}

/// `/register/reviewed?result=…`: what the account's owner decided.
#[component]
pub fn ReviewedPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let query = use_query_map();
    let message = move || match query.read().get("result").as_deref() {
        Some("applied") => tf.review_done_applied,
        Some("held") => tf.review_done_held,
        Some("cancelled") => tf.review_done_cancelled,
        Some("unavailable") => tx.err_account_unavailable,
        _ => tf.review_done_confirmed,
    };
    view! {
        <Outcome heading=tf.review_title testid="reviewed" to=(LOGIN, tx.to_login)>{message}</Outcome>
    }
}

/// この登録に心当たりがない: the link mailed to the contact address on record when a
/// first registration completed (no login: the link is the proof). Shows the account
/// (its ID masked), asks before it acts, then names the support centre.
#[component]
pub fn StopPage() -> impl IntoView {
    let tf = super::texts::t();
    let locale = use_locale();
    let action = ServerAction::<StopRegistration>::new();
    let error = form_error();
    let done = move || {
        view! {
            <p class="mb-2" data-testid="stop-done">{tf.stop_done}</p>
            <crate::components::status::SupportLine/>
        }
    };
    view! {
        <LinkPage title=tf.stop_title load=get_registration_stop done=done children=move |s, token| view! {
            <p class="mb-4 leading-relaxed">{tf.stop_lead}</p>
            <FormAlert error=error/>
            <Facts facts=vec![(tf.stop_id, s.itscom_id.clone()), (tf.stop_at, format_datetime(locale, s.registered_at))]/>
            <ActionForm action=action>
                <input type="hidden" name="token" value=token/>
                <Submit label=tf.stop_button/>
            </ActionForm>
        }/>
    }
}

/// What a link is about, a term and its value a row (stacked on a phone).
#[component]
fn Facts(facts: Vec<(&'static str, String)>) -> impl IntoView {
    view! {
        <dl class="mb-4 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[auto_1fr] sm:gap-y-2">
            {facts.into_iter().map(|(term, value)| view! {
                <dt class="font-bold">{term}</dt><dd class="mb-2 break-all sm:mb-0">{value}</dd>
            }).collect_view()}
        </dl>
    }
}
