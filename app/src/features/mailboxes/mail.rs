//! The mailbox mails, Japanese or English, plain text and HTML: the words come from
//! this feature's `texts` (the `mail_*` entries, server only), put in the common frame
//! by [`crate::ssr::mail::wrap`] (escaped HTML, one-line subjects).

use crate::i18n::Locale;
use crate::ssr::config::Settings;
use crate::ssr::mail::{wrap, Mail};

fn on_off(on: bool) -> &'static str {
    if on {
        "ON"
    } else {
        "OFF"
    }
}

/// A mailbox was registered (never with its password).
pub fn mailbox_created(
    settings: &Settings,
    locale: Locale,
    to: &str,
    address: &str,
    virus_check: bool,
) -> Mail {
    let w = super::texts::of(locale);
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    let words = (w.mail_created)(address, on_off(virus_check), &phone, &hours);
    wrap(settings, locale, to, w.mail_created_subject, &words)
}

/// A mailbox's password was issued again (never with it).
pub fn mailbox_reissued(settings: &Settings, locale: Locale, to: &str, address: &str) -> Mail {
    let w = super::texts::of(locale);
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    wrap(settings, locale, to, w.mail_reissued_subject, &(w.mail_reissued)(address, &phone, &hours))
}

/// A mailbox's virus check was switched.
pub fn mailbox_virus_check(settings: &Settings, locale: Locale, to: &str, address: &str, on: bool) -> Mail {
    let w = super::texts::of(locale);
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    wrap(settings, locale, to, w.mail_virus_subject, &(w.mail_virus)(address, on_off(on), &phone, &hours))
}
