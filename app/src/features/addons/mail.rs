//! The add-on mails, Japanese or English, plain text and HTML: the words come from
//! this feature's `texts` (the `mail_*` entries, server only), put in the common frame
//! by [`crate::ssr::mail::wrap`] (escaped HTML, one-line subjects).

use crate::i18n::Locale;
use crate::ssr::config::Settings;
use crate::ssr::mail::{wrap, Mail};

/// オプションサービス終了のお知らせ: the add-on `name` ended on `date` (its last day) with
/// the service it goes with.
pub fn addon_ended(settings: &Settings, locale: Locale, to: &str, name: &str, date: &str) -> Mail {
    let w = super::texts::of(locale);
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    let date = crate::i18n::format_date(locale, date);
    let name = &crate::i18n::catalogue_name(locale, name);
    wrap(settings, locale, to, w.mail_ended_subject, &(w.mail_ended)(name, &date, &phone, &hours))
}

/// オプションサービスのお申し込み / 解約: the add-on, its fee and its first day
/// (`applied`) or last day, to the contact address.
pub fn addon_notice(
    settings: &Settings,
    locale: Locale,
    to: &str,
    name: &str,
    fee: crate::domain::Yen,
    applied: bool,
    date: &str,
) -> Mail {
    let w = super::texts::of(locale);
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    let date = crate::i18n::format_date(locale, date);
    let name = &crate::i18n::catalogue_name(locale, name);
    if applied {
        let fee = crate::i18n::format_yen(locale.texts(), fee);
        wrap(
            settings,
            locale,
            to,
            w.mail_applied_subject,
            &(w.mail_applied)(name, &fee, &date, &phone, &hours),
        )
    } else {
        wrap(settings, locale, to, w.mail_cancelled_subject, &(w.mail_cancelled)(name, &date, &phone, &hours))
    }
}
