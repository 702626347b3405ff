//! The security centre's paths.

/// ログイン・セキュリティ設定 (two-step verification, devices, notices).
pub const SECURITY: &str = "/account/security";
/// The authenticator app's setup (QR code, key, first code).
pub const TWO_STEP: &str = "/account/security/two-step";
/// The recovery codes, shown once.
pub const RECOVERY_CODES: &str = "/account/security/two-step/codes";
/// セキュリティ履歴 (`?kind=…&page=…`).
pub const ACTIVITY: &str = "/account/security/activity";
/// The second step of a login (`?next=…`).
pub const LOGIN_TWO_STEP: &str = "/login/two-step";

/// The security page with what happened (`?done=…`) at its section.
pub fn done(what: &str, section: &str) -> String {
    format!("{SECURITY}?done={what}#{section}")
}

/// The recovery codes just made, saying how many other devices were signed out as
/// two-step verification turned on.
pub fn recovery_codes(others_ended: u64) -> String {
    match others_ended {
        0 => RECOVERY_CODES.to_string(),
        n => format!("{RECOVERY_CODES}?others_ended={n}"),
    }
}

/// A page of the activity.
pub fn activity(kind: &str, page: u32) -> String {
    format!("{ACTIVITY}?kind={kind}&page={page}")
}

/// The second step of a login, with the way on.
pub fn login_two_step(next: &str) -> String {
    format!("{LOGIN_TWO_STEP}?next={}", crate::paths::encode(next))
}
