//! The referral screens' paths.

/// お友だち紹介 (the customer's code, link, QR code and referrals).
pub const REFERRAL: &str = "/contract/referral";
/// The public page a referral link opens (`?code=XXXX-XXXX`).
pub const INVITE: &str = "/invite";

/// The path of the referral link of `code` (stored form).
pub fn invite(code: &str) -> String {
    format!("{INVITE}?code={}", super::print_code(code))
}
