use super::api::{
    get_account_overview, get_id_change_cancel, get_id_change_draft, get_id_change_link, CancelIdChange,
    ConfirmIdChange, StartIdChange, SubmitIdChange,
};
use super::profile::{
    get_contact_link, get_contact_revert, AddPhone, ChangeContact, ConfirmContactChange, RemovePhone,
    RevertContactChange,
};
use super::{routes, IdChangeStep};
use crate::components::card::Outcome;
use crate::components::form::{field_error, form_error, Field, FormAlert, PasswordAgain, Submit};
use crate::components::link::LinkPage;
use crate::components::status::Loaded;
use crate::components::step::AtStep;
use crate::error::AppError;
use crate::features::login::routes::LOGIN;
use crate::features::login::MemberPage;
use crate::features::top::routes::TOP;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A definition list row: a label and its value.
#[component]
fn Row(
    label: &'static str,
    #[prop(into)] value: String,
    #[prop(optional)] testid: &'static str,
    /// `ja` for a name or an address, which stays Japanese on an English page.
    #[prop(optional)]
    lang: Option<&'static str>,
) -> impl IntoView {
    view! {
        <dt class="font-bold">{label}</dt>
        <dd class="break-words" lang=lang data-testid=(!testid.is_empty()).then_some(testid)>{value}</dd>
    }
}

