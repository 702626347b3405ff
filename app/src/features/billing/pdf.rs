//! The invoice (請求書, a qualified invoice: 適格請求書) and the receipt (領収書) of a
//! month as PDF, laid out by typst (its own line breaker handles Japanese) in IPAex
//! Gothic, and served by a plain route behind the session:
//! `/billing/YYYY-MM/invoice.pdf`, `/billing/YYYY-MM/receipt.pdf` (paid months only).
//! Another customer's month, a month not issued, an unpaid month's receipt: the same
//! 404. `Cache-Control: no-store`; the Japanese file name per RFC 6266/5987.

use super::{texts, Statement};
use crate::domain::billing::{Date, InvoiceStatus, Month};
use crate::i18n::{catalogue_name, format_date, format_month, format_yen, Locale};
use crate::ssr::auth::CurrentAccount;
use crate::ssr::config::InvoiceIssuer;
use crate::ssr::pdf::{self, not_found};
use crate::ssr::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap};
use serde::Serialize;

/// The invoice's and the receipt's layout.
pub static TEMPLATE: pdf::Template =
    pdf::Template { name: "invoice.typ", source: include_str!("pdf/invoice.typ") };

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Invoice,
    Receipt,
}

/// Whom the document is addressed to.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub name: String,
    pub address: String,
    pub customer_no: String,
}

#[derive(Serialize)]
struct Data<'a> {
    lang: &'a str,
    title: String,
    labels: Labels,
    issuer: Issuer<'a>,
    recipient: RecipientData<'a>,
    issued_on: String,
    document_no: String,
    amount_label: String,
    total: String,
    note: String,
    lines: Vec<LineData>,
    rates: Vec<RateData>,
    facts: Vec<Fact>,
}

#[derive(Serialize)]
struct Labels {
    honorific: &'static str,
    customer_no: &'static str,
    issued_on: &'static str,
    document_no: &'static str,
    registration_no: &'static str,
    item: &'static str,
    amount: &'static str,
    total: &'static str,
    footnote: &'static str,
}

#[derive(Serialize)]
struct Issuer<'a> {
    name: &'a str,
    registration_no: &'a str,
}

#[derive(Serialize)]
struct RecipientData<'a> {
    name: &'a str,
    address: &'a str,
    customer_no: &'a str,
}

#[derive(Serialize)]
struct LineData {
    description: String,
    note: String,
    amount: String,
}

#[derive(Serialize)]
struct RateData {
    label: String,
    total: String,
    tax_label: String,
    tax: String,
}

#[derive(Serialize)]
struct Fact {
    label: &'static str,
    value: String,
}

/// The document as PDF bytes (blocking: run it off the async threads).
pub fn render(
    document: Document,
    statement: &Statement,
    recipient: &Recipient,
    issuer: &InvoiceIssuer,
    locale: Locale,
    font_path: &std::path::Path,
) -> Result<Vec<u8>, pdf::PdfError> {
    pdf::render(&TEMPLATE, &document_data(document, statement, recipient, issuer, locale), font_path)
}

