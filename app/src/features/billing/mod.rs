//! 料金 (SPEC §2 menu A): invoices computed from the contracts by the monthly run.
//! So far the engine (`store`, run by `server bill --month YYYY-MM`); the screens,
//! the PDFs and the payment method change come next (issue 12).

#[cfg(feature = "ssr")]
pub mod store;
