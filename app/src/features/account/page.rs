use super::api::{
    get_account_overview, get_id_change_cancel, get_id_change_draft, get_id_change_link, CancelIdChange,
    ConfirmIdChange, StartIdChange, SubmitIdChange,
};
use super::{routes, IdChangeStep};
use crate::components::form::{field_error, form_error, Field, FormAlert, Submit};
use crate::components::status::{ErrorNotice, Loading};
use crate::error::AppError;
use crate::features::login::RequireLogin;
use crate::flow::AtStep;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A definition list row: a label and its value.
#[component]
fn Row(
    label: &'static str,
    #[prop(into)] value: String,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    view! {
        <dt class="font-bold">{label}</dt>
        <dd class="break-all" data-testid=(!testid.is_empty()).then_some(testid)>{value}</dd>
    }
}

/// `/account`: お客さま情報確認・変更.
#[component]
pub fn AccountPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let overview = Resource::new(|| (), |_| get_account_overview());
    view! {
        <h1 class="page-title">{tx.menu_settings_customer}</h1>
        <RequireLogin>
            {move || overview.get().map(|r| match r {
                Ok(o) => view! {
                    <section class="card max-w-2xl">
                        <h2 class="card-title">{tf.info}</h2>
                        <dl class="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
                            <Row label=tx.reg_name value=format!("{} {}", o.name, tx.honorific)/>
                            <Row label=tx.customer_number value=o.customer_no.clone()/>
                            <Row label=tx.itscom_id_label value=o.itscom_id.clone() testid="account-id"/>
                            <Row label=tx.reg_contact_label value=o.contact_email.clone().unwrap_or_default()
                                testid="account-contact"/>
                        </dl>
                        {o.pending_id.clone().map(|id| view! {
                            <p class="alert alert-info mb-4" data-testid="pending-id">
                                {(tf.pending)(&id)}
                            </p>
                        })}
                        <a class="btn" href="/account/edit">{tf.edit_button}</a>
                    </section>
                }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </RequireLogin>
    }
}

/// `/account/edit`: アカウント情報, with `変更` beside the iTSCOM ID.
#[component]
pub fn AccountEditPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let overview = Resource::new(|| (), |_| get_account_overview());
    view! {
        <h1 class="page-title">{tf.edit_title}</h1>
        <RequireLogin>
            {move || overview.get().map(|r| match r {
                Ok(o) => view! {
                    <section class="card max-w-2xl">
                        <dl class="divide-y divide-slate-200">
                            <div class="flex flex-wrap items-center justify-between gap-2 py-3">
                                <div>
                                    <dt class="font-bold">{tx.itscom_id_label}</dt>
                                    <dd class="break-all">{o.itscom_id.clone()}</dd>
                                </div>
                                <a class="btn-ghost" href="/account/id"
                                    aria-label=format!("{} {}", tx.itscom_id_label, tf.change)>{tf.change}</a>
                            </div>
                            <div class="py-3">
                                <dt class="font-bold">{tx.reg_contact_label}</dt>
                                <dd class="break-all">{o.contact_email.clone().unwrap_or_default()}</dd>
                            </div>
                        </dl>
                        <p class="mt-4"><a class="link" href="/account">{tx.back}</a></p>
                    </section>
                }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </RequireLogin>
    }
}

/// `/account/id`: `新しいiTSCOM ID`, `次へ`.
#[component]
pub fn IdChangePage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let overview = Resource::new(|| (), |_| get_account_overview());
    let action = ServerAction::<StartIdChange>::new();
    let error = form_error();
    view! {
        <h1 class="page-title">{tf.id_title}</h1>
        <RequireLogin>
            <section class="card max-w-2xl">
                <p class="mb-4">{tf.id_lead}</p>
                <dl class="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
                    <dt class="font-bold">{tf.id_current}</dt>
                    <dd class="break-all">
                        {move || overview.get().and_then(Result::ok).map(|o| o.itscom_id)}
                    </dd>
                </dl>
                <FormAlert error=error/>
                <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                    <Field id="new_itscom_id" label=tf.id_new hint=tf.id_new_hint input_type="email"
                        autocomplete="email" inputmode="email" maxlength="100"
                        error=field_error(tx, error, "new_itscom_id")/>
                    <div class="flex flex-wrap items-center gap-4">
                        <Submit label=tx.next/>
                        <a class="link" href="/account/edit">{tx.back}</a>
                    </div>
                </ActionForm>
            </section>
        </RequireLogin>
    }
}

/// `/account/id/confirm`: the contact-address choice, the summary (and the password
/// when the login is older than 5 minutes), `登録`.
#[component]
pub fn IdChangeConfirmPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let draft = Resource::new(|| (), |_| get_id_change_draft());
    let action = ServerAction::<SubmitIdChange>::new();
    let error = form_error();
    let contact_error = field_error(tx, error, "contact");
    view! {
        <h1 class="page-title">{tf.id_title}</h1>
        <RequireLogin>
            <AtStep step=IdChangeStep::Confirm restart=routes::ID current=draft let:d>
                    <section class="card max-w-2xl">
                        <p class="mb-4">{tf.id_confirm_lead}</p>
                        <FormAlert error=error/>
                        <dl class="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
                            <Row label=tf.id_current value=d.current_id.clone()/>
                            <Row label=tf.id_new value=d.new_id.clone() testid="new-id"/>
                        </dl>
                        <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                            <fieldset aria-describedby=move || contact_error.get().map(|_| "contact-error")>
                                <legend class="field-label">{tf.id_contact_legend}</legend>
                                <label class="flex min-h-11 cursor-pointer items-center gap-2">
                                    <input type="radio" name="contact" value="new" class="h-5 w-5"/>
                                    {tf.id_contact_new}
                                </label>
                                <label class="flex min-h-11 cursor-pointer items-center gap-2">
                                    <input type="radio" name="contact" value="keep" class="h-5 w-5"/>
                                    {format!("{}（{}）", tf.id_contact_keep, d.contact_email.clone().unwrap_or_default())}
                                </label>
                            </fieldset>
                            {move || contact_error.get().map(|m| view! {
                                <p id="contact-error" class="text-sm font-bold text-red-700">{m}</p>
                            })}
                            {d.needs_password.then(|| view! {
                                <p class="text-sm text-slate-700">{tf.id_password_lead}</p>
                                <Field id="password" label=tx.current_password input_type="password"
                                    autocomplete="current-password" maxlength="32"
                                    error=field_error(tx, error, "current_password")/>
                            })}
                            <div class="flex flex-wrap items-center gap-4">
                                <Submit label=tx.register/>
                                <a class="link" href="/account/id">{tx.back}</a>
                            </div>
                        </ActionForm>
                    </section>
            </AtStep>
        </RequireLogin>
    }
}

/// `/account/id/sent`: the confirmation mail is on its way.
#[component]
pub fn IdChangeSentPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    view! {
        <h1 class="page-title">{tf.id_title}</h1>
        <section class="card max-w-2xl">
            <h2 class="card-title">{tx.reg_sent}</h2>
            <p class="mb-4 leading-relaxed" data-testid="id-change-sent">{tf.id_sent_body}</p>
            <p class="text-sm text-slate-600">{tx.reg_sent_note}</p>
            <p class="mt-4"><a class="link" href="/account">{tx.menu_settings_customer}</a></p>
        </section>
    }
}

/// `/account/id/verify?token=…`: what the link will change; `変更を確定する`.
#[component]
pub fn IdChangeVerifyPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let link = Resource::new(token, get_id_change_link);
    let action = ServerAction::<ConfirmIdChange>::new();
    let error = form_error();
    let taken = field_error(tx, error, "new_itscom_id");
    view! {
        <h1 class="page-title">{tf.id_title}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || link.get().map(|r| match r {
                Ok(l) => view! {
                    <section class="card max-w-2xl">
                        <p class="mb-4">{tf.id_verify_lead}</p>
                        <FormAlert error=error/>
                        {move || taken.get().map(|m| view! { <p class="alert alert-error mb-4" role="alert">{m}</p> })}
                        <dl class="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
                            <Row label=tf.id_current value=l.current_id.clone()/>
                            <Row label=tf.id_new value=l.new_id.clone() testid="new-id"/>
                            <Row label=tx.reg_contact_label
                                value=if l.sets_contact { tf.id_contact_will_change } else { tf.id_contact_unchanged }/>
                        </dl>
                        <ActionForm action=action>
                            <input type="hidden" name="token" value=token/>
                            <Submit label=tf.id_verify_button/>
                        </ActionForm>
                    </section>
                }.into_any(),
                Err(AppError::LinkInvalid) => view! {
                    <p class="alert alert-error" role="alert">{tx.err_link_invalid}</p>
                    <p class="mt-4"><a class="link" href="/account">{tx.menu_settings_customer}</a></p>
                }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

/// `/account/id/done`.
#[component]
pub fn IdChangeDonePage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    view! {
        <h1 class="page-title">{tf.id_title}</h1>
        <section class="card max-w-2xl">
            <h2 class="card-title">{tx.reg_done}</h2>
            <p class="mb-4 leading-relaxed" data-testid="id-change-done">{tf.id_done_body}</p>
            <a class="btn" href="/">{tx.to_top}</a>
        </section>
    }
}

/// `/account/id/cancel?token=…`: from the mail to the contact address, `変更を取り消す`.
#[component]
pub fn IdChangeCancelPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let link = Resource::new(token, get_id_change_cancel);
    let action = ServerAction::<CancelIdChange>::new();
    let error = form_error();
    view! {
        <h1 class="page-title">{tf.id_title}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || link.get().map(|r| match r {
                Ok(l) => view! {
                    <section class="card max-w-2xl">
                        <p class="mb-4">{tf.id_cancel_lead}</p>
                        <FormAlert error=error/>
                        <dl class="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
                            <Row label=tf.id_current value=l.current_id.clone()/>
                            <Row label=tf.id_new value=l.new_id.clone() testid="new-id"/>
                        </dl>
                        <ActionForm action=action>
                            <input type="hidden" name="token" value=token/>
                            <Submit label=tf.id_cancel_button/>
                        </ActionForm>
                    </section>
                }.into_any(),
                Err(AppError::LinkInvalid) => view! {
                    <p class="alert alert-error" role="alert">{tx.err_link_invalid}</p>
                }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

/// `/account/id/cancelled`.
#[component]
pub fn IdChangeCancelledPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    view! {
        <h1 class="page-title">{tf.id_title}</h1>
        <section class="card max-w-2xl">
            <p class="mb-4 leading-relaxed" data-testid="id-change-cancelled">{tf.id_cancelled_body}</p>
            <a class="btn" href="/login">{tx.to_login}</a>
        </section>
    }
}
