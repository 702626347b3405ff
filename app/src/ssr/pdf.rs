//! PDFs in Japanese (invoices, receipts, the contract document): typst lays them out
//! (its own line breaker handles Japanese; tables break across pages), in the one
//! TrueType font of `PDF_FONT_PATH` (IPAex Gothic). Each document is a typst template
//! fed its data as one JSON string (`sys.inputs.data`), so no value is ever evaluated
//! as markup. The engine and the font are loaded once, on the first document; call
//! [`render`] off the async threads (it is CPU work).

use std::sync::OnceLock;
use typst_as_lib::TypstEngine;

/// The templates, by file name.
const TEMPLATES: [(&str, &str); 2] = [
    ("invoice.typ", include_str!("../features/billing/pdf/invoice.typ")),
    ("contract.typ", include_str!("../features/contract/contract.typ")),
];

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF font {path} could not be read: {source}")]
    Font { path: String, source: std::io::Error },
    #[error("typst: {0}")]
    Layout(String),
}

fn engine(font_path: &std::path::Path) -> Result<&'static TypstEngine, PdfError> {
    static ENGINE: OnceLock<TypstEngine> = OnceLock::new();
    if let Some(engine) = ENGINE.get() {
        return Ok(engine);
    }
    let font = std::fs::read(font_path)
        .map_err(|source| PdfError::Font { path: font_path.display().to_string(), source })?;
    Ok(ENGINE.get_or_init(|| {
        TypstEngine::builder().fonts([font]).with_static_source_file_resolver(TEMPLATES).build()
    }))
}

/// `template` laid out with `data` (serialized to JSON), as PDF bytes.
pub fn render(
    template: &str,
    data: &impl serde::Serialize,
    font_path: &std::path::Path,
) -> Result<Vec<u8>, PdfError> {
    let json = serde_json::to_string(data).map_err(|e| PdfError::Layout(e.to_string()))?;
    let mut inputs = typst::foundations::Dict::new();
    inputs.insert("data".into(), typst::foundations::IntoValue::into_value(json));
    let compiled =
        engine(font_path)?.compile_with_input::<_, _, typst_layout::PagedDocument>(template, inputs);
    let doc = compiled.output.map_err(|e| PdfError::Layout(format!("{e:?}")))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError::Layout(format!("{e:?}")))
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

/// A PDF download: `no-store` (personal), with its file name.
pub fn download(bytes: Vec<u8>, ascii_name: &str, name: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::{header, HeaderValue, StatusCode};
    let disposition = HeaderValue::from_str(&content_disposition(ascii_name, name))
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

/// The same answer for "not yours" and "not there".
pub fn not_found() -> axum::response::Response {
    use axum::response::IntoResponse;
    (http::StatusCode::NOT_FOUND, [(http::header::CACHE_CONTROL, "no-store")], "not found").into_response()
}

/// Make a PDF on the blocking pool (`make` is CPU work); a failure is logged and
/// answered 503 (the font missing, a layout error) or 500.
pub async fn render_blocking(
    what: &'static str,
    make: impl FnOnce() -> Result<Vec<u8>, PdfError> + Send + 'static,
) -> Result<Vec<u8>, axum::response::Response> {
    use axum::response::IntoResponse;
    match tokio::task::spawn_blocking(make).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => {
            tracing::error!(error = %e, what, "could not make a PDF");
            Err(http::StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
        Err(e) => {
            tracing::error!(error = %e, what, "the PDF task failed");
            Err(http::StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
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
