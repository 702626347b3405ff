//! The mailbox screens' paths, for the router's links, the server functions' next
//! pages and the tests.

/// メールアドレス: the list.
pub const LIST: &str = "/mail";
/// Step 1, the wizard's start (and where an out-of-order step is sent).
pub const NEW: &str = "/mail/new";
/// Step 1 for internet contract `service` (a customer with more than one).
pub fn new_for(service: Option<&str>) -> String {
    match service {
        Some(id) => format!("{NEW}?service={}", crate::paths::encode(id)),
        None => NEW.to_string(),
    }
}
pub const SUBDOMAIN: &str = "/mail/new/subdomain";
pub const TERMS: &str = "/mail/new/terms";
pub const CONFIRM: &str = "/mail/new/confirm";
pub const DONE: &str = "/mail/new/done";
/// メールパスワードの再発行 of one mailbox (`?mailbox=`); the new password is shown at
/// [`REISSUE_DONE`], once, as a new mailbox's is at [`DONE`].
pub const REISSUE: &str = "/mail/password";
pub const REISSUE_DONE: &str = "/mail/password/done";
pub fn reissue(mailbox_id: &str) -> String {
    format!("{REISSUE}?mailbox={}", crate::paths::encode(mailbox_id))
}
