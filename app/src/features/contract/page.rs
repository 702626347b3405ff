use super::api::{
    change_page, get_contract, get_history, get_plan_change, CancelPlanRequest, RequestPlanChange,
};
use super::texts::{state_name, ContractTexts};
use super::{routes, ContractService, EntryState, HistoryEntry, HistoryEvent, PlanRequest, PlanRequestStep};
use crate::components::card::{DataTable, STACKED_FIRST, STACKED_LAST, STACKED_ROW, STACKED_TEXT};
use crate::components::form::{form_error, FormAlert, PasswordAgain, Submit};
use crate::components::status::Loaded;
use crate::domain::Yen;
use crate::error::AppError;
use crate::features::billing::texts::describe_payment;
use crate::features::login::MemberPage;
use crate::i18n::{
    catalogue_name, format_date, format_month, format_yen, parenthesized, t, use_locale, Texts,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub use crate::i18n::service_kind_name as kind_name;

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
    let query = use_query_map();
    let error = form_error();
    let cancel = ServerAction::<CancelPlanRequest>::new();
    view! {
        <MemberPage title=tc.title>
            {move || query.read().get("requested").filter(|id| super::is_request_number(id)).map(|id| view! {
                <p class="alert alert-info mb-4 max-w-3xl" role="status" data-testid="plan-requested">{(tc.requested_ok)(&id)}</p>
            })}
            {move || query.read().get("cancelled").map(|_| view! {
                <p class="alert alert-info mb-4 max-w-3xl" role="status" data-testid="plan-cancelled">{tc.cancelled_ok}</p>
            })}
            {move || error.get().map(|e| view! {
                <p class="alert alert-error mb-4 max-w-3xl" role="alert" data-testid="contract-error">
                    {match e {
                        AppError::Pending => tc.err_pending,
                        AppError::FlowExpired => tc.err_not_cancellable,
                        e => crate::components::form::form_message(t(), &e).unwrap_or(t().error_generic),
                    }}
                </p>
            })}
            <Loaded resource=contract children=move |c| view! {
                <div class="max-w-3xl space-y-4">
                    <section class="card">
                        <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                            <dt class="font-bold">{tc.holder}</dt><dd data-testid="contract-holder" lang="ja">{c.name.clone()}</dd>
                            <dt class="font-bold">{tc.customer_no}</dt><dd>{c.customer_no.clone()}</dd>
                            <dt class="font-bold">{tc.address}</dt><dd lang="ja">"〒" {c.postal_code.clone()} " " {c.address.clone()}</dd>
                            {c.payment.as_ref().map(|p| view! {
                                <dt class="font-bold">{tc.payment}</dt><dd>{describe_payment(tb, p)}</dd>
                            })}
                        </dl>
                    </section>
                    <p class="text-sm text-slate-700">{tc.lead}</p>
                    {if c.services.is_empty() {
                        view! { <p class="card">{tc.no_services}</p> }.into_any()
                    } else {
                        c.services.into_iter().map(|s| view! { <ServiceCard service=s cancel=cancel/> }).collect_view().into_any()
                    }}
                    {(!c.addons.is_empty()).then(|| view! { <AddonsCard addons=c.addons.clone()/> })}
                    <section class="card">
                        <h2 class="card-title">{tc.document}</h2>
                        <p class="mb-3">{tc.document_lead}</p>
                        <div class="flex flex-wrap gap-2">
                            <a class="btn" href=routes::DOCUMENT data-testid="contract-pdf" download>{tc.document}</a>
                            <a class="btn-ghost" href=routes::HISTORY>{tc.history_link}</a>
                        </div>
                    </section>
                </div>
            }/>
        </MemberPage>
    }
}

