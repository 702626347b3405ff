use super::api::{get_help, SendInquiry};
use super::{tel, HelpOverview, Inquiry, InquiryStep, SupportContacts};
use crate::components::form::{field_error, form_error, FormAlert, Submit};
use crate::components::status::ErrorNotice;
use crate::domain::inquiry::{is_reference_number, InquiryCategory, MESSAGE_MAX};
use crate::domain::speedtest::format_mbps;
use crate::features::login::MemberPage;
use crate::i18n::{format_datetime, t, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/help`: お問い合わせ・サポート. The support centre's numbers (`tel:` links), mail
/// and hours from configuration; the inquiry form (a speed test result attached when
/// the page is opened with `?result=`); the customer's inquiries.
#[component]
pub fn HelpPage() -> impl IntoView {
    let tx = t();
    let query = use_query_map();
    let overview = Resource::new(|| (), |_| get_help());
    let sent = query.read_untracked().get("sent").filter(|r| is_reference_number(r));
    let chosen = query.read_untracked().get("result").unwrap_or_default();
    view! {
        <MemberPage title=tx.menu_help_support>
            {
                let (sent, chosen) = (sent.clone(), chosen.clone());
                move || overview.get().map(|r| match r {
                    Ok(o) => view! { <Help o=o sent=sent.clone() chosen=chosen.clone()/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                })
            }
        </MemberPage>
    }
}

#[component]
fn Help(o: HelpOverview, sent: Option<String>, chosen: String) -> impl IntoView {
    let th = super::texts::t();
    // Only a number of this customer's own inquiries is confirmed (a link with another
    // number, made up or someone else's, confirms nothing).
    let sent = sent.filter(|r| o.inquiries.iter().any(|i| &i.reference_no == r));
    view! {
        <div class="max-w-3xl space-y-4">
            {sent.map(|r| view! { <p class="alert alert-info" role="status" data-testid="inquiry-sent">{(th.sent)(&r)}</p> })}
            <p>{th.lead}</p>
            <Contacts c=o.contacts.clone()/>
            <section class="card">
                <p>{th.faq_speed}</p>
                <p class="mt-2"><a class="link link-action" href=crate::features::speedtest::routes::SPEEDTEST>{th.speedtest_link}</a></p>
            </section>
            <InquiryForm o=o.clone() chosen=chosen/>
            <Inquiries list=o.inquiries.clone()/>
        </div>
    }
}

#[component]
fn Contacts(c: SupportContacts) -> impl IntoView {
    let th = super::texts::t();
    view! {
        <section class="card grid gap-4 sm:grid-cols-2" data-testid="contacts">
            <div>
                <h2 class="card-title">{th.internet_center}</h2>
                <p><a class="link link-action whitespace-nowrap text-2xl font-bold tabular-nums" href=tel(&c.internet_phone) data-testid="tel-internet">{c.internet_phone.clone()}</a></p>
                <p class="text-sm">{th.internet_center_ip} " "
                    <a class="link whitespace-nowrap font-bold tabular-nums" href=tel(&c.internet_phone_ip) data-testid="tel-internet-ip">{c.internet_phone_ip.clone()}</a>
                </p>
                {th.internet_center_notes.iter().map(|n| view! { <p class="mt-1 text-xs text-slate-600">{*n}</p> }).collect_view()}
                // Its hours (the centre's own page), under the centre they are of.
                <a class="link inline-flex min-h-11 items-center" href=c.hours_url.clone() target="_blank" rel="noopener noreferrer" data-testid="hours-link">
                    {th.hours_link}{th.new_window}
                </a>
            </div>
            <div>
                <h2 class="card-title">{th.general_line}</h2>
                <p><a class="link link-action whitespace-nowrap text-2xl font-bold tabular-nums" href=tel(&c.general_phone) data-testid="tel-general">{c.general_phone.clone()}</a></p>
                <p class="text-sm">{(th.hours)(&c.general_hours)}</p>
                <p class="text-sm"><a class="link inline-flex min-h-11 items-center" href="#inquiry">{th.web_always}</a></p>
            </div>
            <div>
                <h2 class="card-title">{th.mail}</h2>
                <p><a class="link link-action break-all" href=format!("mailto:{}", c.mail) data-testid="support-mail">{c.mail.clone()}</a></p>
            </div>
        </section>
    }
}

#[component]
fn InquiryForm(o: HelpOverview, chosen: String) -> impl IntoView {
    let th = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let action = ServerAction::<SendInquiry>::new();
    let error = form_error();
    let category_error = field_error(tx, error, "category");
    let message_error = field_error(tx, error, "message");
    let result_error = field_error(tx, error, "result");
    let described = |hint: Option<&'static str>, id: &'static str, e: Signal<Option<String>>| {
        move || {
            let mut ids: Vec<String> = hint.map(|h| vec![h.to_string()]).unwrap_or_default();
            if e.get().is_some() {
                ids.push(format!("{id}-error"));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let err_line = |id: &'static str, e: Signal<Option<String>>| {
        move || {
            e.get().map(
                |m| view! { <p id=format!("{id}-error") class="mt-1 text-sm font-bold text-red-700">{m}</p> },
            )
        }
    };
    view! {
        <section class="card" id="inquiry" aria-labelledby="inquiry-title">
            <h2 id="inquiry-title" class="card-title">{th.form_title}</h2>
            <p class="mb-3">{th.form_lead}</p>
            <FormAlert error=error/>
            {if o.limit_reached {
                view! { <p class="alert alert-error" role="alert" data-testid="inquiry-limit">{th.limit_reached}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=action attr:class="space-y-4" attr:data-testid="inquiry-form">
                        <div>
                            <label for="category" class="field-label">{th.category}</label>
                            <select id="category" name="category" class="field-input" required
                                autofocus=move || category_error.get().is_some()
                                aria-invalid=move || category_error.get().map(|_| "true")
                                aria-describedby=described(None, "category", category_error)>
                                <option value="">{th.choose}</option>
                                {InquiryCategory::ALL.into_iter().map(|c| view! {
                                    <option value=c.as_str()>{(th.category_name)(c)}</option>
                                }).collect_view()}
                            </select>
                            {err_line("category", category_error)}
                        </div>
                        <div>
                            <label for="message" class="field-label">{th.message}</label>
                            <p id="message-hint" class="mb-1 text-sm text-slate-600">{th.message_hint}</p>
                            <textarea id="message" name="message" class="field-input min-h-40" rows="8" required
                                autofocus=move || message_error.get().is_some()
                                // The browser counts UTF-16 units, a character outside the
                                // BMP (𠮷, an emoji) two; the rule counts characters (the
                                // server's message says so past MESSAGE_MAX).
                                maxlength=crate::domain::normalize::browser_maxlength(MESSAGE_MAX).to_string()
                                aria-invalid=move || message_error.get().map(|_| "true")
                                aria-describedby=described(Some("message-hint"), "message", message_error)></textarea>
                            {err_line("message", message_error)}
                        </div>
                        <div>
                            {if o.results.is_empty() {
                                view! {
                                    <p class="field-label">{th.attach}</p>
                                    <p class="text-sm text-slate-600">{th.attach_none_yet}</p>
                                }.into_any()
                            } else {
                                view! {
                                    <label for="result" class="field-label">{th.attach}</label>
                                    <select id="result" name="result" class="field-input"
                                        autofocus=move || result_error.get().is_some()
                                        aria-invalid=move || result_error.get().map(|_| "true")
                                        aria-describedby=described(None, "result", result_error)>
                                        <option value="">{th.attach_none}</option>
                                        {o.results.iter().map(|r| {
                                            let label = (th.result_option)(
                                                &format_datetime(locale, r.finished_at),
                                                &format_mbps(r.measured.download_kbps),
                                                &format_mbps(r.measured.upload_kbps),
                                            );
                                            view! { <option value=r.id.clone() selected=r.id == chosen>{label}</option> }
                                        }).collect_view()}
                                    </select>
                                    {err_line("result", result_error)}
                                }.into_any()
                            }}
                        </div>
                        <input type="hidden" name="key" value=o.submit_key.clone()/>
                        <Submit label=th.submit/>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Inquiries(list: Vec<Inquiry>) -> impl IntoView {
    let th = super::texts::t();
    let locale = use_locale();
    view! {
        <section class="card">
            <h2 class="card-title">{th.list_title}</h2>
            {if list.is_empty() {
                view! { <p>{th.list_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="divide-y divide-slate-200" data-testid="inquiries">
                        {list.into_iter().map(|i| {
                            let (state, class) = match i.step {
                                InquiryStep::Received => (th.state_received, "badge badge-info"),
                                InquiryStep::Answered => (th.state_answered, "badge badge-ok"),
                            };
                            view! {
                                <li class="py-3" data-testid="inquiry">
                                    <p class="flex flex-wrap items-center gap-2">
                                        <span class="font-mono font-bold" data-testid="inquiry-reference">{i.reference_no.clone()}</span>
                                        <span>{(th.category_name)(i.category)}</span>
                                        <span class=class>{state}</span>
                                    </p>
                                    <p class="text-sm text-slate-700">{th.received_at} ": " {format_datetime(locale, i.created_at)}</p>
                                    <p class="mt-1 whitespace-pre-line break-words">{i.message.clone()}</p>
                                    {i.speed_test.map(|s| view! {
                                        <p class="mt-1 text-sm" data-testid="inquiry-attached">
                                            {(th.attached_result)(&format_datetime(locale, s.finished_at), &format_mbps(s.measured.download_kbps), &format_mbps(s.measured.upload_kbps))}
                                        </p>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
