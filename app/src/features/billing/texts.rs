//! The words of the billing screens and mails, Japanese and English: one table per
//! language (a text with values is a function of them). Words shared by several
//! features are in `crate::i18n`.

use crate::i18n::Locale;

pub struct BillingTexts {
    /// Mail ご請求金額確定のお知らせ: the month's invoice is issued (month, total, due
    /// date, link). Never card data.
    #[cfg(feature = "ssr")]
    pub mail_issued_subject: &'static str,
    #[cfg(feature = "ssr")]
    pub mail_issued: fn(&str, &str, &str, &str) -> Vec<String>,
}

pub const JA: BillingTexts = BillingTexts {
    #[cfg(feature = "ssr")]
    mail_issued_subject: "ご請求金額確定のお知らせ",
    #[cfg(feature = "ssr")]
    mail_issued: |month, total, due, link| {
        vec![
            format!("{month}分のご請求金額が確定しました。"),
            format!("ご請求金額: {total}（税込）\nお支払い予定日: {due}"),
            format!("明細はマイページの「ご請求明細の確認」でご覧いただけます:\n{link}"),
        ]
    },
};

pub const EN: BillingTexts = BillingTexts {
    #[cfg(feature = "ssr")]
    mail_issued_subject: "Your invoice is ready",
    #[cfg(feature = "ssr")]
    mail_issued: |month, total, due, link| {
        vec![
            format!("Your invoice for {month} has been issued."),
            format!("Amount: {total} (tax included)\nPayment date: {due}"),
            format!("See the details under \"Invoices\" in My Page:\n{link}"),
        ]
    },
};

/// The texts of `locale`.
pub fn of(locale: Locale) -> &'static BillingTexts {
    match locale {
        Locale::Ja => &JA,
        Locale::En => &EN,
    }
}