/// `/account`: お客さま情報確認・変更. Name, kana, address (changed with documents: the
/// page says which), the phone numbers (add, remove), the contact address (one of the
/// customer's mailboxes at once, another by a mailed link) and the account information.
#[component]
pub fn AccountPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let prefs = crate::context::PagePrefs::current();
    // Copy: read where the page's data is shown, in each render of it.
    let documents_contact =
        StoredValue::new((tf.documents_contact)(&prefs.support_phone, &prefs.support_hours));
    let support_phone = StoredValue::new(prefs.support_phone.clone());
    let overview = Resource::new(|| (), |_| get_account_overview());
    let query = use_query_map();
    let error = form_error();
    let add = ServerAction::<AddPhone>::new();
    let remove = ServerAction::<RemovePhone>::new();
    let contact = ServerAction::<ChangeContact>::new();
    let done = move || query.read().get("done");
    view! {
        <MemberPage title=tx.menu_settings_customer>
            {move || done().and_then(|d| match d.as_str() {
                "phone_added" => Some(tf.phone_added.to_string()),
                "phone_removed" => Some(tf.phone_removed.to_string()),
                "contact_changed" => Some(tf.contact_changed.to_string()),
                _ => None,
            }).map(|m| view! { <p class="alert alert-info mb-4 max-w-2xl" role="status" data-testid="account-done">{m}</p> })}
            <Loaded resource=overview children=move |o| {
                let password = o.needs_password;
                let phone_error = field_error(tx, error, "phone");
                let last_error = field_error(tx, error, "remove_phone");
                let email_error = field_error(tx, error, "contact_email");
                let choice_error = field_error(tx, error, "contact");
                let can_remove = o.phones.len() > 1;
                let can_add = o.phones.len() < super::MAX_PHONES;
                let current = o.contact_email.clone().unwrap_or_default();
                view! {
                    <div class="max-w-2xl space-y-4">
                        {move || error.get().filter(|e| !matches!(e, AppError::Invalid { .. })).map(|e| view! { <FormAlert error=Signal::derive(move || Some(e.clone()))/> })}
                        <section class="card">
                            <h2 class="card-title">{tf.info}</h2>
                            <dl class="summary mb-4">
                                <Row label=tx.reg_name value=format!("{} {}", o.name, tx.honorific).trim_end().to_string() lang="ja"/>
                                <Row label=tf.kana value=o.name_kana.clone() lang="ja"/>
                                <Row label=tx.customer_number value=o.customer_no.clone()/>
                                <Row label=tf.address value=format!("〒{} {}", o.postal_code, o.address) lang="ja"/>
                                <Row label=tx.itscom_id_label value=o.itscom_id.clone() testid="account-id"/>
                            </dl>
                            {o.pending_id.clone().map(|id| view! {
                                <p class="alert alert-info mb-4" data-testid="pending-id">
                                    {(tf.pending)(&id)}
                                </p>
                            })}
                            <a class="btn" href=super::routes::EDIT>{tf.edit_button}</a>
                        </section>
                        <section class="card" id="phones">
                            <h2 class="card-title">{tf.phones_title}</h2>
                            <p class="mb-3 text-sm text-slate-700">{tf.phones_lead}</p>
                            {move || last_error.get().map(|m| view! { <p class="alert alert-error mb-3" role="alert">{m}</p> })}
                            <ul class="mb-4 divide-y divide-slate-200" data-testid="phones">
                                {o.phones.clone().into_iter().map(|p| view! {
                                    <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                        <span class="font-bold tabular-nums" data-testid="phone">{p.clone()}</span>
                                        {can_remove.then(|| view! {
                                            <details>
                                                <summary class="btn-ghost cursor-pointer" aria-label=format!("{} {}", p, tf.phone_remove)>{tf.phone_remove}</summary>
                                                <ActionForm action=remove attr:class="mt-2 space-y-2">
                                                    <p class="text-sm" data-testid="phone-remove-confirm">{(tf.phone_remove_confirm)(&p)}</p>
                                                    <input type="hidden" name="phone" value=p.clone()/>
                                                    <PasswordAgain needed=password id=format!("remove-password-{}", p.replace('-', "")) error=error/>
                                                    <Submit label=tf.phone_remove/>
                                                </ActionForm>
                                            </details>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                            {if can_add {
                                view! {
                                    <ActionForm action=add attr:class="space-y-3" attr:novalidate="">
                                        <Field id="phone" label=tf.phone_add input_type="tel" autocomplete="tel-national"
                                            inputmode="tel" maxlength="20" hint=tf.phone_hint error=phone_error/>
                                        <PasswordAgain needed=password error=error/>
                                        <Submit label=tf.phone_add_button/>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! { <p class="text-sm">{tf.phone_max}</p> }.into_any()
                            }}
                            {(!can_remove).then(|| view! { <p class="mt-2 text-sm text-slate-600">{tf.phone_last}</p> })}
                        </section>
                        <section class="card" id="contact">
                            <h2 class="card-title">{tf.contact_title}</h2>
                            <p class="mb-2 text-sm text-slate-700">{tf.contact_lead}</p>
                            <p class="mb-3 break-all font-bold" data-testid="account-contact">{current.clone()}</p>
                            {o.pending_contact.clone().map(|to| view! {
                                <p class="alert alert-info mb-3" data-testid="pending-contact">{(tf.contact_pending)(&to)}</p>
                            })}
                            {(done().as_deref() == Some("contact_mailed")).then(|| o.pending_contact.clone()).flatten().map(|to| view! {
                                <p class="alert alert-info mb-3" role="status" data-testid="contact-mailed">{(tf.contact_mailed)(&to)}</p>
                            })}
                            <ActionForm action=contact attr:class="space-y-3" attr:novalidate="">
                                <fieldset>
                                    <legend class="field-label">{tf.contact_choose}</legend>
                                    {move || choice_error.get().map(|m| view! { <p class="mb-2 text-sm font-bold text-red-700" role="alert">{m}</p> })}
                                    <div class="space-y-2">
                                        {o.mailboxes.iter().filter(|m| **m != current).map(|m| view! {
                                            <label class="flex min-h-11 cursor-pointer items-center gap-3 rounded border border-slate-300 px-3 py-2">
                                                <input type="radio" name="contact" value=m.clone() class="h-5 w-5 shrink-0"/>
                                                <span class="break-all">{m.clone()}</span>
                                            </label>
                                        }).collect_view()}
                                        <label class="flex min-h-11 cursor-pointer items-center gap-3 rounded border border-slate-300 px-3 py-2">
                                            <input type="radio" name="contact" value="other" class="h-5 w-5 shrink-0" checked=o.mailboxes.iter().all(|m| *m == current)/>
                                            <span>{tf.contact_other}</span>
                                        </label>
                                    </div>
                                </fieldset>
                                <Field id="email" label=tf.contact_other input_type="email" autocomplete="email"
                                    maxlength="254" hint=tf.contact_other_hint error=email_error/>
                                <PasswordAgain needed=password id="contact-password" error=error/>
                                <Submit label=tf.contact_button/>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <h2 class="card-title">{tf.documents_title}</h2>
                            <p class="mb-2">{tf.documents_lead}</p>
                            <ul class="mb-3 list-disc space-y-1 pl-6 text-sm" data-testid="documents">
                                {tf.documents.iter().map(|d| view! { <li>{*d}</li> }).collect_view()}
                            </ul>
                            <p class="font-bold">{crate::components::card::with_tel(documents_contact.get_value(), &support_phone.get_value())}</p>
                        </section>
                    </div>
                }.into_any()
            }/>
        </MemberPage>
    }
}

/// `/account/contact/verify?token=…`: what the link will change; `変更を確定する`
/// (`?done=1` once confirmed). Works without a login: the mail is opened anywhere.
#[component]
pub fn ContactVerifyPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let action = ServerAction::<ConfirmContactChange>::new();
    let error = form_error();
    let done = move || {
        view! {
            <p class="mb-4" data-testid="contact-done">{tf.contact_done}</p>
            <a class="btn" href=TOP>{tx.to_top}</a>
        }
    };
    view! {
        <LinkPage title=tf.contact_verify_title load=get_contact_link done=done children=move |l, token| view! {
            <p class="mb-4">{tf.contact_verify_lead}</p>
            <FormAlert error=error/>
            <dl class="summary mb-4">
                <Row label=tf.contact_current value=l.current.clone().unwrap_or_default()/>
                <Row label=tf.contact_choose value=l.new_email.clone() testid="new-contact"/>
            </dl>
            <ActionForm action=action>
                <input type="hidden" name="token" value=token/>
                <Submit label=tf.contact_verify_button/>
            </ActionForm>
        }/>
    }
}

/// `/account/edit`: アカウント情報, with `変更` beside the iTSCOM ID.
#[component]
pub fn AccountEditPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let overview = Resource::new(|| (), |_| get_account_overview());
    view! {
        <MemberPage title=tf.edit_title>
            <Loaded resource=overview children=move |o| view! {
                <section class="card max-w-2xl">
                    <dl class="divide-y divide-slate-200">
                        <div class="py-3">
                            <dt class="font-bold">{tx.itscom_id_label}</dt>
                            <dd class="flex flex-wrap items-center justify-between gap-2">
                                <span class="break-all">{o.itscom_id.clone()}</span>
                                <a class="btn-ghost" href=super::routes::ID
                                    aria-label=format!("{} {}", tx.itscom_id_label, tf.change)>{tf.change}</a>
                            </dd>
                        </div>
                        <div class="py-3">
                            <dt class="font-bold">{tx.reg_contact_label}</dt>
                            <dd class="break-all">{o.contact_email.clone().unwrap_or_default()}</dd>
                        </div>
                    </dl>
                    <p class="mt-4"><a class="link link-action" href=super::routes::OVERVIEW>{tx.back}</a></p>
                </section>
            }/>
        </MemberPage>
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
        <MemberPage title=tf.id_title>
            <section class="card max-w-2xl">
                <p class="mb-4">{tf.id_lead}</p>
                <dl class="summary mb-4">
                    <dt class="font-bold">{tf.id_current}</dt>
                    <dd class="break-all">
                        {move || overview.get().and_then(Result::ok).map(|o| o.itscom_id)}
                    </dd>
                </dl>
                <FormAlert error=error/>
                <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                    <Field id="new_itscom_id" label=tf.id_new hint=tf.id_new_hint input_type="email"
                        autocomplete="email" inputmode="email" maxlength="254"
                        error=field_error(tx, error, "new_itscom_id")/>
                    <div class="flex flex-wrap items-center gap-4">
                        <Submit label=tx.next/>
                        <a class="link link-action" href=super::routes::EDIT>{tx.back}</a>
                    </div>
                </ActionForm>
            </section>
        </MemberPage>
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
        <MemberPage title=tf.id_title>
            <AtStep step=IdChangeStep::Confirm restart=routes::ID current=draft let:d>
                    <section class="card max-w-2xl">
                        <p class="mb-4">{tf.id_confirm_lead}</p>
                        <FormAlert error=error/>
                        <dl class="summary mb-4">
                            <Row label=tf.id_current value=d.current_id.clone()/>
                            <Row label=tf.id_new value=d.new_id.clone() testid="new-id"/>
                        </dl>
                        <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                            <input type="hidden" name="new_id" value=d.new_id.clone()/>
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
                            <PasswordAgain needed=d.needs_password lead=tx.password_again_lead error=error/>
                            <div class="flex flex-wrap items-center gap-4">
                                <Submit label=tx.register/>
                                <a class="link link-action" href=super::routes::ID>{tx.back}</a>
                            </div>
                        </ActionForm>
                    </section>
            </AtStep>
        </MemberPage>
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
            <p class="mt-4"><a class="link link-action" href=super::routes::OVERVIEW>{tx.menu_settings_customer}</a></p>
        </section>
    }
}

/// `/account/id/verify?token=…`: what the link will change; `変更を確定する`.
#[component]
pub fn IdChangeVerifyPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let action = ServerAction::<ConfirmIdChange>::new();
    let error = form_error();
    let taken = field_error(tx, error, "new_itscom_id");
    view! {
        <LinkPage title=tf.id_title load=get_id_change_link restart=(routes::OVERVIEW, tx.menu_settings_customer)
            children=move |l, token| view! {
                <p class="mb-4">{tf.id_verify_lead}</p>
                <FormAlert error=error/>
                {move || taken.get().map(|m| view! { <p class="alert alert-error mb-4" role="alert">{m}</p> })}
                <dl class="summary mb-4">
                    <Row label=tf.id_current value=l.current_id.clone()/>
                    <Row label=tf.id_new value=l.new_id.clone() testid="new-id"/>
                    <Row label=tx.reg_contact_label
                        value=if l.sets_contact { tf.id_contact_will_change } else { tf.id_contact_unchanged }/>
                </dl>
                <ActionForm action=action>
                    <input type="hidden" name="token" value=token/>
                    <Submit label=tf.id_verify_button/>
                </ActionForm>
            }/>
    }
}

/// `/account/id/done`.
#[component]
pub fn IdChangeDonePage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    view! {
        <Outcome heading=tf.id_title title=tx.reg_done testid="id-change-done" to=(TOP, tx.to_top)>
            {tf.id_done_body}
        </Outcome>
    }
}

/// `/account/id/cancel?token=…`: from the mail to the contact address, `変更を取り消す`.
#[component]
pub fn IdChangeCancelPage() -> impl IntoView {
    let tf = super::texts::t();
    let action = ServerAction::<CancelIdChange>::new();
    let error = form_error();
    view! {
        <LinkPage title=tf.id_title load=get_id_change_cancel children=move |l, token| view! {
            <p class="mb-4">{tf.id_cancel_lead}</p>
            <FormAlert error=error/>
            <dl class="summary mb-4">
                <Row label=tf.id_current value=l.current_id.clone()/>
                <Row label=tf.id_new value=l.new_id.clone() testid="new-id"/>
            </dl>
            <ActionForm action=action>
                <input type="hidden" name="token" value=token/>
                <Submit label=tf.id_cancel_button/>
            </ActionForm>
        }/>
    }
}

/// `/account/id/cancelled`.
#[component]
pub fn IdChangeCancelledPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    view! {
        <Outcome heading=tf.id_title testid="id-change-cancelled" to=(LOGIN, tx.to_login)>
            {tf.id_cancelled_body}
        </Outcome>
    }
}

/// 変更を取り消す: the link mailed to the contact address a change replaced (no login:
/// the link is the proof). Says what is restored, asks before it acts.
#[component]
pub fn ContactRevertPage() -> impl IntoView {
    let tf = super::texts::t();
    let action = ServerAction::<RevertContactChange>::new();
    let error = form_error();
    let done = move || {
        view! {
            <p class="mb-4" data-testid="revert-done">{tf.revert_done}</p>
            <a class="btn" href=crate::features::recovery::routes::START>{tf.revert_to_recovery}</a>
        }
    };
    view! {
        <LinkPage title=tf.revert_title load=get_contact_revert done=done children=move |l, token| view! {
            <p class="mb-4">{tf.revert_lead}</p>
            <FormAlert error=error/>
            <dl class="summary mb-4">
                <Row label=tf.revert_restore value=l.restore.clone() testid="revert-restore"/>
                <Row label=tf.contact_current value=l.current.clone().unwrap_or_default()/>
            </dl>
            <ActionForm action=action>
                <input type="hidden" name="token" value=token/>
                <Submit label=tf.revert_button/>
            </ActionForm>
        }/>
    }
}
