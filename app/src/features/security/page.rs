use super::api::{
    get_activity, get_login_step, get_recovery_codes, get_security_overview, get_two_step_setup,
    ConfirmTwoStep, DeletePasskey, DisableTwoStep, EndOtherSessions, EndSession, LoginSecondStep,
    RenamePasskey, RenewRecoveryCodes, SetNotices, StartTwoStep,
};
use super::texts::SecurityTexts;
use super::{routes, ActivityFilter, Device, PasskeyView, TwoStep};
use crate::components::form::{
    field_error, form_error, Field, FormAlert, PasskeyScript, PasswordAgain, PrintButton, Submit,
};
use crate::components::status::Loaded;
use crate::error::AppError;
use crate::features::login::MemberPage;
use crate::i18n::{format_datetime, t, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn method_label(tr: &'static SecurityTexts, method: &str) -> &'static str {
    match method {
        "two_step" => tr.method_two_step,
        "recovery_code" => tr.method_recovery_code,
        "passkey" => tr.method_passkey,
        _ => tr.method_password,
    }
}

/// The code field of a second step (the app's 6 digits or a recovery code).
#[component]
fn CodeField(error: Signal<Option<AppError>>, #[prop(default = "otp")] id: &'static str) -> impl IntoView {
    let tr = super::texts::t();
    view! {
        <Field id=id name="otp" label=tr.code_label hint=tr.code_hint autocomplete="one-time-code"
            inputmode="text" maxlength="20" error=field_error(t(), error, "otp")/>
    }
}

/// `/account/security`: ログイン・セキュリティ設定. Two-step verification (set up, turn
/// off, new recovery codes), ログイン中の端末 (each with ログアウトさせる, and
/// 他の端末をすべてログアウト), the notice mails of new browsers, and the way to
/// セキュリティ履歴.
#[component]
pub fn LoginSecurityPage() -> impl IntoView {
    let tr = super::texts::t();
    let overview = Resource::new(|| (), |_| get_security_overview());
    let query = use_query_map();
    let error = form_error();
    let done = move || {
        let q = query.read();
        q.get("done").and_then(|d| match d.as_str() {
            "session_ended" => Some(tr.done_session_ended.to_string()),
            // A count only: the link is anyone's to write, and its words would be the
            // portal's own in this status line.
            "others_ended" => {
                q.get("n").and_then(|n| n.parse::<u32>().ok()).map(|n| (tr.done_others_ended)(&n.to_string()))
            }
            "notices" => Some(tr.done_notices.to_string()),
            "two_step_off" => Some(tr.done_two_step_off.to_string()),
            "passkey_added" => Some(tr.done_passkey_added.to_string()),
            "passkey_renamed" => Some(tr.done_passkey_renamed.to_string()),
            "passkey_removed" => Some(tr.done_passkey_removed.to_string()),
            "passkey_removed_ended" => Some(tr.done_passkey_removed_ended.to_string()),
            _ => None,
        })
    };
    view! {
        <MemberPage title={t().menu_settings_login_security}>
            {move || done().map(|m| view! { <p class="alert alert-info mb-4 max-w-3xl" role="status" data-testid="security-done">{m}</p> })}
            <Loaded resource=overview children=move |o| view! {
                <div class="max-w-3xl space-y-4">
                    <p>{tr.lead}</p>
                    {move || error.get().filter(|e| !matches!(e, AppError::Invalid { .. })).map(|e| view! { <FormAlert error=Signal::derive(move || Some(e.clone()))/> })}
                    <PasskeysSection passkeys=o.passkeys.clone() needs_password=o.needs_password
                        needs_code=matches!(o.two_step, TwoStep::On { .. }) error=error/>
                    <TwoStepSection state=o.two_step.clone() error=error/>
                    <DevicesSection devices=o.devices.clone()/>
                    <NoticesSection on=o.new_browser_mail needs_password=o.needs_password error=error/>
                    <section class="card">
                        <h2 class="card-title">{tr.activity_title}</h2>
                        <p class="mb-3 text-sm text-slate-700">{tr.activity_lead}</p>
                        <a class="btn" href=routes::ACTIVITY data-testid="activity-link">{tr.activity_link}</a>
                    </section>
                </div>
            }/>
        </MemberPage>
    }
}

#[component]
fn PasskeysSection(
    passkeys: Vec<PasskeyView>,
    needs_password: bool,
    /// Two-step verification is on: adding a passkey asks for a code too.
    needs_code: bool,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let tr = super::texts::t();
    let locale = use_locale();
    let rename = ServerAction::<RenamePasskey>::new();
    let delete = ServerAction::<DeletePasskey>::new();
    view! {
        <section class="card" id="passkeys" data-passkey-register=""
            data-err-failed=tr.passkey_failed data-err-password=tr.passkey_password
            data-err-otp=needs_code.then_some(tr.passkey_code)
            data-err-throttled=t().err_throttled data-err-locked=t().err_locked>
            <h2 class="card-title">{tr.passkeys_title}</h2>
            <p class="mb-3 text-sm text-slate-700">{tr.passkeys_lead}</p>
            {if passkeys.is_empty() {
                view! { <p class="mb-3" data-testid="passkeys-none">{tr.passkeys_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="mb-4 divide-y divide-slate-200" data-testid="passkeys">
                        {passkeys.into_iter().map(|p| { let (id1, id2, id3, id4) = (p.id.clone(), p.id.clone(), p.id.clone(), p.id.clone()); view! {
                            <li class="grid gap-2 py-3 sm:grid-cols-[1fr_auto] sm:items-start" data-testid="passkey">
                                <div>
                                    <p class="font-bold break-all" data-testid="passkey-name">{p.name.clone()}</p>
                                    <dl class="grid grid-cols-[auto_1fr] gap-x-3 text-sm">
                                        <dt class="text-slate-700">{tr.passkey_created}</dt><dd>{format_datetime(locale, p.created_at)}</dd>
                                        <dt class="text-slate-700">{tr.passkey_last_used}</dt>
                                        <dd>{p.last_used_at.map(|at| format_datetime(locale, at)).unwrap_or_else(|| tr.passkey_never_used.to_string())}</dd>
                                    </dl>
                                </div>
                                <div class="flex flex-wrap gap-2">
                                    <details>
                                        <summary class="btn-ghost cursor-pointer" aria-label=format!("{} {}", p.name, tr.passkey_rename)>{tr.passkey_rename}</summary>
                                        <ActionForm action=rename attr:class="mt-2 space-y-2" attr:novalidate="">
                                            <input type="hidden" name="id" value=id1/>
                                            <Field id=format!("passkey-name-{id2}") name="name" label=tr.passkey_name maxlength="80"
                                                error=field_error(t(), error, "passkey_name")/>
                                            <Submit label=tr.passkey_rename/>
                                        </ActionForm>
                                    </details>
                                    <details>
                                        <summary class="btn-ghost cursor-pointer" aria-label=format!("{} {}", p.name, tr.passkey_delete)>{tr.passkey_delete}</summary>
                                        <ActionForm action=delete attr:class="mt-2 space-y-2" attr:novalidate="">
                                            <p class="text-sm">{tr.passkey_delete_confirm}</p>
                                            <input type="hidden" name="id" value=id3/>
                                            <PasswordAgain needed=needs_password error=error id=format!("passkey-password-{id4}")/>
                                            <Submit label=tr.passkey_delete/>
                                        </ActionForm>
                                    </details>
                                </div>
                            </li>
                        }}).collect_view()}
                    </ul>
                }.into_any()
            }}
            <div class="space-y-3">
                {needs_password.then(|| view! {
                    <div>
                        <label for="passkey-password" class="field-label">{t().current_password}</label>
                        <input id="passkey-password" type="password" class="field-input" autocomplete="current-password" maxlength="128"/>
                    </div>
                })}
                {needs_code.then(|| view! {
                    <div>
                        <label for="passkey-otp" class="field-label">{tr.code_label}</label>
                        // Why a code here: it would read as a passkey's own need.
                        <p id="passkey-otp-hint" class="mb-1 text-sm text-slate-600"><span class="block">{tr.passkey_code_why}</span>{tr.code_hint}</p>
                        <input id="passkey-otp" type="text" class="field-input" autocomplete="one-time-code"
                            inputmode="text" maxlength="20" aria-describedby="passkey-otp-hint"/>
                    </div>
                })}
                <p class="text-sm font-bold text-red-700" role="alert" data-passkey-error="" hidden></p>
                <button type="button" class="btn js-only" data-passkey-add="" data-testid="passkey-add" hidden>{tr.passkey_add}</button>
                <noscript><p class="text-sm">{tr.passkey_needs_js}</p></noscript>
            </div>
            <PasskeyScript/>
        </section>
    }
}

#[component]
fn TwoStepSection(state: TwoStep, error: Signal<Option<AppError>>) -> impl IntoView {
    let tr = super::texts::t();
    let start = ServerAction::<StartTwoStep>::new();
    let off = ServerAction::<DisableTwoStep>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let body = match state {
        TwoStep::Unavailable => {
            view! { <p data-testid="two-step-state">{tr.two_step_unavailable}</p> }.into_any()
        }
        TwoStep::Off => view! {
            <p class="mb-3 font-bold" data-testid="two-step-state">{tr.two_step_off}</p>
            <ActionForm action=start attr:class="space-y-3" attr:novalidate="">
                <PasswordAgain needed=true error=error id="start-password"/>
                <Submit label=tr.two_step_start/>
            </ActionForm>
        }
        .into_any(),
        TwoStep::On { codes_left } => view! {
            <p class="mb-1 font-bold" data-testid="two-step-state">{tr.two_step_on}</p>
            <p class="mb-3 text-sm" data-testid="codes-left">{(tr.codes_left)(codes_left)}</p>
            <details class="mb-3">
                <summary class="btn-ghost cursor-pointer">{tr.codes_renew}</summary>
                <ActionForm action=renew attr:class="mt-2 space-y-3" attr:novalidate="">
                    <p class="text-sm text-slate-700">{tr.codes_renew_lead}</p>
                    <PasswordAgain needed=true error=error id="renew-password"/>
                    <CodeField error=error id="renew-code"/>
                    <Submit label=tr.codes_renew/>
                </ActionForm>
            </details>
            <details>
                <summary class="btn-ghost cursor-pointer">{tr.two_step_disable}</summary>
                <ActionForm action=off attr:class="mt-2 space-y-3" attr:novalidate="">
                    <p class="text-sm text-slate-700">{tr.two_step_disable_lead}</p>
                    <PasswordAgain needed=true error=error id="off-password"/>
                    <CodeField error=error id="off-code"/>
                    <Submit label=tr.two_step_disable/>
                </ActionForm>
            </details>
        }
        .into_any(),
    };
    view! {
        <section class="card" id="two-step">
            <h2 class="card-title">{tr.two_step_title}</h2>
            <p class="mb-3 text-sm text-slate-700">{tr.two_step_lead}</p>
            {body}
        </section>
    }
}

#[component]
fn DevicesSection(devices: Vec<Device>) -> impl IntoView {
    let tr = super::texts::t();
    let locale = use_locale();
    let end = ServerAction::<EndSession>::new();
    let others = ServerAction::<EndOtherSessions>::new();
    let has_others = devices.iter().any(|d| !d.current);
    view! {
        <section class="card" id="devices">
            <h2 class="card-title">{tr.devices_title}</h2>
            <p class="mb-3 text-sm text-slate-700">{tr.devices_lead}</p>
            <ul class="mb-4 divide-y divide-slate-200" data-testid="devices">
                {devices.into_iter().map(|d| view! {
                    <li class="grid gap-2 py-3 sm:grid-cols-[1fr_auto] sm:items-start" data-testid="device">
                        <div>
                            <p class="font-bold">
                                {d.browser.clone()}
                                {d.current.then(|| view! { " " <span class="badge badge-ok" data-testid="this-device">{tr.this_device}</span> })}
                            </p>
                            <dl class="grid grid-cols-[auto_1fr] gap-x-3 text-sm">
                                <dt class="text-slate-700">{tr.signed_in_at}</dt><dd>{format_datetime(locale, d.signed_in_at)}</dd>
                                <dt class="text-slate-700">{tr.last_active}</dt><dd>{format_datetime(locale, d.last_active_at)}</dd>
                                <dt class="text-slate-700">{tr.address}</dt><dd class="break-all">{d.from.clone()}</dd>
                                <dt class="text-slate-700">{tr.method}</dt><dd data-testid="device-method">{method_label(tr, &d.method)}</dd>
                            </dl>
                        </div>
                        {(!d.current).then(|| view! {
                            <details>
                                <summary class="btn-ghost cursor-pointer" aria-label=format!("{} {}", d.browser, tr.end_session)>{tr.end_session}</summary>
                                <ActionForm action=end attr:class="mt-2">
                                    <input type="hidden" name="id" value=d.id.clone()/>
                                    <Submit label=tr.end_session/>
                                </ActionForm>
                            </details>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {if has_others {
                view! {
                    <details>
                        <summary class="btn-ghost cursor-pointer">{tr.end_others}</summary>
                        <ActionForm action=others attr:class="mt-2 space-y-2">
                            <p class="text-sm">{tr.end_others_confirm}</p>
                            <Submit label=tr.end_others/>
                        </ActionForm>
                    </details>
                }.into_any()
            } else {
                view! { <p class="text-sm text-slate-700">{tr.no_other_devices}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn NoticesSection(on: bool, needs_password: bool, error: Signal<Option<AppError>>) -> impl IntoView {
    let tr = super::texts::t();
    let save = ServerAction::<SetNotices>::new();
    view! {
        <section class="card" id="notices">
            <h2 class="card-title">{tr.notices_title}</h2>
            <ActionForm action=save attr:class="space-y-3" attr:novalidate="">
                <fieldset>
                    <legend class="mb-2 text-sm text-slate-700">{tr.notices_lead}</legend>
                    <div class="space-y-2">
                        <label class="flex min-h-11 cursor-pointer items-center gap-3">
                            <input type="radio" name="notices" value="on" class="h-5 w-5" checked=on/>{tr.notices_on}
                        </label>
                        <label class="flex min-h-11 cursor-pointer items-center gap-3">
                            <input type="radio" name="notices" value="off" class="h-5 w-5" checked=!on/>{tr.notices_off}
                        </label>
                    </div>
                </fieldset>
                // Asked when they are turned off (a change to on needs none).
                <PasswordAgain needed=needs_password error=error id="notices-password"/>
                <Submit label=tr.notices_save/>
            </ActionForm>
        </section>
    }
}

/// `/account/security/two-step`: the authenticator app's QR code and key, and its first
/// code, which turns two-step verification on.
#[component]
pub fn TwoStepSetupPage() -> impl IntoView {
    let tr = super::texts::t();
    let setup = Resource::new(|| (), |_| get_two_step_setup());
    let error = form_error();
    let confirm = ServerAction::<ConfirmTwoStep>::new();
    view! {
        <MemberPage title=tr.setup_title>
            <Loaded resource=setup children=move |s| match s {
                None => view! {
                    <div class="card max-w-2xl space-y-3">
                        <p data-testid="setup-none">{tr.setup_none}</p>
                        <a class="link link-action" href=routes::SECURITY>{tr.back}</a>
                    </div>
                }.into_any(),
                Some(s) => view! {
                    <div class="card max-w-2xl space-y-4">
                        {move || error.get().filter(|e| !matches!(e, AppError::Invalid { .. })).map(|e| view! { <FormAlert error=Signal::derive(move || Some(e.clone()))/> })}
                        <p>{tr.setup_step1}</p>
                        // On a phone, where the app usually is, its button comes before a
                        // QR code the phone cannot scan of itself.
                        <div class="flex flex-col gap-4">
                            <div class="mx-auto h-52 w-52 [&>svg]:h-full [&>svg]:w-full" inner_html=s.qr_svg.clone()></div>
                            <div class="order-first space-y-1 md:order-none">
                                <p class="text-sm">{tr.setup_open_app_hint}</p>
                                <a class="btn-ghost" href=s.uri.clone() data-testid="two-step-open-app">{tr.setup_open_app}</a>
                            </div>
                        </div>
                        <p class="text-sm">{tr.setup_key}</p>
                        // Wrapped between its groups of four, never inside one.
                        <p class="break-words rounded bg-slate-100 p-2 text-center font-mono text-lg tracking-wider" data-testid="two-step-key">{s.key.clone()}</p>
                        <p>{tr.setup_step2}</p>
                        <p class="text-sm" data-testid="setup-signs-out">{tr.setup_signs_out}</p>
                        <ActionForm action=confirm attr:class="space-y-3" attr:novalidate="">
                            <Field id="otp" label=tr.code_label autocomplete="one-time-code" inputmode="numeric"
                                maxlength="7" error=first_code_error(tr, error)/>
                            <Submit label=tr.setup_confirm/>
                        </ActionForm>
                        <a class="link link-action" href=routes::SECURITY>{tr.back}</a>
                    </div>
                }.into_any(),
            }/>
        </MemberPage>
    }
}

/// The first code's error: a malformed one is asked for as the app's 6 digits (no
/// recovery code exists yet, though the login's words name one).
fn first_code_error(tr: &'static SecurityTexts, error: Signal<Option<AppError>>) -> Signal<Option<String>> {
    use crate::domain::FieldError as E;
    let other = field_error(t(), error, "otp");
    Signal::derive(move || match error.get() {
        Some(AppError::Invalid { field, error: E::InvalidFormat | E::InvalidCharacters })
            if field == "otp" =>
        {
            Some(tr.setup_code_format.to_string())
        }
        _ => other.get(),
    })
}

/// `/account/security/two-step/codes`: the 10 recovery codes, shown once (printable).
#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let tr = super::texts::t();
    let codes = Resource::new(|| (), |_| get_recovery_codes());
    // Turned on just now: the other devices it signed out.
    let others_ended = StoredValue::new(
        use_query_map()
            .read_untracked()
            .get("others_ended")
            .and_then(|n| n.parse::<u32>().ok())
            .map(|n| (tr.done_others_ended)(&n.to_string())),
    );
    view! {
        <MemberPage title=tr.codes_title>
            <Loaded resource=codes children=move |c| match c {
                None => view! {
                    <div class="card max-w-2xl space-y-3">
                        <p data-testid="codes-gone">{tr.codes_gone}</p>
                        <a class="link link-action" href=routes::SECURITY>{tr.back}</a>
                    </div>
                }.into_any(),
                Some(made) => view! {
                    <div class="card max-w-2xl space-y-4">
                        <p class="alert alert-info" role="status">{tr.codes_new}{others_ended.get_value().map(|o| view! { <span data-testid="others-ended">{crate::i18n::sentence_gap(t())}{o}</span> })}</p>
                        <p>{tr.codes_lead}</p>
                        // Whose they are, on the screen and on paper.
                        <p class="break-all font-bold" data-testid="codes-for">{(tr.codes_for)(&made.itscom_id, &format_datetime(use_locale(), made.shown_at))}</p>
                        <ol class="grid grid-cols-2 gap-2 font-mono text-lg" data-testid="recovery-codes">
                            {made.codes.into_iter().map(|c| view! { <li class="rounded bg-slate-100 p-2 text-center" data-testid="recovery-code">{c}</li> }).collect_view()}
                        </ol>
                        <div class="no-print flex flex-wrap items-center gap-4">
                            <PrintButton>{t().print}</PrintButton>
                            <a class="link link-action" href=routes::SECURITY>{tr.back}</a>
                        </div>
                    </div>
                }.into_any(),
            }/>
        </MemberPage>
    }
}

/// `/account/security/activity`: セキュリティ履歴, newest first, 20 a page, narrowed by
/// kind (a plain GET form).
#[component]
pub fn ActivityPage() -> impl IntoView {
    let tr = super::texts::t();
    let locale = use_locale();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (q.get("kind").unwrap_or_default(), q.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(0))
    };
    let activity = Resource::new(args, |(kind, page)| get_activity(kind, page));
    let filter_label = move |f: ActivityFilter| match f {
        ActivityFilter::All => tr.activity_all,
        ActivityFilter::Logins => tr.activity_logins,
        ActivityFilter::Security => tr.activity_security,
        ActivityFilter::Profile => tr.activity_profile,
        ActivityFilter::Services => tr.activity_services,
    };
    view! {
        <MemberPage title=tr.activity_title>
            <Loaded resource=activity children=move |a| view! {
                <div class="max-w-3xl space-y-4">
                    <p>{tr.activity_lead}</p>
                    <form method="get" action=routes::ACTIVITY class="card flex flex-wrap items-end gap-3">
                        <div>
                            <label for="kind" class="field-label">{tr.activity_filter}</label>
                            <select id="kind" name="kind" class="field-input">
                                {ActivityFilter::ALL.into_iter().map(|f| view! {
                                    <option value=f.code() selected=f == a.filter>{filter_label(f)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="btn">{tr.activity_show}</button>
                    </form>
                    <section class="card">
                        {if a.entries.is_empty() {
                            view! { <p data-testid="activity-none">{tr.activity_none}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="divide-y divide-slate-200" data-testid="activity">
                                    {a.entries.iter().map(|e| view! {
                                        <li class="grid gap-1 py-3 sm:grid-cols-[11rem_1fr] sm:gap-4" data-testid="activity-entry" data-kind=e.kind.clone()>
                                            <p class="text-sm text-slate-700"><span class="sr-only">{tr.activity_when} </span>{format_datetime(locale, e.at)}</p>
                                            <div>
                                                <p class="font-bold">{super::texts::event_label(locale, &e.kind).unwrap_or("-")}</p>
                                                <p class="text-sm text-slate-700">
                                                    <span class="sr-only">{tr.activity_where} </span>
                                                    {e.browser.clone().map(|b| format!("{b} · ")).unwrap_or_default()}{e.from.clone()}
                                                </p>
                                            </div>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                    <nav class="flex flex-wrap justify-between gap-3" aria-label=tr.activity_title>
                        {(a.page > 0).then(|| view! { <a class="link link-action" rel="prev" href=routes::activity(a.filter.code(), a.page - 1)>{tr.newer}</a> })}
                        {a.has_older.then(|| view! { <a class="link link-action" rel="next" data-testid="activity-older" href=routes::activity(a.filter.code(), a.page + 1)>{tr.older}</a> })}
                    </nav>
                    <a class="link link-action" href=routes::SECURITY>{tr.back}</a>
                </div>
            }/>
        </MemberPage>
    }
}

/// `/login/two-step`: the login's second step (the app's code or a recovery code). A
/// browser with no login waiting is sent back to log in.
#[component]
pub fn LoginTwoStepPage() -> impl IntoView {
    let tr = super::texts::t();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    let waiting = Resource::new(|| (), |_| get_login_step());
    let error = form_error();
    let action = ServerAction::<LoginSecondStep>::new();
    let login = move || crate::features::login::login_url(&next());
    view! {
        <h1 class="page-title">{tr.login_title}</h1>
        <Suspense fallback=|| view! { <crate::components::status::Loading/> }>
        <Loaded resource=waiting children=move |waiting| if waiting {
            view! {
                <div class="card max-w-xl space-y-4">
                    <p>{tr.login_lead}</p>
                    {move || error.get().filter(|e| !matches!(e, AppError::Invalid { .. })).map(|e| view! { <FormAlert error=Signal::derive(move || Some(e.clone()))/> })}
                    <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                        <input type="hidden" name="next" value=next/>
                        <CodeField error=error/>
                        <Submit label=tr.login_submit/>
                    </ActionForm>
                    <div class="text-sm text-slate-700">
                        <p>{tr.login_lost}</p>
                        <crate::components::status::SupportLine/>
                    </div>
                    // The way out, for a customer without her phone: not a dead end.
                    <p class="flex flex-wrap gap-x-6">
                        <a class="link link-action" href=crate::features::recovery::routes::START data-testid="login-step-lost">{t().forgot_link}</a>
                        <a class="link link-action" href=login()>{t().to_login}</a>
                    </p>
                </div>
            }.into_any()
        } else {
            view! {
                <div class="card max-w-xl space-y-3">
                    <p class="alert alert-error" role="alert" data-testid="login-step-expired">{tr.login_expired}</p>
                    <a class="btn" href=login()>{crate::features::login::texts::t().title}</a>
                </div>
            }.into_any()
        }/>
        </Suspense>
    }
}
