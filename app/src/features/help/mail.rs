//! The inquiry mails, Japanese or English, plain text and HTML: the words come from
//! this feature's `texts` (the `mail_*` entries, server only), put in the common frame
//! by [`crate::ssr::mail::wrap`] (escaped HTML, one-line subjects).

use crate::i18n::Locale;
use crate::ssr::config::Settings;
use crate::ssr::mail::{wrap, Mail};

/// お問い合わせ受付のお知らせ: the reference number, the category, the message and the
/// attached speed test, to the contact address.
pub fn inquiry_receipt(
    settings: &Settings,
    locale: Locale,
    to: &str,
    reference: &str,
    category: crate::domain::inquiry::InquiryCategory,
    message: &str,
    speed_test: Option<&crate::features::speedtest::SpeedResult>,
) -> Mail {
    use crate::domain::speedtest::format_mbps;
    let w = super::texts::of(locale);
    let attached = speed_test
        .map(|s| {
            (w.attached_result)(
                &crate::i18n::format_datetime(locale, s.finished_at),
                &format_mbps(s.measured.download_kbps),
                &format_mbps(s.measured.upload_kbps),
            )
        })
        .unwrap_or_default();
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    let body = (w.mail_body)(reference, (w.category_name)(category), message, &attached, &phone, &hours);
    wrap(settings, locale, to, w.mail_subject, &body)
}
