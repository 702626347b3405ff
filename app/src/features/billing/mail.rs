//! The billing mails, Japanese or English, plain text and HTML: the words come from
//! this feature's `texts` (the `mail_*` entries, server only), put in the common frame
//! by [`crate::ssr::mail::wrap`] (escaped HTML, one-line subjects).

use crate::i18n::Locale;
use crate::ssr::config::Settings;
use crate::ssr::mail::{format_time, wrap, Mail};

/// ご請求金額確定のお知らせ: a month's invoice is issued (month `YYYY-MM`, total, due
/// date `YYYY-MM-DD`, a link to it). Never card data.
pub fn invoice_issued(
    settings: &Settings,
    locale: Locale,
    to: &str,
    month: &str,
    total: crate::domain::Yen,
    due_on: &str,
    link: &str,
) -> Mail {
    let w = super::texts::of(locale);
    let month = crate::i18n::format_month(locale, month);
    let total = crate::i18n::format_yen(locale.texts(), total);
    let due = crate::i18n::format_date(locale, due_on);
    wrap(settings, locale, to, w.mail_issued_subject, &(w.mail_issued)(&month, &total, &due, link))
}

/// お支払い方法変更のお知らせ: to the contact address, the new method (as printed:
/// brand and last 4 only) and when.
pub fn payment_method_changed(settings: &Settings, locale: Locale, to: &str, method: &str, at: i64) -> Mail {
    let w = super::texts::of(locale);
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    wrap(
        settings,
        locale,
        to,
        w.mail_payment_subject,
        &(w.mail_payment)(method, &format_time(locale, at), &phone, &hours),
    )
}
