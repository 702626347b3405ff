//! The invoice (請求書, a qualified invoice: 適格請求書) and the receipt (領収書) of a
//! month as PDF, laid out by typst (its own line breaker handles Japanese) in IPAex
//! Gothic, and served by a plain route behind the session:
//! `/billing/YYYY-MM/invoice.pdf`, `/billing/YYYY-MM/receipt.pdf` (paid months only).
//! Another customer's month, a month not issued, an unpaid month's receipt: the same
//! 404. `Cache-Control: no-store`; the Japanese file name per RFC 6266/5987.

use super::{texts, Statement};
use crate::domain::billing::{Date, InvoiceStatus, Month};
use crate::i18n::{format_date, format_month, format_yen, Locale};
use crate::ssr::auth::CurrentAccount;
use crate::ssr::config::InvoiceIssuer;
use crate::ssr::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use serde::Serialize;
use std::sync::{Arc, OnceLock};
use typst_as_lib::TypstEngine;

const TEMPLATE: &str = include_str!("pdf/invoice.typ");

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

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF font {path} could not be read: {source}")]
    Font { path: String, source: std::io::Error },
    #[error("typst: {0}")]
    Layout(String),
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

/// The typst engine with the template and the font, built once (the font is read from
/// `PDF_FONT_PATH` on the first document).
fn engine(font_path: &std::path::Path) -> Result<&'static TypstEngine, PdfError> {
    static ENGINE: OnceLock<TypstEngine> = OnceLock::new();
    if let Some(engine) = ENGINE.get() {
        return Ok(engine);
    }
    let font = std::fs::read(font_path)
        .map_err(|source| PdfError::Font { path: font_path.display().to_string(), source })?;
    Ok(ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .fonts([font])
            .with_static_source_file_resolver([("invoice.typ", TEMPLATE)])
            .build()
    }))
}

/// The document as PDF bytes (blocking: run it off the async threads).
pub fn render(
    document: Document,
    statement: &Statement,
    recipient: &Recipient,
    issuer: &InvoiceIssuer,
    locale: Locale,
    font_path: &std::path::Path,
) -> Result<Vec<u8>, PdfError> {
    let data = document_data(document, statement, recipient, issuer, locale);
    let json = serde_json::to_string(&data).map_err(|e| PdfError::Layout(e.to_string()))?;
    let mut inputs = typst::foundations::Dict::new();
    inputs.insert("data".into(), typst::foundations::IntoValue::into_value(json));
    let compiled =
        engine(font_path)?.compile_with_input::<_, _, typst_layout::PagedDocument>("invoice.typ", inputs);
    let doc = compiled.output.map_err(|e| PdfError::Layout(format!("{e:?}")))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError::Layout(format!("{e:?}")))
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
            facts.push(Fact { label: tb.due_on, value: format_date(locale, &s.due_on) });
            if let Some(p) = &s.payment {
                facts.push(Fact { label: tb.payment_method, value: super::page::describe_payment(tb, p) });
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
                facts.push(Fact { label: tb.payment_method, value: super::page::describe_payment(tb, p) });
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
                description: l.description.clone(),
                note: l.days.map(|(d, of)| (tb.prorated)(d, of)).unwrap_or_default(),
                amount: yen(l.amount),
            })
            .collect(),
        rates: s
            .rates
            .iter()
            .map(|r| RateData {
                label: (tb.rate_total)(r.rate),
                total: yen(r.total),
                tax_label: (tb.rate_tax)(r.rate),
                tax: yen(r.tax),
            })
            .collect(),
        facts,
    }
}

/// `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 with
/// RFC 5987's encoding: every byte outside attr-char as %XX).
pub fn content_disposition(ascii_fallback: &str, name: &str) -> String {
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{encoded}")
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")], "not found").into_response()
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
    let found = async {
        let mut conn = state.db.pool().acquire().await?;
        let statement = super::store::statement(&mut conn, &account.customer_no, month, today).await?;
        let recipient: Option<(String, String, String)> =
            sqlx::query_as("SELECT name, postal_code, address FROM customers WHERE customer_no = $1")
                .bind(&account.customer_no)
                .fetch_optional(&mut *conn)
                .await?;
        Ok::<_, sqlx::Error>(statement.zip(recipient))
    }
    .await;
    let (statement, (name, postal_code, address)) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(e) => {
            let _logged = crate::error::AppError::from(e);
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if document == Document::Receipt && statement.status != InvoiceStatus::Paid {
        return not_found();
    }
    let recipient = Recipient {
        name,
        address: format!("〒{postal_code} {address}"),
        customer_no: account.customer_no.clone(),
    };
    let settings = Arc::clone(&state.settings);
    let statement = Arc::new(statement);
    let rendered = {
        let statement = Arc::clone(&statement);
        tokio::task::spawn_blocking(move || {
            render(
                document,
                &statement,
                &recipient,
                &settings.invoice_issuer,
                locale,
                &settings.pdf_font_path,
            )
        })
        .await
    };
    let bytes = match rendered {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "could not make a PDF");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
        Err(e) => {
            tracing::error!(error = %e, "the PDF task failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let tb = texts::of(locale);
    let (ascii, name) = match document {
        Document::Invoice => {
            (format!("invoice-{month}.pdf"), (tb.pdf_invoice_file)(&format_month(locale, &statement.month)))
        }
        Document::Receipt => {
            (format!("receipt-{month}.pdf"), (tb.pdf_receipt_file)(&format_month(locale, &statement.month)))
        }
    };
    let disposition = HeaderValue::from_str(&content_disposition(&ascii, &name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_is_ascii_for_old_clients_and_utf8_percent_encoded() {
        assert_eq!(
            content_disposition("invoice-2026-11.pdf", "請求書_2026年11月.pdf"),
            "attachment; filename=\"invoice-2026-11.pdf\"; \
             filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8_2026%E5%B9%B411%E6%9C%88.pdf"
        );
        assert!(content_disposition("a.pdf", "a b\"c.pdf").ends_with("UTF-8''a%20b%22c.pdf"));
    }
}
