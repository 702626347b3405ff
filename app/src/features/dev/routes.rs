//! The development pages' paths (development only: production has none).

/// The list of demo customers.
pub const INDEX: &str = "/dev";
/// A customer's top page, previewed (the route's parameter).
pub const PREVIEW: &str = "/dev/preview/:customer_no";
/// The outbox's mails, links clickable.
pub const MAILBOX: &str = "/dev/mailbox";

/// The preview of customer `no`.
pub fn preview(no: &str) -> String {
    PREVIEW.replace(":customer_no", no)
}