fn document_data<'a>(
    document: Document,
    s: &'a Statement,
    recipient: &'a Recipient,
    issuer: &'a InvoiceIssuer,
    locale: Locale,
) -> Data<'a> {
    let tx = locale.texts();
    let tb = texts::of(locale);
    let yen = |y| format_yen(tx, y);
    let month = format_month(locale, &s.month);
    let mut facts = vec![Fact { label: tb.pdf_period, value: month.clone() }];
    let (title, amount_label, note, issued_on, document_no) = match document {
        Document::Invoice => {
            if s.status != InvoiceStatus::NothingDue {
                facts.push(Fact { label: tb.due_on, value: format_date(locale, &s.due_on) });
            }
            if let Some(p) = &s.payment {
                facts.push(Fact { label: tb.payment_method, value: super::texts::describe_payment(tb, p) });
            }
            (
                tb.pdf_invoice_title.to_string(),
                tb.pdf_amount_billed.to_string(),
                String::new(),
                format_date(locale, &s.issued_on),
                format!("INV-{}-{}", recipient.customer_no, s.month),
            )
        }
        Document::Receipt => {
            let paid_on = s.paid_on.clone().unwrap_or_default();
            facts.push(Fact { label: tb.paid_on, value: format_date(locale, &paid_on) });
            if let Some(p) = &s.payment {
                facts.push(Fact { label: tb.payment_method, value: super::texts::describe_payment(tb, p) });
            }
            (
                tb.pdf_receipt_title.to_string(),
                tb.pdf_amount_received.to_string(),
                (tb.pdf_receipt_for)(&month),
                format_date(locale, &paid_on),
                format!("RCP-{}-{}", recipient.customer_no, s.month),
            )
        }
    };
    Data {
        lang: locale.code(),
        title,
        labels: Labels {
            honorific: tb.pdf_honorific,
            customer_no: tx.customer_number,
            issued_on: tb.issued_on,
            document_no: tb.pdf_document_no,
            registration_no: tb.pdf_registration_no,
            item: tb.col_item,
            amount: tb.col_amount,
            total: tb.total,
            footnote: tb.pdf_footnote,
        },
        issuer: Issuer { name: &issuer.name, registration_no: &issuer.registration_no },
        recipient: RecipientData {
            name: &recipient.name,
            address: &recipient.address,
            customer_no: &recipient.customer_no,
        },
        issued_on,
        document_no,
        amount_label,
        total: yen(s.total),
        note,
        lines: s
            .lines
            .iter()
            .map(|l| LineData {
                description: catalogue_name(locale, &l.description),
                note: l
                    .days
                    .map(|(d, of)| {
                        crate::i18n::parenthesized(locale, &(tb.prorated)(d, of)).trim_start().to_string()
                    })
                    .unwrap_or_default(),
                amount: yen(l.amount),
            })
            .collect(),
        rates: s
            .rates
            .iter()
            .map(|r| RateData {
                label: super::texts::rate_label(tb, r.rate),
                total: yen(r.total),
                // 不課税 has no tax row (the template leaves it out when empty).
                tax_label: if r.rate == 0 { String::new() } else { (tb.rate_tax)(r.rate) },
                tax: yen(r.tax),
            })
            .collect(),
        facts,
    }
}

/// `GET /billing/{month}/{file}`: the PDF of one of the logged-in customer's months.
pub async fn download(
    State(state): State<AppState>,
    account: CurrentAccount,
    Path((month, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let document = match file.as_str() {
        "invoice.pdf" => Document::Invoice,
        "receipt.pdf" => Document::Receipt,
        _ => return not_found(),
    };
    let Some(month) = Month::parse(&month) else {
        return not_found();
    };
    let locale = Locale::from_cookie_header(headers.get(header::COOKIE).and_then(|v| v.to_str().ok()));
    let today = Date::of_unix_jst(crate::ssr::now());
    let (statement, recipient) = match statement_for(&state, &account.customer_no, month, today).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(e) => return crate::error::AppError::from(e).into_response(),
    };
    if document == Document::Receipt && statement.status != InvoiceStatus::Paid {
        return not_found();
    }
    let settings = std::sync::Arc::clone(&state.settings);
    let tb = texts::of(locale);
    let month_label = format_month(locale, &statement.month);
    let (ascii, name) = match document {
        Document::Invoice => (format!("invoice-{month}.pdf"), (tb.pdf_invoice_file)(&month_label)),
        Document::Receipt => (format!("receipt-{month}.pdf"), (tb.pdf_receipt_file)(&month_label)),
    };
    if let Err(refused) = pdf::account_may_render(&state.db, &account.account_id).await {
        return refused;
    }
    let made = pdf::render_blocking("invoice", move || {
        render(document, &statement, &recipient, &settings.invoice_issuer, locale, &settings.pdf_font_path)
    })
    .await;
    match made {
        Ok(bytes) => pdf::download(bytes, &ascii, &name),
        Err(response) => response,
    }
}

/// The customer's statement of `month` and whom it is addressed to (None: no invoice of
/// theirs for that month).
async fn statement_for(
    state: &AppState,
    customer_no: &str,
    month: Month,
    today: Date,
) -> Result<Option<(Statement, Recipient)>, sqlx::Error> {
    let mut conn = state.db.conn().await?;
    let statement = super::store::statement(&mut conn, customer_no, month, today).await?;
    let addressee = super::store::addressee(&mut conn, customer_no, month).await?;
    Ok(statement.zip(addressee).map(|(statement, a)| {
        let recipient = Recipient {
            name: a.name,
            address: format!("〒{} {}", a.postal_code, a.address),
            customer_no: customer_no.to_string(),
        };
        (statement, recipient)
    }))
}
