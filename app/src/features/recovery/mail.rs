//! The password recovery mails, Japanese or English, plain text and HTML: the words come from
//! this feature's `texts` (the `mail_*` entries, server only), put in the common frame
//! by [`crate::ssr::mail::wrap`] (escaped HTML, one-line subjects).

use crate::i18n::Locale;
use crate::ssr::config::Settings;
use crate::ssr::mail::{format_time, wrap, Mail};

/// 認証コード通知メール: the 6-digit code, valid 10 minutes.
pub fn recovery_code(settings: &Settings, locale: Locale, to: &str, code: &str) -> Mail {
    let w = super::texts::of(locale);
    wrap(settings, locale, to, w.mail_code_subject, &(w.mail_code)(code))
}

/// Path A (合言葉): the single-use link that asks the secret question again (30 minutes).
pub fn recovery_question_link(settings: &Settings, locale: Locale, to: &str, link: &str) -> Mail {
    let w = super::texts::of(locale);
    wrap(settings, locale, to, w.mail_link_subject, &(w.mail_link)(link))
}

/// After a password reset.
pub fn password_reset_notice(
    settings: &Settings,
    locale: Locale,
    to: &str,
    at: i64,
    passkeys_removed: bool,
) -> Mail {
    let w = super::texts::of(locale);
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    let mut paragraphs = (w.mail_reset)(&format_time(locale, at), &phone, &hours);
    if passkeys_removed {
        paragraphs.insert(1, w.mail_reset_passkeys.to_string());
    }
    wrap(settings, locale, to, w.mail_reset_subject, &paragraphs)
}
