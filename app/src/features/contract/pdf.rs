//! 契約内容確認書 (the contract document) as PDF: the customer, the installation
//! address, each service with plan, fee, start, term and 更新月, the devices, the add-ons
//! in force (fee, start, last day once cancelled), the
//! payment method (masked) and the main terms; `GET /contract/document.pdf` behind
//! the session, made on request (the same typst engine and font as the invoices).

use super::{texts, ContractOverview};
use crate::features::billing::texts::describe_payment;
use crate::i18n::{format_date, format_month, format_yen, Locale};
use crate::ssr::auth::CurrentAccount;
use crate::ssr::pdf;
use crate::ssr::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap};
use serde::Serialize;

/// The contract document's layout.
pub static TEMPLATE: pdf::Template =
    pdf::Template { name: "contract.typ", source: include_str!("contract.typ") };

#[derive(Serialize)]
struct Row {
    label: &'static str,
    value: String,
}

#[derive(Serialize)]
struct ServiceData {
    kind: &'static str,
    plan: String,
    fee: String,
    facts: Vec<Row>,
}

#[derive(Serialize)]
struct Labels {
    issued_on: &'static str,
    terms_title: &'static str,
}

#[derive(Serialize)]
pub struct Data {
    lang: &'static str,
    title: &'static str,
    issuer: String,
    issued_on: String,
    labels: Labels,
    holder: Vec<Row>,
    columns: [&'static str; 3],
    services: Vec<ServiceData>,
    terms: Vec<String>,
}

/// The document's content for `contract`, issued on `today` (`YYYY-MM-DD`).
pub fn document_data(
    contract: &ContractOverview,
    issuer: &str,
    support: &crate::domain::support::SupportContacts,
    today: &str,
    locale: Locale,
) -> Data {
    let tx = locale.texts();
    let tc = texts::of(locale);
    let tb = crate::features::billing::texts::of(locale);
    let mut holder = vec![
        Row { label: tc.holder, value: contract.name.clone() },
        Row { label: tc.customer_no, value: contract.customer_no.clone() },
        Row { label: tc.address, value: format!("〒{} {}", contract.postal_code, contract.address) },
    ];
    if let Some(p) = &contract.payment {
        holder.push(Row { label: tc.payment, value: describe_payment(tb, p) });
    }
    let mut services: Vec<ServiceData> = contract
        .services
        .iter()
        .map(|s| {
            let mut facts = vec![
                Row { label: tc.started_on, value: format_date(locale, &s.started_on) },
                Row {
                    label: tc.term,
                    value: s.term_months.map_or_else(|| tc.no_term.to_string(), |n| (tc.term_months)(n)),
                },
            ];
            if let Some(m) = &s.renewal_month {
                facts.push(Row {
                    label: tc.renewal,
                    value: format!(
                        "{}{}",
                        format_month(locale, m),
                        crate::i18n::parenthesized(
                            locale,
                            &(tc.renewal_help)(&format_yen(tx, s.early_termination_fee))
                        )
                    ),
                });
            }
            for d in &s.devices {
                facts.push(Row { label: tc.devices, value: super::page::device_text(tc, d) });
            }
            facts.push(Row { label: tc.installation_address, value: s.installation_address.clone() });
            // What the page says below the service: its end (解約予定) and a plan change
            // completed but not in force yet.
            if let Some(date) = &s.ends_on {
                facts.push(Row { label: tc.addon_last_day, value: (tc.ends)(&format_date(locale, date)) });
            }
            if let Some((plan, date)) = &s.scheduled {
                let plan = crate::i18n::catalogue_name(locale, plan);
                facts.push(Row {
                    label: tc.pdf_scheduled,
                    value: (tc.scheduled)(&plan, &format_date(locale, date)),
                });
            }
            ServiceData {
                kind: super::page::kind_name(tx, &s.kind),
                plan: crate::i18n::catalogue_name(locale, &s.plan_name),
                fee: format_yen(tx, s.monthly_fee),
                facts,
            }
        })
        .collect();
    // The add-ons in force, each a row of its own.
    services.extend(contract.addons.iter().map(|a| {
        let mut facts = vec![Row { label: tc.started_on, value: format_date(locale, &a.started_on) }];
        if let Some(e) = &a.ended_on {
            facts.push(Row { label: tc.addon_last_day, value: format_date(locale, e) });
        }
        ServiceData {
            kind: tc.addon_kind,
            plan: crate::i18n::catalogue_name(locale, &a.name),
            fee: format_yen(tx, a.monthly_fee),
            facts,
        }
    }));
    Data {
        lang: locale.code(),
        title: tc.pdf_title,
        issuer: issuer.to_string(),
        issued_on: format_date(locale, today),
        labels: Labels { issued_on: tc.pdf_issued_on, terms_title: tc.pdf_terms_title },
        holder,
        columns: [tc.col_service, tc.plan, tc.monthly_fee],
        services,
        terms: {
            let (phone, hours) = crate::i18n::center(support, locale);
            (tc.pdf_terms)(&phone, &hours)
        },
    }
}

/// `GET /contract/document.pdf`: the logged-in customer's contract document.
pub async fn download(
    State(state): State<AppState>,
    account: CurrentAccount,
    headers: HeaderMap,
) -> Response {
    let locale = Locale::from_cookie_header(headers.get(header::COOKIE).and_then(|v| v.to_str().ok()));
    let today = crate::domain::billing::Date::of_unix_jst(crate::ssr::now());
    let found = async {
        let mut conn = state.db.conn().await?;
        super::store::overview(&mut conn, &account.customer_no, today).await
    }
    .await;
    let contract = match found {
        Ok(Some(c)) => c,
        Ok(None) => return pdf::not_found(),
        Err(e) => return crate::error::AppError::from(e).into_response(),
    };
    let settings = &state.settings;
    let data = document_data(
        &contract,
        &settings.invoice_issuer.name,
        &settings.support,
        &today.to_string(),
        locale,
    );
    let font = state.settings.pdf_font_path.clone();
    if let Err(refused) = pdf::account_may_render(&state.db, &account.account_id).await {
        return refused;
    }
    match pdf::render_blocking("contract", move || pdf::render(&TEMPLATE, &data, &font)).await {
        Ok(bytes) => {
            let tc = texts::of(locale);
            pdf::download(bytes, &format!("contract-{}.pdf", account.customer_no), tc.pdf_file)
        }
        Err(response) => response,
    }
}
