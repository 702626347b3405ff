//! The registration screens' paths, for the pages' links, the server functions' next pages and the tests.

use crate::paths::MailedLink;

/// STEP 2, 契約者認証: the start (and where a flow out of order is sent).
pub const START: &str = "/register";
/// 追加認証情報, when several customers match.
pub const ADDITIONAL: &str = "/register/additional";
/// STEP 3.
pub const CREDENTIALS: &str = "/register/credentials";
pub const SENT: &str = "/register/sent";
/// The mailed link (`?token=…`).
pub const CONFIRM: MailedLink = MailedLink("/register/confirm");
/// A re-registration held for the account's owner (`?at=…`).
pub const PENDING: &str = "/register/pending";
pub const DONE: &str = "/register/done";
/// The owner's link about a re-registration (`?token=…`).
pub const REVIEW: MailedLink = MailedLink("/register/review");
/// The owner's answer taken (`?result=…`).
pub const REVIEWED: &str = "/register/reviewed";
/// The link mailed to the contact address on record when a first registration
/// completes (`?token=…`; `?done=1` once stopped).
pub const STOP: MailedLink = MailedLink("/register/stop");

/// A re-registration held until `at` (unix seconds).
pub fn pending(at: i64) -> String {
    format!("{PENDING}?at={at}")
}

/// The owner's answer taken: `result` is `applied`, `confirmed`, `cancelled` or
/// `unavailable`.
pub fn reviewed(result: &str) -> String {
    format!("{REVIEWED}?result={result}")
}
