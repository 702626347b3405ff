//! The billing screens' paths, for links, the server functions' next pages and tests.

/// ご請求明細の確認 (`?month=YYYY-MM` selects a month).
pub const INVOICES: &str = "/billing";
/// お支払い方法の確認・変更.
pub const PAYMENT: &str = "/billing/payment";
/// Where the payment gateway sends the customer back (a plain route, GET, with the
/// session).
pub const PAYMENT_RETURN: &str = "/billing/payment/return";
/// Where a gateway's page posts its signed result (a plain route, POST, cross-site:
/// the one form post the portal takes from another site).
pub const PAYMENT_RESULT: &str = "/billing/payment/result";

/// The invoice PDF of `month` (`YYYY-MM`), a plain route behind the session.
pub fn invoice_pdf(month: &str) -> String {
    format!("/billing/{month}/invoice.pdf")
}

/// The receipt (領収書) PDF of a paid `month`.
pub fn receipt_pdf(month: &str) -> String {
    format!("/billing/{month}/receipt.pdf")
}

/// The route of the invoice and receipt PDFs (axum's syntax: `/billing/2026-11/invoice.pdf`).
pub const PDF_ROUTE: &str = "/billing/{month}/{file}";