/// The add-ons in force: name, monthly fee, start (and last day, once cancelled), with
/// the way to the screens that manage them.
#[component]
fn AddonsCard(addons: Vec<super::ContractAddon>) -> impl IntoView {
    let tc = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let kinds: Vec<&'static str> =
        ["security", "channel"].into_iter().filter(|k| addons.iter().any(|a| a.kind == *k)).collect();
    view! {
        <section class="card" data-testid="contract-addons">
            <h2 class="card-title">{tc.addons_title}</h2>
            <ul class="divide-y divide-slate-200">
                {addons.into_iter().map(|a| view! {
                    <li class="py-2" data-testid="contract-addon">
                        <p class="flex flex-wrap justify-between gap-x-4">
                            <span class="font-bold">{catalogue_name(locale, &a.name)}</span>
                            <span class="tabular-nums">{format_yen(tx, a.monthly_fee)}</span>
                        </p>
                        <p class="text-sm">{tc.started_on} " " {format_date(locale, &a.started_on)}</p>
                        {a.ended_on.map(|e| view! { <p class="text-sm font-bold">{(tc.addon_ends)(&format_date(locale, &e))}</p> })}
                    </li>
                }).collect_view()}
            </ul>
            <div class="mt-3 flex flex-wrap gap-2 print:hidden">
                {kinds.into_iter().map(|k| {
                    let label = if k == "security" { tx.menu_settings_security } else { tx.menu_contract_option_channels };
                    view! { <a class="btn-ghost" href=crate::features::addons::routes::home(k)>{label}</a> }
                }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn ServiceCard(service: ContractService, cancel: ServerAction<CancelPlanRequest>) -> impl IntoView {
    let tc = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let s = service;
    view! {
        <section class="card" data-testid="contract-service" data-kind=s.kind.clone()>
            <h2 class="card-title flex flex-wrap items-center gap-2">
                <span class="badge badge-info">{kind_name(tx, &s.kind)}</span>
                <span>{catalogue_name(locale, &s.plan_name)}</span>
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
                <dt class="font-bold">{tc.installation_address}</dt><dd lang="ja">{s.installation_address.clone()}</dd>
            </dl>
            {s.ends_on.clone().map(|date| view! {
                <p class="mt-3 text-sm font-bold" data-testid="service-ends">{(tc.ends)(&format_date(locale, &date))}</p>
            })}
            {s.scheduled.clone().map(|(plan, date)| view! {
                <p class="mt-3 text-sm font-bold" data-testid="plan-scheduled">{(tc.scheduled)(&catalogue_name(locale, &plan), &format_date(locale, &date))}</p>
            })}
            {match s.request.clone() {
                Some(r) => view! { <RequestBox request=r cancel=cancel/> }.into_any(),
                None if !s.takes_no_change() => view! {
                    <a class="btn-ghost mt-3 inline-block print:hidden" href=change_page(&s.id, None) data-testid="plan-change-link">
                        {tc.change_link}
                    </a>
                }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

/// The open request of a service: its state and, while 受付, the cancel (behind a
/// disclosure that asks once more; no JavaScript needed).
#[component]
fn RequestBox(request: PlanRequest, cancel: ServerAction<CancelPlanRequest>) -> impl IntoView {
    let tc = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let r = request;
    view! {
        <div class="mt-3 rounded border border-sky-300 bg-sky-50 p-3 text-sm" data-testid="plan-request">
            <p class="font-bold">
                {tc.request_title} " "
                <span class="badge badge-info" data-testid="plan-request-state">{state_name(tc, r.step)}</span>
            </p>
            <dl class="summary mt-1">
                <dt class="font-bold">{tc.request_id}</dt><dd data-testid="plan-request-id">{r.id.clone()}</dd>
                <dt class="font-bold">{tc.requested_on}</dt><dd>{format_date(locale, &r.requested_on)}</dd>
                <dt class="font-bold">{tc.change_choose}</dt><dd>{catalogue_name(locale, &r.to_name)} {parenthesized(locale, &format_yen(tx, r.monthly_fee))}</dd>
                <dt class="font-bold">{tc.effective_on}</dt><dd>{format_date(locale, &r.effective_on)}</dd>
                <dt class="font-bold">{tc.termination_fee}</dt>
                <dd data-testid="plan-request-termination">{termination_text(tc, tx, r.termination_fee)}</dd>
            </dl>
            {(r.step == PlanRequestStep::Received).then(|| view! {
                <details class="mt-2 print:hidden">
                    <summary class="link min-h-11 cursor-pointer content-center" data-testid="plan-cancel-open">{tc.cancel_request}</summary>
                    <ActionForm action=cancel attr:class="mt-2 flex flex-wrap items-center gap-3">
                        <input type="hidden" name="id" value=r.id.clone()/>
                        <span>{tc.cancel_confirm}</span>
                        <Submit label=tc.cancel_request/>
                    </ActionForm>
                </details>
            })}
        </div>
    }
}

/// `/contract/change?service=<id>[&plan=<code>]`: プラン変更のお申し込み. Without a plan,
/// the plans the service may change to (`確認`, a plain GET form); with one, the quote
/// and the summary with `申し込む` (the password again after 5 minutes).
#[component]
pub fn PlanChangePage() -> impl IntoView {
    let tc = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (q.get("service").unwrap_or_default(), q.get("plan"))
    };
    let change = Resource::new(args, |(service, plan)| get_plan_change(service, plan));
    let action = ServerAction::<RequestPlanChange>::new();
    let error = form_error();
    view! {
        <MemberPage title=tc.change_title>
            <Loaded resource=change children=move |c| {
                let s = c.service.clone();
                let current = view! {
                    <section class="card">
                        <h2 class="card-title flex flex-wrap items-center gap-2">
                            <span class="badge badge-info">{kind_name(tx, &s.kind)}</span>
                            <span>{tc.change_current} ": " {catalogue_name(locale, &s.plan_name)}</span>
                        </h2>
                        <p class="text-sm">{tc.monthly_fee} " " <span class="tabular-nums">{format_yen(tx, s.monthly_fee)}</span></p>
                        {s.renewal_month.clone().map(|m| view! {
                            <p class="text-sm">{tc.renewal} " " {format_month(locale, &m)}</p>
                        })}
                    </section>
                };
                let body = if s.request.is_some() || s.takes_no_change() {
                    let why = match (&s.request, &s.scheduled) {
                        (Some(_), _) => tc.err_pending,
                        (_, Some(_)) => tc.err_scheduled,
                        _ => tc.err_ending,
                    };
                    view! { <p class="alert alert-error" role="alert">{why}</p> }.into_any()
                } else if let Some((plan, quote)) = c.chosen.clone() {
                    let (days, of_days) = quote.first_month_days;
                    view! {
                        <section class="card">
                            <h2 class="card-title">{tc.summary_title}</h2>
                            <p class="mb-3">{tc.summary_lead}</p>
                            <dl class="summary mb-4" data-testid="plan-quote">
                                <dt class="font-bold">{tc.change_current}</dt><dd>{catalogue_name(locale, &s.plan_name)}</dd>
                                <dt class="font-bold">{tc.change_choose}</dt><dd data-testid="quote-plan">{catalogue_name(locale, &plan.name)}</dd>
                                <dt class="font-bold">{tc.new_fee}</dt>
                                <dd class="tabular-nums" data-testid="quote-fee">{format_yen(tx, plan.monthly_fee)}</dd>
                                <dt class="font-bold">{tc.effective_on}</dt>
                                <dd data-testid="quote-effective">{format_date(locale, &quote.effective_on.to_string())}</dd>
                                <dt class="font-bold">{tc.first_month}</dt>
                                <dd class="tabular-nums" data-testid="quote-first-month">
                                    {format_yen(tx, quote.first_month)}
                                    {(days < of_days).then(|| view! { <span class="ml-2 text-xs text-slate-600">{(crate::features::billing::texts::t().prorated)(days, of_days)}</span> })}
                                </dd>
                                <dt class="font-bold">{tc.termination_fee}</dt>
                                <dd data-testid="quote-termination">
                                    {termination_text(tc, tx, quote.termination_fee)}
                                    <span class="block text-xs text-slate-600">{tc.termination_why}</span>
                                </dd>
                            </dl>
                            <FormAlert error=error/>
                            <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                                <input type="hidden" name="service" value=s.id.clone()/>
                                <input type="hidden" name="plan" value=plan.code.clone()/>
                                <input type="hidden" name="key" value=c.submit_key.clone()/>
                                <input type="hidden" name="quoted" value=super::api::quote_key(&quote, plan.monthly_fee)/>
                                <PasswordAgain needed=c.needs_password lead=tc.password_lead error=error/>
                                <div class="flex flex-wrap items-center gap-4">
                                    <Submit label=tc.apply/>
                                    <a class="link link-action" href=change_page(&s.id, None)>{tx.back}</a>
                                </div>
                            </ActionForm>
                        </section>
                    }.into_any()
                } else if c.options.is_empty() {
                    view! { <p class="card">{tc.change_none}</p> }.into_any()
                } else {
                    let invalid = c.invalid_plan || error.get().is_some_and(|e| matches!(e, AppError::Invalid { ref field, .. } if field == "plan"));
                    // Said at the choice whatever the browser (its `required` stops most).
                    let message = if c.no_plan && !invalid { Some(tx.err_choose) } else { invalid.then_some(tc.change_invalid) };
                    view! {
                        <section class="card">
                            <p class="mb-3">{tc.change_lead}</p>
                            <form method="get" action=routes::CHANGE class="space-y-4">
                                <input type="hidden" name="service" value=s.id.clone()/>
                                // Sent before the chosen plan (which the page reads, the last
                                // one), or alone when none was chosen: then the page says so.
                                <input type="hidden" name="plan" value=""/>
                                <fieldset aria-describedby=message.is_some().then_some("plan-error")>
                                    <legend class="field-label">{tc.change_choose}</legend>
                                    {message.map(|m| view! {
                                        <p id="plan-error" class="mb-2 text-sm font-bold text-red-700" role="alert">{m}</p>
                                    })}
                                    <div class="space-y-2">
                                        {c.options.iter().map(|o| view! {
                                            <label class="flex min-h-11 cursor-pointer items-center gap-3 rounded border border-slate-300 px-3 py-2">
                                                <input type="radio" name="plan" value=o.code.clone() required class="h-5 w-5 shrink-0" data-testid="plan-option"/>
                                                <span class="flex-1">{catalogue_name(locale, &o.name)}</span>
                                                <span class="tabular-nums">{format_yen(tx, o.monthly_fee)}</span>
                                            </label>
                                        }).collect_view()}
                                    </div>
                                </fieldset>
                                <div class="flex flex-wrap items-center gap-4">
                                    <button type="submit" class="btn">{tc.change_confirm}</button>
                                    <a class="link link-action" href=routes::CONTRACT>{tx.back}</a>
                                </div>
                            </form>
                        </section>
                    }.into_any()
                };
                view! { <div class="max-w-2xl space-y-4">{current}{body}</div> }.into_any()
            }/>
        </MemberPage>
    }
}

/// A 契約解除料 as the confirmation, the request and its mails say it: the amount, or
/// that there is none.
pub fn termination_text(tc: &'static ContractTexts, tx: &'static Texts, fee: Yen) -> String {
    if fee.0 > 0 {
        format_yen(tx, fee)
    } else {
        tc.termination_none.to_string()
    }
}

/// A device as printed: its kind, its model when that says more, and its ID.
pub fn device_text(tc: &'static ContractTexts, d: &super::Device) -> String {
    let kind = device_name(tc, &d.kind);
    let id = parenthesized(tc.locale, &d.id);
    if kind.contains(d.model.as_str()) {
        format!("{kind}{id}")
    } else {
        format!("{kind} {}{id}", d.model)
    }
}

/// The words of one history entry.
pub fn describe(tc: &'static ContractTexts, tx: &'static Texts, e: &HistoryEntry) -> String {
    let name = |n: &str| catalogue_name(tx.locale, n);
    let (plan, from, to, addon) = match &e.event {
        HistoryEvent::ServiceStarted { plan, .. } | HistoryEvent::ServiceEnded { plan, .. } => {
            (name(plan), String::new(), String::new(), String::new())
        }
        HistoryEvent::PlanChanged { from, to, .. } | HistoryEvent::PlanRequested { from, to, .. } => {
            (String::new(), name(from), name(to), String::new())
        }
        HistoryEvent::AddonStarted { name: n } | HistoryEvent::AddonEnded { name: n } => {
            (String::new(), String::new(), String::new(), name(n))
        }
        _ => Default::default(),
    };
    match &e.event {
        HistoryEvent::ServiceStarted { kind, .. } => (tc.started)(kind_name(tx, kind), &plan),
        HistoryEvent::ServiceEnded { kind, .. } => (tc.ended)(kind_name(tx, kind), &plan),
        HistoryEvent::PlanChanged { kind, .. } => (tc.plan_changed)(kind_name(tx, kind), &from, &to),
        HistoryEvent::PaymentChanged { brand, last4 } => (tc.payment_changed)(brand, last4),
        HistoryEvent::MailboxCreated { address } => (tc.mailbox_created)(address),
        HistoryEvent::IdChanged => tc.id_changed.to_string(),
        HistoryEvent::AddonStarted { .. } => (tc.addon_started)(&addon),
        HistoryEvent::AddonEnded { .. } => (tc.addon_ended)(&addon),
        HistoryEvent::PlanRequested { kind, id, .. } => {
            (tc.plan_requested)(kind_name(tx, kind), &from, &to, id)
        }
    }
}

/// An entry's state as printed, with its badge.
fn entry_state(tc: &'static ContractTexts, state: EntryState) -> (&'static str, &'static str) {
    match state {
        EntryState::Done => (tc.history_done, "badge badge-ok"),
        EntryState::Scheduled => (tc.state_scheduled, "badge badge-info"),
        EntryState::Request(step) => (
            state_name(tc, step),
            match step {
                PlanRequestStep::Done => "badge badge-ok",
                PlanRequestStep::Cancelled => "badge bg-slate-100 text-slate-700",
                _ => "badge badge-info",
            },
        ),
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
        <MemberPage title=tc.history_title>
            <Loaded resource=history children=move |h| {
                let filter = h.filter.clone().unwrap_or_default();
                view! {
                    <section class="card max-w-3xl">
                        <form method="get" action=routes::HISTORY class="mb-4 flex flex-wrap items-end gap-2 print:hidden">
                            <label class="flex flex-col text-sm font-bold">
                                {tc.history_filter}
                                <select name="service" class="field-input mt-1" data-testid="history-filter">
                                    <option value="">{tc.history_all}</option>
                                    {h.services.iter().map(|(id, _kind, plan)| view! {
                                        <option value=id.clone() selected=*id == filter>
                                            {catalogue_name(tx.locale, plan)}
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
                                <DataTable testid="history" stacked=true
                                    columns=vec![(tc.col_date, false), (tc.col_event, false), (tc.col_state, false)]>
                                        {h.entries.iter().map(|e| view! {
                                            <tr class=STACKED_ROW>
                                                <td class=STACKED_FIRST>{format_date(locale, &e.date)}</td>
                                                <td class=STACKED_TEXT>{describe(tc, tx, e)}</td>
                                                <td class=STACKED_LAST>{
                                                    let (label, class) = entry_state(tc, e.state);
                                                    view! { <span class=class>{label}</span> }
                                                }</td>
                                            </tr>
                                        }).collect_view()}
                                </DataTable>
                            }.into_any()
                        }}
                        <a class="link link-action mt-4" href=routes::CONTRACT>{tc.title}</a>
                    </section>
                }.into_any()
            }/>
        </MemberPage>
    }
}
