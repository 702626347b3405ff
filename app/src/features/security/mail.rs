//! The security centre's mail: a change of the sign-in settings, to the contact address
//! (words from this feature's `texts`, in the common frame of [`crate::ssr::mail::wrap`]).

use crate::i18n::Locale;
use crate::ssr::config::Settings;
use crate::ssr::mail::{format_time, wrap, Mail};

/// A right password and a wrong code at a login: the password may be known to someone
/// else; when, from what browser, and the link to ログイン・セキュリティ設定.
pub fn password_known(settings: &Settings, locale: Locale, to: &str, at: i64, browser: &str) -> Mail {
    let w = super::texts::of(locale);
    let link = settings.public_url.join(super::routes::SECURITY).map(String::from).unwrap_or_default();
    let paragraphs = (w.mail_password_known)(&format_time(locale, at), browser, &link);
    wrap(settings, locale, to, w.mail_password_known_subject, &paragraphs)
}

/// A login by a recovery code: when, the codes left, and the link to ログイン・セキュリティ設定.
pub fn recovery_code_used(settings: &Settings, locale: Locale, to: &str, left: i64, at: i64) -> Mail {
    let w = super::texts::of(locale);
    let link = settings.public_url.join(super::routes::SECURITY).map(String::from).unwrap_or_default();
    let paragraphs = (w.mail_recovery_used)(&format_time(locale, at), left, &link);
    wrap(settings, locale, to, w.mail_recovery_used_subject, &paragraphs)
}

/// Two-step verification turned on or off, new recovery codes: what, when, and the
/// link to ログイン・セキュリティ設定.
pub fn sign_in_changed(settings: &Settings, locale: Locale, to: &str, what: &str, at: i64) -> Mail {
    let w = super::texts::of(locale);
    let link = settings.public_url.join(super::routes::SECURITY).map(String::from).unwrap_or_default();
    wrap(
        settings,
        locale,
        to,
        w.mail_changed_subject,
        &(w.mail_changed)(what, &format_time(locale, at), &link),
    )
}
