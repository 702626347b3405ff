use super::api::get_top_summary;
use super::{TopNotice, TopSummary};
use crate::components::card::Card;
use crate::components::form::{form_error, FormAlert};
use crate::components::status::Loaded;
use crate::features::billing::{
    self,
    page::{status_class, status_label},
};
use crate::features::login::RequireLogin;
use crate::i18n::{catalogue_name, format_month, format_yen, t, use_locale};
use leptos::prelude::*;

/// `/`: the logged-in customer's top page.
#[component]
pub fn TopPage() -> impl IntoView {
    // Created here, not inside RequireLogin's children: resources must be created in
    // the same order on the server and in the browser (hydration matches them by
    // creation order), and children inside a Suspense run again when it resolves.
    let summary = Resource::new(|| (), |_| get_top_summary());
    view! {
        <RequireLogin>
            // A logout that could not end the session (the database away) comes back here.
            <FormAlert error=form_error()/>
            <Loaded resource=summary children=move |s| view! { <TopSummaryView summary=s/> }/>
        </RequireLogin>
    }
}

/// One お知らせ, with the way to the screen it is about.
fn notice(
    tx: &'static crate::i18n::Texts,
    tb: &'static billing::texts::BillingTexts,
    locale: crate::i18n::Locale,
    n: &TopNotice,
) -> AnyView {
    match n {
        TopNotice::Unpaid { month, total } => view! {
            <li class="alert alert-error" data-testid="notice-unpaid">
                {(tx.notice_unpaid)(&format_month(locale, month), &format_yen(tx, *total))}{crate::i18n::sentence_gap(tx)}<a class="link link-action" href=format!("{}?month={month}", billing::routes::INVOICES)>{tb.title}</a>
            </li>
        }
        .into_any(),
        TopNotice::PlanRequest { kind, to_name, effective_on } => view! {
            <li class="alert alert-info" data-testid="notice-plan-request">
                {(tx.notice_plan_request)(
                    crate::i18n::service_kind_name(tx, kind),
                    &catalogue_name(locale, to_name),
                    &crate::i18n::format_date(locale, effective_on),
                )} " "
                <a class="link link-action" href=crate::features::contract::routes::CONTRACT>{tx.menu_contract_info}</a>
            </li>
        }
        .into_any(),
    }
}

/// The customer's summary: name, this month's bill, services, notices.
#[component]
pub fn TopSummaryView(summary: TopSummary) -> impl IntoView {
    let tx = t();
    let tb = billing::texts::t();
    let locale = use_locale();
    let service_label = move |kind: &str| crate::i18n::service_kind_name(tx, kind);
    view! {
        <div class="mb-6 flex flex-wrap items-baseline justify-between gap-2">
            <h1 class="page-title mb-0" data-testid="customer-name">
                <span lang="ja">{summary.name.clone()}</span> " " {tx.honorific}
            </h1>
            <p class="text-sm text-slate-600">
                {tx.customer_number} ": " <span data-testid="customer-no">{summary.customer_no.clone()}</span>
            </p>
        </div>
        <div class="grid gap-4 md:grid-cols-2">
            <Card title=if summary.latest_is_this_month || summary.latest_invoice.is_none() {
                tx.this_month_bill
            } else {
                tx.latest_bill
            }>
                {match summary.latest_invoice.clone() {
                    Some(inv) => view! {
                        <p class="text-3xl font-bold tabular-nums" data-testid="latest-total">
                            {format_yen(tx, inv.total)}
                        </p>
                        <p class="mt-1 text-sm text-slate-600">
                            {tx.billing_month} ": " {format_month(locale, &inv.month)}
                        </p>
                        <p class="mt-2">
                            <span class=status_class(inv.status)>{status_label(tb, inv.status)}</span>
                            <a class="link link-action ml-3 text-sm" href=billing::routes::INVOICES>{tb.title}</a>
                        </p>
                    }.into_any(),
                    None => view! { <p>{tx.no_invoice_yet}</p> }.into_any(),
                }}
            </Card>
            <Card title=tx.services_under_contract>
                <ul class="divide-y divide-slate-200" data-testid="services">
                    {summary.services.iter().map(|s| view! {
                        <li class="flex flex-wrap justify-between gap-x-4 py-2">
                            <span>
                                <span class="badge badge-info mr-2">{service_label(&s.kind)}</span>
                                {catalogue_name(use_locale(), &s.plan_name)}
                            </span>
                            <span class="tabular-nums text-slate-700">
                                {format_yen(tx, s.monthly_fee)} {tx.per_month_tax_included}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            </Card>
            <Card title=tx.notices>
                {if summary.notices.is_empty() {
                    view! { <p class="text-slate-600">{tx.no_notices}</p> }.into_any()
                } else {
                    view! {
                        <ul class="space-y-3" data-testid="notices">
                            {summary.notices.iter().map(|n| notice(tx, tb, locale, n)).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Card>
            <Card title=tx.menu_settings_customer>
                <a class="btn" href=crate::features::account::routes::OVERVIEW>{tx.change_customer_info}</a>
            </Card>
        </div>
    }
}
