use super::api::{get_billing, get_payment, StartCardChange};
use super::texts::{rate_label, BillingTexts};
use super::{routes, BillingOverview, MonthSummary, PaymentMethod, Statement};
use crate::components::form::{form_error, FormAlert, PasswordAgain, PrintButton, Submit};
use crate::components::status::{ErrorNotice, Loaded};
use crate::domain::billing::{InvoiceStatus, LineChange};
use crate::domain::Yen;
use crate::features::login::MemberPage;
use crate::i18n::{catalogue_name, format_date, format_month, format_yen, t, use_locale, Locale};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub fn status_label(tb: &BillingTexts, status: InvoiceStatus) -> &'static str {
    match status {
        InvoiceStatus::Scheduled => tb.scheduled,
        InvoiceStatus::Confirming => tb.confirming,
        InvoiceStatus::Paid => tb.paid,
        InvoiceStatus::Overdue => tb.overdue,
        InvoiceStatus::NothingDue => tb.nothing_due,
    }
}

pub fn status_class(status: InvoiceStatus) -> &'static str {
    match status {
        InvoiceStatus::Scheduled | InvoiceStatus::Confirming => "badge badge-info",
        InvoiceStatus::Paid => "badge badge-ok",
        InvoiceStatus::Overdue => "badge badge-error",
        InvoiceStatus::NothingDue => "badge badge-ok",
    }
}

use super::texts::describe_payment;

/// `/billing?month=YYYY-MM`: ご請求明細の確認. The last 12 months as a chart and a
/// table, and the selected month's statement (the newest by default). A month that is
/// not the customer's answers 404.
#[component]
pub fn BillingPage() -> impl IntoView {
    let tb = super::texts::t();
    let query = use_query_map();
    let month = move || query.read().get("month");
    let overview = Resource::new(month, get_billing);
    view! {
        <MemberPage title=tb.title>
            {move || overview.get().map(|r| match r {
                Ok(o) if o.months.is_empty() => view! { <p class="card" data-testid="no-invoices">{tb.none}</p> }.into_any(),
                Ok(o) => view! { <Overview overview=o/> }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </MemberPage>
    }
}

#[component]
fn Overview(overview: BillingOverview) -> impl IntoView {
    let tb = super::texts::t();
    let selected = overview.selected.as_ref().map(|s| s.month.clone()).unwrap_or_default();
    view! {
        <div class="grid gap-4 lg:grid-cols-[20rem_minmax(0,1fr)]">
            <div class="lg:order-2 min-w-0">
                {overview.selected.map(|s| view! { <StatementView statement=s/> })}
            </div>
            <div class="space-y-4 lg:order-1 print:hidden">
                <section class="card">
                    <h2 class="card-title">{tb.chart_title}</h2>
                    <Chart months=overview.months.clone() selected=selected.clone()/>
                </section>
                <MonthTable months=overview.months selected=selected/>
            </div>
        </div>
    }
}

/// The last 12 months as bars, oldest on the left, drawn on the server (no chart code
/// in the browser). Its text for screen readers is the table beside it.
#[component]
fn Chart(months: Vec<MonthSummary>, selected: String) -> impl IntoView {
    let tb = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let mut months = months;
    months.reverse();
    let (width, height, top, bottom) = (320.0_f64, 180.0_f64, 22.0_f64, 24.0_f64);
    let max = months.iter().map(|m| m.total.0).max().unwrap_or(0).max(1) as f64;
    let min = months.iter().map(|m| m.total.0).min().unwrap_or(0);
    let slot = width / months.len().max(1) as f64;
    let bar = (slot * 0.62).max(4.0);
    let count = months.len();
    let label = (tb.chart_label)(months.len(), &format_yen(tx, Yen(min)), &format_yen(tx, Yen(max as i64)));
    let short_month = move |m: &str| -> String {
        let n = m.get(5..).and_then(|s| s.parse::<usize>().ok()).unwrap_or(0);
        match locale {
            Locale::Ja => format!("{n}月"),
            Locale::En => ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"]
                .get(n.wrapping_sub(1))
                .copied()
                .unwrap_or("")
                .to_string(),
        }
    };
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let h = (m.total.0.max(0) as f64 / max) * (height - top - bottom);
            let x = i as f64 * slot + (slot - bar) / 2.0;
            let y = height - bottom - h;
            let is_selected = m.month == selected;
            let fill = match (m.status, is_selected) {
                (InvoiceStatus::Overdue, _) => "#b91c1c",
                (_, true) => "#00766c",
                _ => "#94a3b8",
            };
            // The amount over the selected bar, kept inside the drawing at either end.
            let (label_x, anchor) = if i == 0 {
                (x, "start")
            } else if i + 1 == count {
                (x + bar, "end")
            } else {
                (x + bar / 2.0, "middle")
            };
            let amount = is_selected.then(|| {
                view! {
                    <text x=format!("{label_x:.1}") y=format!("{:.1}", (y - 6.0).max(12.0))
                        text-anchor=anchor font-size="11" fill="#0f172a">{m.total.grouped()}</text>
                }
            });
            view! {
                <rect x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar:.1}") height=format!("{h:.1}")
                    rx="2" fill=fill data-month=m.month.clone()></rect>
                {amount}
                <text x=format!("{:.1}", x + bar / 2.0) y=format!("{:.1}", height - 8.0)
                    text-anchor="middle" font-size="10" fill="#475569">{short_month(&m.month)}</text>
            }
        })
        .collect_view();
    view! {
        <svg viewBox=format!("0 0 {width} {height}") class="h-auto w-full" role="img" aria-label=label
            data-testid="billing-chart">
            <line x1="0" x2=width.to_string() y1=format!("{}", height - bottom) y2=format!("{}", height - bottom)
                stroke="#cbd5e1"></line>
            {bars}
        </svg>
    }
}

