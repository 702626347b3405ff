//! ログイン・セキュリティ設定 (issue 27, menu C): two-step verification with an
//! authenticator app (TOTP, RFC 6238) and its recovery codes, the login's second step,
//! the account's signed-in devices with a way to end each, the notice mails of logins
//! from new browsers, and the account's own security activity from `account_events`.
//! Every page works without JavaScript.

mod api;
#[cfg(feature = "ssr")]
pub mod mail;
pub(crate) mod page;
#[cfg(feature = "ssr")]
pub mod passkey;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod store;
pub mod texts;
#[cfg(feature = "ssr")]
pub mod totp;

pub use api::*;
pub use page::{ActivityPage, LoginSecurityPage, LoginTwoStepPage, RecoveryCodesPage, TwoStepSetupPage};

use serde::{Deserialize, Serialize};

/// One signed-in device (a live session) of the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// The session's public id (for its button; never the hash that finds it).
    pub id: String,
    /// Browser and OS ("Chrome / Android").
    pub browser: String,
    /// The client address shortened (IPv4 /24, IPv6 /48).
    pub from: String,
    /// `password`, `two_step`, `recovery_code` or `passkey`.
    pub method: String,
    pub signed_in_at: i64,
    pub last_active_at: i64,
    /// The session of this request.
    pub current: bool,
}

/// Where two-step verification stands for the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TwoStep {
    /// Not offered: the server has no `SEAL_KEY`.
    Unavailable,
    Off,
    On {
        codes_left: i64,
    },
}

/// One passkey of the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// ログイン・セキュリティ設定.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityOverview {
    pub passkeys: Vec<PasskeyView>,
    pub two_step: TwoStep,
    pub devices: Vec<Device>,
    pub new_browser_mail: bool,
    /// The login is older than 5 minutes: a change asks for the password again.
    pub needs_password: bool,
}

/// The authenticator app's setup: the key as text and as a QR code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwoStepSetup {
    /// Base32, in groups of four.
    pub key: String,
    /// The QR code of the `otpauth://` URL, an `<svg>` element.
    pub qr_svg: String,
    /// That URL, as a link: on a phone, it opens the authenticator app on it (a phone
    /// cannot scan its own screen).
    pub uri: String,
}

/// The recovery codes just made, as their one showing prints them: whose, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
    pub itscom_id: String,
    /// When they were shown (unix seconds): moments after they were made.
    pub shown_at: i64,
}

/// What the activity page can be narrowed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActivityFilter {
    All,
    Logins,
    Security,
    Profile,
    Services,
}

impl ActivityFilter {
    pub const ALL: [ActivityFilter; 5] = [
        ActivityFilter::All,
        ActivityFilter::Logins,
        ActivityFilter::Security,
        ActivityFilter::Profile,
        ActivityFilter::Services,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActivityFilter::All => "all",
            ActivityFilter::Logins => "logins",
            ActivityFilter::Security => "security",
            ActivityFilter::Profile => "profile",
            ActivityFilter::Services => "services",
        }
    }

    /// Any unknown value is `All`.
    pub fn from_code(code: &str) -> Self {
        Self::ALL.into_iter().find(|f| f.code() == code).unwrap_or(ActivityFilter::All)
    }

    /// The `account_events.kind` prefixes it shows (empty: every kind the page knows).
    pub fn kinds(self) -> &'static [&'static str] {
        match self {
            ActivityFilter::All => &[],
            ActivityFilter::Logins => &[
                "login.succeeded",
                "login.failed",
                "login.two_step_failed",
                "login.passkey_failed",
                "login.locked",
                "security.session_ended",
                "security.other_sessions_ended",
            ],
            ActivityFilter::Security => &[
                "security.passkey_added",
                "security.passkey_renamed",
                "security.passkey_removed",
                "security.factors_removed_by_support",
                "security.two_step_enabled",
                "security.two_step_disabled",
                "security.recovery_codes_renewed",
                "security.new_browser_mail_changed",
                "recovery.password_reset",
                "recovery.started",
                "recovery.failed",
                "account.id_change_requested",
                "account.id_change_cancelled",
                "account.id_changed",
                "registration.registered",
                "registration.reregistration_requested",
                "registration.reregistration_confirmed",
                "registration.reregistration_cancelled",
                "registration.reregistered",
            ],
            ActivityFilter::Profile => &[
                "account.contact_change_requested",
                "account.contact_changed",
                "account.contact_reverted",
                "account.phone_added",
                "account.phone_removed",
                "billing.payment_method_changed",
                "billing.card_not_applied",
            ],
            ActivityFilter::Services => &[
                "contract.plan_change_requested",
                "contract.plan_change_cancelled",
                "contract.plan_changed",
                "addon.subscribed",
                "addon.cancelled",
                "mailbox.created",
                "mailbox.password_reissued",
            ],
        }
    }
}

/// One row of セキュリティ履歴.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub kind: String,
    pub at: i64,
    /// Browser and OS where the event recorded one.
    pub browser: Option<String>,
    /// The client address shortened.
    pub from: String,
}

/// A page of セキュリティ履歴 (newest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub entries: Vec<ActivityEntry>,
    pub page: u32,
    pub has_older: bool,
    pub filter: ActivityFilter,
}

/// Rows a page of セキュリティ履歴 shows.
pub const ACTIVITY_PAGE: u32 = 20;
/// How far back セキュリティ履歴 looks: 12 months.
pub const ACTIVITY_DAYS: i64 = 365;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_filtered_kind_has_words_in_both_languages_and_unknown_filters_show_all() {
        for filter in ActivityFilter::ALL {
            assert_eq!(ActivityFilter::from_code(filter.code()), filter);
            for kind in filter.kinds() {
                for locale in crate::i18n::Locale::ALL {
                    assert!(texts::event_label(locale, kind).is_some(), "{kind}");
                }
            }
        }
        assert_eq!(ActivityFilter::from_code("x' OR 1=1"), ActivityFilter::All);
        assert_eq!(
            texts::event_label(crate::i18n::Locale::Ja, "login.throttled"),
            None,
            "noise is not shown"
        );
        assert_eq!(texts::event_label(crate::i18n::Locale::Ja, "login.succeeded"), Some("ログイン"));
        assert_eq!(texts::event_label(crate::i18n::Locale::En, "login.succeeded"), Some("Signed in"));
    }
}
