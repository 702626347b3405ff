//! The words of the billing screens and mails, Japanese and English, in `texts.toml` (a
//! text with values is a function of them). Words shared by several features are in
//! `crate::i18n`.

/// How a payment method is written on the statement, the payment screen, the PDFs and
/// the mails.
pub fn describe_payment(tb: &BillingTexts, method: &super::PaymentMethod) -> String {
    match method {
        super::PaymentMethod::Bank { bank, last4 } => (tb.bank)(bank.as_deref().unwrap_or_default(), last4),
        super::PaymentMethod::Card { brand, last4, exp_month, exp_year } => {
            (tb.card)(brand, last4, &format!("{exp_month:02}/{exp_year}"))
        }
    }
}

/// The label of a rate's total: `10%対象（税込）`, or `不課税` for what is outside the tax.
pub fn rate_label(tb: &BillingTexts, rate: i64) -> String {
    if rate == 0 {
        tb.non_taxable.to_string()
    } else {
        (tb.rate_total)(rate)
    }
}

crate::texts! {
    pub struct BillingTexts in "texts.toml" {
        payment_card_offline_call: fn(&str, &str) -> String =
            |phone, hours| format!("お手数ですが、カスタマーセンター（{phone}、受付時間 {hours}）へお電話でお申し付けください。"),
            |phone, h| format!("Please call our customer center ({phone}, open {}) to make the change by phone.", h.replace('～', "–"));
        /// 口座振替 (bank or empty, last 4).
        bank: fn(&str, &str) -> String =
            |bank, last4| if bank.is_empty() { format!("口座振替（口座番号 ****{last4}）") } else { format!("口座振替（{bank} 口座番号 ****{last4}）") },
            |bank, last4| if bank.is_empty() { format!("Bank debit (account ****{last4})") } else { format!("Bank debit ({bank}, account ****{last4})") };
    }
}
