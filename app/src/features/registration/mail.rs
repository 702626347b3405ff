//! The registration mails, Japanese or English, plain text and HTML: the words come from
//! this feature's `texts` (the `mail_*` entries, server only), put in the common frame
//! by [`crate::ssr::mail::wrap`] (escaped HTML, one-line subjects).

use crate::i18n::Locale;
use crate::ssr::config::Settings;
use crate::ssr::mail::{format_time, wrap, Mail};

/// iTSCOM ID 新規登録: the single-use confirmation link (24 hours).
pub fn registration_confirm(settings: &Settings, locale: Locale, to: &str, link: &str) -> Mail {
    let w = super::texts::of(locale);
    wrap(settings, locale, to, w.mail_confirm_subject, &(w.mail_confirm)(link))
}

/// Someone tried to register an address that is already an iTSCOM ID: no link.
pub fn registration_attempt_on_taken_id(settings: &Settings, locale: Locale, to: &str) -> Mail {
    let w = super::texts::of(locale);
    wrap(settings, locale, to, w.mail_confirm_subject, &(w.mail_taken)())
}

/// To the contact address on record when a first registration completes: an account
/// was created (its ID masked), when, and the link that stops it (7 days).
pub fn registration_created(
    settings: &Settings,
    locale: Locale,
    to: &str,
    id: &str,
    at: i64,
    link: &str,
) -> Mail {
    let w = super::texts::of(locale);
    wrap(settings, locale, to, w.mail_created_subject, &(w.mail_created)(id, &format_time(locale, at), link))
}

/// To the previous contact address: the account's ID and password were registered anew
/// (and, `factors_removed`, its two-step verification turned off).
pub fn registration_replaced(
    settings: &Settings,
    locale: Locale,
    to: &str,
    at: i64,
    factors_removed: bool,
) -> Mail {
    let w = super::texts::of(locale);
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    let mut paragraphs = (w.mail_replaced)(&format_time(locale, at), &phone, &hours);
    if factors_removed {
        paragraphs.insert(1, w.mail_replaced_factors.to_string());
    }
    wrap(settings, locale, to, w.mail_replaced_subject, &paragraphs)
}

/// To the account's contact address, at STEP 3 of a re-registration (before anything
/// changes): who asked, when, from which browser, when it would take effect, and the
/// two single-use links.
#[allow(clippy::too_many_arguments)]
pub fn reregistration_requested(
    settings: &Settings,
    locale: Locale,
    to: &str,
    new_id: &str,
    at: i64,
    browser: &str,
    takes_effect_at: i64,
    held: bool,
    confirm_link: &str,
    cancel_link: &str,
) -> Mail {
    let w = super::texts::of(locale);
    let (when, effect) = (format_time(locale, at), format_time(locale, takes_effect_at));
    let note = if held { w.mail_requested_held } else { w.mail_requested_at_once };
    let paragraphs = (w.mail_requested)(new_id, &when, browser, &effect, note, confirm_link, cancel_link);
    wrap(settings, locale, to, w.mail_requested_subject, &paragraphs)
}

/// To a customer's contact address: repeated failed contract verifications (once a
/// day at most).
pub fn verification_failures_notice(settings: &Settings, locale: Locale, to: &str, at: i64) -> Mail {
    let w = super::texts::of(locale);
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    wrap(
        settings,
        locale,
        to,
        w.mail_failures_subject,
        &(w.mail_failures)(&format_time(locale, at), &phone, &hours),
    )
}
