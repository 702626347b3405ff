//! The billing mails, Japanese or English, plain text and HTML: the words come from
//! this feature's `texts` (the `mail_*` entries, server only), put in the common frame
//! by [`crate::ssr::mail::wrap`] (escaped HTML, one-line subjects).

use crate::i18n::Locale;
use crate::ssr::config::Settings;
use crate::ssr::mail::{with_center, wrap, Mail};

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
    let nothing_due = total.0 <= 0;
    let credit = (total.0 < 0).then(|| crate::i18n::format_yen(locale.texts(), crate::domain::Yen(-total.0)));
    let (month, total) = month_and_total(locale, month, total);
    let paragraphs = if nothing_due {
        let mut paragraphs = (w.mail_issued_nothing_due)(&month, &total, link);
        // A credit larger than the month: where it goes (the page says the same).
        if let Some(credit) = credit {
            paragraphs.insert(2, (w.credit_help)(&credit));
        }
        paragraphs
    } else {
        (w.mail_issued)(&month, &total, &crate::i18n::format_date(locale, due_on), link)
    };
    wrap(settings, locale, to, w.mail_issued_subject, &paragraphs)
}

/// お支払いが確認できませんでした: the bank or the card company reported the payment of
/// month `YYYY-MM` (its total) failed on `on` (`YYYY-MM-DD`); whom to call, and a link
/// to the month.
pub fn payment_failed(
    settings: &Settings,
    locale: Locale,
    to: &str,
    month: &str,
    total: crate::domain::Yen,
    on: &str,
    link: &str,
) -> Mail {
    let w = super::texts::of(locale);
    let (month, total) = month_and_total(locale, month, total);
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    let on = crate::i18n::format_date(locale, on);
    wrap(
        settings,
        locale,
        to,
        w.mail_failed_subject,
        &(w.mail_failed)(&month, &total, &on, link, &phone, &hours),
    )
}

/// A month (`YYYY-MM`) and a total as the locale writes them.
fn month_and_total(locale: Locale, month: &str, total: crate::domain::Yen) -> (String, String) {
    (crate::i18n::format_month(locale, month), crate::i18n::format_yen(locale.texts(), total))
}

/// お支払い方法変更のお知らせ: to the contact address, the new method (as printed:
/// brand and last 4 only) and when.
pub fn payment_method_changed(settings: &Settings, locale: Locale, to: &str, method: &str, at: i64) -> Mail {
    let w = super::texts::of(locale);
    with_center(settings, locale, to, w.mail_payment_subject, w.mail_payment, method, at)
}

/// お支払い方法は変更されていません: a card entered at the gateway for a change that
/// no longer waited (expired, or the device that started it signed out) was not
/// applied; the card as printed (brand and last 4), when, and whom to call (the gateway
/// may still hold it).
pub fn card_not_applied(settings: &Settings, locale: Locale, to: &str, card: &str, at: i64) -> Mail {
    let w = super::texts::of(locale);
    with_center(settings, locale, to, w.mail_card_not_applied_subject, w.mail_card_not_applied, card, at)
}

#[cfg(test)]
mod tests {
    use crate::i18n::Locale;

    /// An invoice of ¥0 or a credit names no payment date: nothing is collected.
    #[test]
    fn an_invoice_with_nothing_to_pay_says_so_and_names_no_payment_date() {
        let s = crate::ssr::config::Settings::from_lookup(|_| None).unwrap();
        for locale in Locale::ALL {
            let mail = |total| {
                super::invoice_issued(
                    &s,
                    locale,
                    "t@x",
                    "2026-11",
                    crate::domain::Yen(total),
                    "2026-12-27",
                    "L",
                )
                .text
            };
            let (date, nothing) = match locale {
                Locale::Ja => ("2026年12月27日", "今回のお支払いはありません。"),
                Locale::En => ("27 Dec 2026", "There is nothing to pay this time."),
            };
            for total in [0, -5_000] {
                let text = mail(total);
                assert!(text.contains(nothing) && !text.contains(date), "{text}");
            }
            let text = mail(1);
            assert!(text.contains(date) && !text.contains(nothing), "{text}");
        }
    }

    /// A credit larger than the month's charges says where it goes; ¥0 says nothing of it.
    #[test]
    fn an_invoice_with_a_credit_says_it_is_taken_off_the_next_or_refunded() {
        let s = crate::ssr::config::Settings::from_lookup(|_| None).unwrap();
        let mail = |locale, total| {
            super::invoice_issued(&s, locale, "t@x", "2026-11", crate::domain::Yen(total), "2026-12-28", "L")
                .text
        };
        let ja = mail(Locale::Ja, -4_720);
        assert!(
            ja.contains("4,720円は翌月のご請求から差し引きます") && ja.contains("ご返金いたします"),
            "{ja}"
        );
        assert!(mail(Locale::En, -4_720).contains("The ¥4,720 will be taken off next month's invoice"));
        assert!(!mail(Locale::Ja, 0).contains("差し引きます"));
    }
}
