//! 料金 (SPEC §2 menu A): invoices computed from the contracts by the monthly run.
//! So far the engine (`store`, run by `server bill --month YYYY-MM`); the screens,
//! the PDFs and the payment method change come next (issue 12).

#[cfg(feature = "ssr")]
pub mod store;
pub mod texts;

/// The path of ご請求明細の確認 (`?month=YYYY-MM` selects a month).
pub const INVOICES_PATH: &str = "/billing";
