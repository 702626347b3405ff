use super::api::{get_contract, get_history};
use super::texts::ContractTexts;
use super::{routes, ContractService, HistoryEntry, HistoryEvent};
use crate::components::status::ErrorNotice;
use crate::features::billing::page::describe_payment;
use crate::features::login::RequireLogin;
use crate::i18n::{format_date, format_month, format_yen, t, use_locale, Texts};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub fn kind_name(tx: &'static Texts, kind: &str) -> &'static str {
    match kind {
        "internet" => tx.service_internet,
        "tv" => tx.service_tv,
        _ => tx.service_phone,
    }
}

pub fn device_name(tc: &'static ContractTexts, kind: &str) -> &'static str {
    match kind {
        "stb" => tc.device_stb,
        "hitpot" => tc.device_hitpot,
        _ => tc.device_modem,
    }
}

/// `/contract`: ご契約情報確認・変更. Every service under contract with its plan, fee,
/// start, term and next 更新月, devices and installation address; the payment method;
/// the links to the history and the contract document.
#[component]
pub fn ContractPage() -> impl IntoView {
    let tc = super::texts::t();
    let tb = crate::features::billing::texts::t();
    let contract = Resource::new(|| (), |_| get_contract());
    view! {
        <h1 class="page-title">{tc.title}</h1>
        <RequireLogin>
            {move || contract.get().map(|r| match r {
                Ok(c) => view! {
                    <div class="max-w-3xl space-y-4">
                        <section class="card">
                            <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                                <dt class="font-bold">{tc.holder}</dt><dd data-testid="contract-holder">{c.name.clone()}</dd>
                                <dt class="font-bold">{tc.customer_no}</dt><dd>{c.customer_no.clone()}</dd>
                                <dt class="font-bold">{tc.address}</dt><dd>"〒" {c.postal_code.clone()} " " {c.address.clone()}</dd>
                                {c.payment.as_ref().map(|p| view! {
                                    <dt class="font-bold">{tc.payment}</dt><dd>{describe_payment(tb, p)}</dd>
                                })}
                            </dl>
                        </section>
                        <p class="text-sm text-slate-700">{tc.lead}</p>
                        {if c.services.is_empty() {
                            view! { <p class="card">{tc.no_services}</p> }.into_any()
                        } else {
                            c.services.into_iter().map(|s| view! { <ServiceCard service=s/> }).collect_view().into_any()
                        }}
                        <section class="card">
                            <h2 class="card-title">{tc.document}</h2>
                            <p class="mb-3">{tc.document_lead}</p>
                            <div class="flex flex-wrap gap-2">
                                <a class="btn" href=routes::DOCUMENT data-testid="contract-pdf" download>{tc.document}</a>
                                <a class="btn-ghost" href=routes::HISTORY>{tc.history_link}</a>
                            </div>
                        </section>
                    </div>
                }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </RequireLogin>
    }
}

#[component]
fn ServiceCard(service: ContractService) -> impl IntoView {
    let tc = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let s = service;
    view! {
        <section class="card" data-testid="contract-service" data-kind=s.kind.clone()>
            <h2 class="card-title flex flex-wrap items-center gap-2">
                <span class="badge badge-info">{kind_name(tx, &s.kind)}</span>
                <span>{s.plan_name.clone()}</span>
            </h2>
            <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                <dt class="font-bold">{tc.monthly_fee}</dt><dd class="tabular-nums">{format_yen(tx, s.monthly_fee)}</dd>
                <dt class="font-bold">{tc.started_on}</dt><dd>{format_date(locale, &s.started_on)}</dd>
                <dt class="font-bold">{tc.term}</dt>
                <dd>{match s.term_months { Some(n) => (tc.term_months)(n), None => tc.no_term.to_string() }}</dd>
                {s.renewal_month.clone().map(|m| view! {
                    <dt class="font-bold">{tc.renewal}</dt>
                    <dd>
                        <span class="font-bold" data-testid="renewal-month">{format_month(locale, &m)}</span>
                        <span class="block text-xs text-slate-600">{(tc.renewal_help)(&format_yen(tx, s.early_termination_fee))}</span>
                    </dd>
                })}
                {(!s.devices.is_empty()).then(|| view! {
                    <dt class="font-bold">{tc.devices}</dt>
                    <dd>
                        <ul>
                            {s.devices.iter().map(|d| view! {
                                <li>{device_text(tc, d)}</li>
                            }).collect_view()}
                        </ul>
                    </dd>
                })}
                <dt class="font-bold">{tc.installation_address}</dt><dd>{s.installation_address.clone()}</dd>
            </dl>
        </section>
    }
}

/// A device as printed: its kind, its model when that says more, and its ID.
pub fn device_text(tc: &'static ContractTexts, d: &super::Device) -> String {
    let kind = device_name(tc, &d.kind);
    if kind.contains(d.model.as_str()) {
        format!("{kind}（{}）", d.id)
    } else {
        format!("{kind} {}（{}）", d.model, d.id)
    }
}

/// The words of one history entry.
pub fn describe(tc: &'static ContractTexts, tx: &'static Texts, e: &HistoryEntry) -> String {
    match &e.event {
        HistoryEvent::ServiceStarted { kind, plan } => (tc.started)(kind_name(tx, kind), plan),
        HistoryEvent::ServiceEnded { kind, plan } => (tc.ended)(kind_name(tx, kind), plan),
        HistoryEvent::PlanChanged { kind, from, to } => (tc.plan_changed)(kind_name(tx, kind), from, to),
        HistoryEvent::PaymentChanged { brand, last4 } => (tc.payment_changed)(brand, last4),
        HistoryEvent::MailboxCreated { address } => (tc.mailbox_created)(address),
        HistoryEvent::IdChanged => tc.id_changed.to_string(),
    }
}

/// `/contract/history?service=<id>`: サービス加入・変更履歴, newest first, filtered by
/// service with a plain form (no JavaScript needed).
#[component]
pub fn HistoryPage() -> impl IntoView {
    let tc = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let query = use_query_map();
    let service = move || query.read().get("service");
    let history = Resource::new(service, get_history);
    view! {
        <h1 class="page-title">{tc.history_title}</h1>
        <RequireLogin>
            {move || history.get().map(|r| match r {
                Ok(h) => {
                    let filter = h.filter.clone().unwrap_or_default();
                    view! {
                        <section class="card max-w-3xl">
                            <form method="get" action=routes::HISTORY class="mb-4 flex flex-wrap items-end gap-2 print:hidden">
                                <label class="flex flex-col text-sm font-bold">
                                    {tc.history_filter}
                                    <select name="service" class="field-input mt-1" data-testid="history-filter">
                                        <option value="">{tc.history_all}</option>
                                        {h.services.iter().map(|(id, kind, plan)| view! {
                                            <option value=id.clone() selected=*id == filter>
                                                {kind_name(tx, kind)} " " {plan.clone()}
                                            </option>
                                        }).collect_view()}
                                    </select>
                                </label>
                                <button type="submit" class="btn-ghost">{tc.history_show}</button>
                            </form>
                            {if h.entries.is_empty() {
                                view! { <p>{tc.history_none}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="w-full text-sm" data-testid="history">
                                        <thead>
                                            <tr class="border-b border-slate-300 text-left">
                                                <th scope="col" class="py-1 pr-2">{tc.col_date}</th>
                                                <th scope="col" class="py-1 pr-2">{tc.col_event}</th>
                                                <th scope="col" class="py-1">{tc.col_state}</th>
                                            </tr>
                                        </thead>
                                        <tbody class="divide-y divide-slate-200">
                                            {h.entries.iter().map(|e| view! {
                                                <tr>
                                                    <td class="whitespace-nowrap py-2 pr-2 align-top">{format_date(locale, &e.date)}</td>
                                                    <td class="py-2 pr-2 align-top">{describe(tc, tx, e)}</td>
                                                    <td class="whitespace-nowrap py-2 align-top"><span class="badge badge-ok">{tc.history_done}</span></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                            <a class="link mt-4 inline-block" href=routes::CONTRACT>{tc.title}</a>
                        </section>
                    }.into_any()
                }
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </RequireLogin>
    }
}
