//! The account and contact address mails, Japanese or English, plain text and HTML: the words come from
//! this feature's `texts` (the `mail_*` entries, server only), put in the common frame
//! by [`crate::ssr::mail::wrap`] (escaped HTML, one-line subjects).

use crate::i18n::Locale;
use crate::ssr::config::Settings;
use crate::ssr::mail::{format_time, wrap, Mail};

/// iTSCOM IDの変更: the single-use link the new address opens to confirm (24 hours).
pub fn id_change_confirm(settings: &Settings, locale: Locale, to: &str, link: &str) -> Mail {
    let w = super::texts::of(locale);
    wrap(settings, locale, to, w.mail_id_confirm_subject, &(w.mail_id_confirm)(link))
}

/// An ID change to an address that is already an iTSCOM ID: no link.
pub fn id_change_attempt_on_taken_id(settings: &Settings, locale: Locale, to: &str) -> Mail {
    let w = super::texts::of(locale);
    wrap(settings, locale, to, w.mail_id_confirm_subject, &(w.mail_id_taken)())
}

/// To the contact address before the change: the iTSCOM ID was changed.
pub fn id_changed_notice(settings: &Settings, locale: Locale, to: &str, new_id: &str, at: i64) -> Mail {
    let w = super::texts::of(locale);
    crate::ssr::mail::with_center(
        settings,
        locale,
        to,
        w.mail_id_changed_subject,
        w.mail_id_changed,
        new_id,
        at,
    )
}

/// To the contact address at the moment an ID change is requested, with a link that
/// cancels it.
pub fn id_change_requested(
    settings: &Settings,
    locale: Locale,
    to: &str,
    new_id: &str,
    at: i64,
    cancel_link: &str,
) -> Mail {
    let w = super::texts::of(locale);
    let paragraphs = (w.mail_id_requested)(new_id, &format_time(locale, at), cancel_link);
    wrap(settings, locale, to, w.mail_id_requested_subject, &paragraphs)
}

/// お客さま情報変更のお知らせ: to the contact address in force before the change, what
/// changed (`what`, already in the locale's words) and when.
pub fn profile_changed(settings: &Settings, locale: Locale, to: &str, what: &str, at: i64) -> Mail {
    let w = super::texts::of(locale);
    crate::ssr::mail::with_center(settings, locale, to, w.mail_profile_subject, w.mail_profile, what, at)
}

/// To the contact address a change replaced: the new address, when, and the single-use
/// link that takes the change back (7 days).
pub fn contact_changed(
    settings: &Settings,
    locale: Locale,
    to: &str,
    new: &str,
    at: i64,
    link: &str,
) -> Mail {
    let w = super::texts::of(locale);
    let paragraphs = (w.mail_contact_changed)(new, &format_time(locale, at), link);
    wrap(settings, locale, to, w.mail_contact_changed_subject, &paragraphs)
}

/// To the contact address a revert link restored: every device is logged out.
pub fn contact_reverted(settings: &Settings, locale: Locale, to: &str, at: i64) -> Mail {
    let w = super::texts::of(locale);
    wrap(
        settings,
        locale,
        to,
        w.mail_contact_reverted_subject,
        &(w.mail_contact_reverted)(&format_time(locale, at)),
    )
}

/// To a new contact address: the single-use link that confirms it (24 hours).
pub fn contact_confirm(settings: &Settings, locale: Locale, to: &str, link: &str) -> Mail {
    let w = super::texts::of(locale);
    wrap(settings, locale, to, w.mail_contact_confirm_subject, &(w.mail_contact_confirm)(link))
}