#[component]
fn MonthTable(months: Vec<MonthSummary>, selected: String) -> impl IntoView {
    let tb = super::texts::t();
    let tx = t();
    let locale = use_locale();
    view! {
        <section class="card">
            <table class="w-full text-sm" data-testid="billing-months">
                <caption class="card-title text-left">{tb.months_title}</caption>
                <thead class="sr-only">
                    <tr><th scope="col">{tb.col_month}</th><th scope="col">{tb.col_total}</th><th scope="col">{tb.col_status}</th></tr>
                </thead>
                <tbody class="divide-y divide-slate-200">
                    {months.into_iter().map(|m| {
                        let current = m.month == selected;
                        let href = format!("{}?month={}", routes::INVOICES, m.month);
                        view! {
                            <tr class=if current { "bg-brand-50" } else { "" }>
                                <th scope="row" class="py-2 pr-2 text-left font-normal">
                                    <a class="link link-action" href=href aria-current=current.then_some("page")>
                                        {format_month(locale, &m.month)}
                                    </a>
                                </th>
                                <td class="py-2 pr-2 text-right tabular-nums">{format_yen(tx, m.total)}</td>
                                <td class="py-2 text-right"><span class=status_class(m.status)>{status_label(tb, m.status)}</span></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn StatementView(statement: Statement) -> impl IntoView {
    let prefs = crate::context::PagePrefs::current();
    let tb = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let s = statement;
    let month_label = format_month(locale, &s.month);
    let paid = s.status == InvoiceStatus::Paid;
    let subtotal = s.subtotal();
    view! {
        <section class="card" data-testid="statement" data-month=s.month.clone()>
            <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
                <h2 class="text-lg font-bold">{(tb.statement_title)(&month_label)}</h2>
                <span class=status_class(s.status) data-testid="statement-status">{status_label(tb, s.status)}</span>
            </div>
            {(s.total.0 < 0).then(|| view! {
                <p class="alert alert-info mb-4" data-testid="credit-help">{(tb.credit_help)(&format_yen(tx, Yen(-s.total.0)))}</p>
            })}
            {(s.status == InvoiceStatus::Confirming).then(|| view! {
                <p class="alert alert-info mb-4" data-testid="confirming-help">{(tb.confirming_help)(&format_date(locale, &s.due_on))}</p>
            })}
            {(s.status == InvoiceStatus::Overdue).then(|| view! {
                <p class="alert alert-error mb-4" role="alert" data-testid="overdue-help">
                    {crate::components::card::with_tel((tb.overdue_help)(&format_date(locale, &s.due_on), &prefs.support_phone, &prefs.support_hours), &prefs.support_phone)}
                </p>
            })}
            <dl class="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                <dt class="font-bold">{tb.issued_on}</dt><dd>{format_date(locale, &s.issued_on)}</dd>
                {match (s.paid_on.clone(), s.status) {
                    (Some(on), _) => view! { <dt class="font-bold">{tb.paid_on}</dt><dd>{format_date(locale, &on)}</dd> }.into_any(),
                    (None, InvoiceStatus::NothingDue) => ().into_any(),
                    (None, _) => view! { <dt class="font-bold">{tb.due_on}</dt><dd>{format_date(locale, &s.due_on)}</dd> }.into_any(),
                }}
                {s.payment.as_ref().map(|p| view! {
                    <dt class="font-bold">{tb.payment_method}</dt><dd data-testid="statement-payment">{describe_payment(tb, p)}</dd>
                })}
            </dl>
            <table class="mb-4 w-full text-sm" data-testid="statement-lines">
                <thead>
                    <tr class="border-b border-slate-300 text-left">
                        <th scope="col" class="py-1">{tb.col_item}</th>
                        <th scope="col" class="whitespace-nowrap py-1 text-right">{tb.col_amount}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-200">
                    {s.lines.iter().map(|l| view! {
                        <tr>
                            <td class="py-2 pr-2">
                                {catalogue_name(locale, &l.description)}
                                {l.days.map(|(d, of)| view! { <span class="ml-2 whitespace-nowrap text-xs text-slate-600">{(tb.prorated)(d, of)}</span> })}
                            </td>
                            <td class="whitespace-nowrap py-2 text-right tabular-nums">{format_yen(tx, l.amount)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot class="border-t border-slate-300">
                    <tr>
                        <th scope="row" class="py-1 text-left font-normal">{tb.subtotal}</th>
                        <td class="whitespace-nowrap py-1 text-right tabular-nums">{format_yen(tx, subtotal)}</td>
                    </tr>
                    // Per rate its total and its tax; what is outside the tax (rate 0,
                    // 契約解除料) is 不課税, with no tax row.
                    {s.rates.iter().map(|r| view! {
                        <tr>
                            <th scope="row" class="py-1 text-left font-normal">{rate_label(tb, r.rate)}</th>
                            <td class="whitespace-nowrap py-1 text-right tabular-nums">{format_yen(tx, r.total)}</td>
                        </tr>
                        {(r.rate != 0).then(|| view! {
                            <tr>
                                <th scope="row" class="py-1 text-left font-normal">{(tb.rate_tax)(r.rate)}</th>
                                <td class="whitespace-nowrap py-1 text-right tabular-nums" data-testid="statement-tax">{format_yen(tx, r.tax)}</td>
                            </tr>
                        })}
                    }).collect_view()}
                    <tr class="border-t border-slate-300 text-base font-bold">
                        <th scope="row" class="py-2 text-left">{tb.total}</th>
                        <td class="whitespace-nowrap py-2 text-right tabular-nums" data-testid="statement-total">{format_yen(tx, s.total)}</td>
                    </tr>
                </tfoot>
            </table>
            <Changes statement=s.clone()/>
            <div class="mt-4 flex flex-wrap gap-2 print:hidden">
                <a class="btn" href=routes::invoice_pdf(&s.month) data-testid="invoice-pdf" download>{tb.pdf_invoice}</a>
                {paid.then(|| view! {
                    <a class="btn-ghost" href=routes::receipt_pdf(&s.month) data-testid="receipt-pdf" download>{tb.pdf_receipt}</a>
                })}
                <PrintButton>{tx.print}</PrintButton>
            </div>
        </section>
    }
}

/// 前月からの変化: the difference in total and the lines that explain it.
#[component]
fn Changes(statement: Statement) -> impl IntoView {
    let tb = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let summary = match &statement.previous {
        None => tb.change_first.to_string(),
        Some((month, before)) => {
            let month = format_month(locale, month);
            let diff = statement.total.0 - before.0;
            match diff.cmp(&0) {
                std::cmp::Ordering::Greater => (tb.change_up)(&month, &format_yen(tx, Yen(diff))),
                std::cmp::Ordering::Less => (tb.change_down)(&month, &format_yen(tx, Yen(-diff))),
                std::cmp::Ordering::Equal => (tb.change_same)(&month),
            }
        }
    };
    let items = statement
        .changes
        .iter()
        .map(|c| {
            let (tag, class, text) = match c {
                LineChange::New { description, amount } => {
                    (tb.change_new, "badge badge-info", format!("{} {}", catalogue_name(tx.locale, description), format_yen(tx, *amount)))
                }
                LineChange::Ended { description, amount } => {
                    (tb.change_ended, "badge badge-warn", format!("{} {}", catalogue_name(tx.locale, description), format_yen(tx, *amount)))
                }
                LineChange::Changed { description, before, after } => (
                    tb.change_changed,
                    "badge badge-info",
                    format!("{} {} → {}", catalogue_name(tx.locale, description), format_yen(tx, *before), format_yen(tx, *after)),
                ),
            };
            view! { <li class="flex flex-wrap items-baseline gap-2"><span class=class>{tag}</span><span>{text}</span></li> }
        })
        .collect_view();
    view! {
        <section class="rounded-md bg-slate-50 p-3 text-sm" data-testid="statement-change">
            <h3 class="mb-1 font-bold">{tb.change_title}</h3>
            <p class="mb-1">{summary}</p>
            <ul class="space-y-1">{items}</ul>
        </section>
    }
}

/// `/billing/payment`: お支払い方法の確認・変更. The method now; a change to a card
/// (from a bank debit or another card) goes through the gateway's own card page; a
/// change of bank account is a paper form, and the page says how to get it.
#[component]
pub fn PaymentPage() -> impl IntoView {
    let tx = t();
    let tb = super::texts::t();
    let prefs = crate::context::PagePrefs::current();
    // Copy: read where the page's data is shown, in each render of it.
    let bank_body = StoredValue::new((tb.payment_bank_body)(&prefs.support_phone, &prefs.support_hours));
    let support_phone = StoredValue::new(prefs.support_phone.clone());
    let hours = StoredValue::new(prefs.support_hours.clone());
    let query = use_query_map();
    let changed = move || query.read().get("changed").is_some();
    let received = move || query.read().get("received").is_some();
    let overview = Resource::new(|| (), |_| get_payment());
    let action = ServerAction::<StartCardChange>::new();
    let error = form_error();
    view! {
        <MemberPage title=tx.menu_billing_payment>
            // Outside the loaded part: said even when the page's data cannot be read.
            {move || received().then(|| view! {
                <p class="alert alert-info mb-4 max-w-2xl" role="status" data-testid="payment-received">{tb.payment_received}</p>
            })}
            <Loaded resource=overview children=move |o| {
                let is_card = matches!(o.method, Some(PaymentMethod::Card { .. }));
                view! {
                    <div class="max-w-2xl space-y-4">
                        {changed().then(|| view! {
                            <p class="alert alert-info" role="status" data-testid="payment-changed">{tb.payment_changed}</p>
                        })}
                        <section class="card">
                            <h2 class="card-title">{tb.payment_current}</h2>
                            <p class="text-lg" data-testid="payment-current">
                                {match &o.method {
                                    Some(m) => describe_payment(tb, m),
                                    None => tb.payment_none.to_string(),
                                }}
                            </p>
                        </section>
                        <section class="card">
                            <h2 class="card-title">{if is_card { tb.payment_to_other_card } else { tb.payment_to_card }}</h2>
                            {o.card_online.then(|| view! {
                                <p class="mb-2">{tb.payment_card_lead}</p>
                                <p class="mb-4 text-sm text-slate-700">{tb.payment_card_safety}</p>
                            })}
                            <FormAlert error=error/>
                            {if o.card_online {
                                view! {
                                    <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                                        <PasswordAgain needed=o.needs_password lead=tx.password_again_lead error=error/>
                                        <Submit label=tb.payment_to_gateway/>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                let href = crate::features::help::tel(&o.support_phone);
                                view! {
                                    <div class="alert alert-info" data-testid="payment-card-offline">
                                        <p>{tb.payment_card_offline}</p>
                                        <p>{(tb.payment_card_offline_call)(&o.support_phone, &hours.get_value())}</p>
                                        <p class="mt-2"><a class="link link-action" href=href>{o.support_phone.clone()}</a></p>
                                    </div>
                                }.into_any()
                            }}
                        </section>
                        <section class="card">
                            <h2 class="card-title">{tb.payment_bank_title}</h2>
                            <p data-testid="payment-bank-form">{crate::components::card::with_tel(bank_body.get_value(), &support_phone.get_value())}</p>
                        </section>
                        <a class="link link-action" href=routes::INVOICES>{tb.title}</a>
                    </div>
                }.into_any()
            }/>
        </MemberPage>
    }
}
