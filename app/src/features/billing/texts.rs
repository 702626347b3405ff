//! The words of the billing screens and mails, Japanese and English side by side (a
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

crate::texts! {
    pub struct BillingTexts {
        title =
            "ご請求明細の確認",
            "Invoices";
        none =
            "ご請求はまだありません。最初のご請求が確定すると、ここに表示されます。",
            "No invoice yet. Your first invoice appears here once it is issued.";
        chart_title =
            "過去12か月のご請求金額",
            "Your invoices over the last 12 months";
        /// The chart's text for screen readers (months, lowest, highest).
        chart_label: fn(usize, &str, &str) -> String =
            |n, low, high| format!("過去{n}か月のご請求金額のグラフ。最低 {low}、最高 {high}。各月の金額は下の表のとおりです。"),
            |n, low, high| format!("Chart of the last {n} months' invoices: lowest {low}, highest {high}. The table below lists each month.");
        months_title =
            "月別のご請求",
            "Invoices by month";
        col_month =
            "ご請求月",
            "Month";
        col_total =
            "ご請求金額（税込）",
            "Amount (tax incl.)";
        col_status =
            "お支払い状況",
            "Status";
        scheduled =
            "お支払い予定",
            "Scheduled";
        paid =
            "お支払い済み",
            "Paid";
        overdue =
            "未払い",
            "Unpaid";
        /// The statement's heading (month).
        statement_title: fn(&str) -> String =
            |month| format!("{month}分のご請求明細"),
            |month| format!("Invoice for {month}");
        issued_on =
            "発行日",
            "Issued";
        due_on =
            "お支払い予定日",
            "Payment date";
        paid_on =
            "お支払い日",
            "Paid on";
        payment_method =
            "お支払い方法",
            "Payment method";
        col_item =
            "項目",
            "Item";
        col_amount =
            "金額（税込）",
            "Amount (tax incl.)";
        /// 日割り (days, of days).
        prorated: fn(u8, u8) -> String =
            |d, of| format!("日割り {d}日分／{of}日"),
            |d, of| format!("prorated: {d} of {of} days");
        subtotal =
            "小計（税抜）",
            "Subtotal (excl. tax)";
        /// The tax-included total at a rate (rate).
        rate_total: fn(i64) -> String =
            |rate| format!("{rate}%対象（税込）"),
            |rate| format!("Taxable at {rate}% (tax incl.)");
        /// The consumption tax at a rate (rate).
        rate_tax: fn(i64) -> String =
            |rate| format!("消費税（{rate}%）"),
            |rate| format!("Consumption tax ({rate}%)");
        total =
            "ご請求金額合計（税込）",
            "Total (tax incl.)";
        /// 未払い: what happened and how to pay (payment date).
        overdue_help: fn(&str) -> String =
            |due| format!("{due}のお引き落としができませんでした。お手数ですが、イッツコム カスタマーセンター（0120-109199　9:30～18:00）へご連絡ください。お支払い用の払込票（コンビニエンスストア・郵便局でお支払いいただけます）をお送りします。"),
            |due| format!("The debit on {due} did not go through. Please call the iTSCOM customer center (0120-109199, 9:30–18:00): we will send you a payment slip you can pay at a convenience store or post office.");
        change_title =
            "前月からの変化",
            "Compared with the previous month";
        /// Against the previous month (month, difference): up, down.
        change_up: fn(&str, &str) -> String =
            |month, diff| format!("前月（{month}）より {diff} 増えました。"),
            |month, diff| format!("{diff} more than the previous month ({month}).");
        change_down: fn(&str, &str) -> String =
            |month, diff| format!("前月（{month}）より {diff} 減りました。"),
            |month, diff| format!("{diff} less than the previous month ({month}).");
        change_same: fn(&str) -> String =
            |month| format!("前月（{month}）と同じ金額です。"),
            |month| format!("The same amount as the previous month ({month}).");
        change_new =
            "追加",
            "New";
        change_ended =
            "終了",
            "Ended";
        change_changed =
            "変更",
            "Changed";
        change_first =
            "前月のご請求はありません。",
            "There is no invoice for the previous month.";
        pdf_invoice =
            "請求書（PDF）",
            "Invoice (PDF)";
        pdf_receipt =
            "領収書（PDF）",
            "Receipt (PDF)";
        payment_current =
            "現在のお支払い方法",
            "Your payment method";
        payment_none =
            "お支払い方法は登録されていません。",
            "No payment method is registered.";
        payment_changed =
            "お支払い方法をクレジットカードに変更しました。次回のご請求から新しいお支払い方法が適用されます。連絡先メールアドレスにお知らせをお送りしました。",
            "Your payment method is now the credit card. It is used from your next invoice. We have sent a notice to your contact address.";
        payment_to_card =
            "クレジットカード払いに変更する",
            "Pay by credit card";
        payment_to_other_card =
            "別のクレジットカードに変更する",
            "Change to another credit card";
        payment_card_lead =
            "「カード情報の入力へ進む」を押すと、決済代行会社のカード情報入力画面に移動します。入力が終わると、この画面に戻ります。",
            "\"Continue to card entry\" takes you to the payment company's card page. When you are done there, you come back here.";
        payment_card_safety =
            "カード番号とセキュリティコードは決済代行会社の画面でのみ入力し、マイページには保存されません。マイページに残るのはカードの種類、下4桁、有効期限だけです。",
            "The card number and security code are entered only on the payment company's page and are never stored in My Page: it keeps only the card's brand, last 4 digits and expiry.";
        payment_to_gateway =
            "カード情報の入力へ進む",
            "Continue to card entry";
        /// No payment gateway configured: a change to a card is not offered online (the
        /// support line and its hours follow).
        payment_card_offline =
            "クレジットカードへの変更は、現在オンラインではお受けしておりません。",
            "A change to a credit card cannot be made online at the moment.";
        payment_card_offline_call: fn(&str, &str) -> String =
            |phone, hours| format!("お手数ですが、カスタマーセンター（{phone}、受付時間 {hours}）へお電話でお申し付けください。"),
            |phone, h| format!("Please call our customer center ({phone}, open {}) to make the change by phone.", h.replace('～', "–"));
        payment_bank_title =
            "口座振替をご希望の場合",
            "To pay by bank debit";
        payment_bank_body =
            "口座振替への変更や、お引き落とし口座の変更は、書面（口座振替依頼書）でのお手続きとなります。イッツコム カスタマーセンター（0120-109199　9:30～18:00）へご請求ください。ご記入・お届け印の押印のうえご返送いただくと、金融機関の手続き後（1～2か月後のご請求から）切り替わります。",
            "A change to bank debit, or of the debited account, is made on paper (the bank debit request form). Ask the iTSCOM customer center (0120-109199, 9:30–18:00) for it. Once you return it filled in and stamped, the change applies after the bank's processing (from the invoice one or two months later).";
        /// 口座振替 (bank or empty, last 4).
        bank: fn(&str, &str) -> String =
            |bank, last4| if bank.is_empty() { format!("口座振替（口座番号 ****{last4}）") } else { format!("口座振替（{bank} 口座番号 ****{last4}）") },
            |bank, last4| if bank.is_empty() { format!("Bank debit (account ****{last4})") } else { format!("Bank debit ({bank}, account ****{last4})") };
        /// クレジットカード (brand, last 4, MM/YYYY).
        card: fn(&str, &str, &str) -> String =
            |brand, last4, exp| format!("クレジットカード（{brand} ****{last4} 有効期限 {exp}）"),
            |brand, last4, exp| format!("Credit card ({brand} ****{last4}, expires {exp})");
        // The PDFs (server only).
        #[cfg(feature = "ssr")]
        pdf_invoice_title =
            "請求書（適格請求書）",
            "Invoice (qualified invoice)";
        #[cfg(feature = "ssr")]
        pdf_receipt_title =
            "領収書",
            "Receipt";
        #[cfg(feature = "ssr")]
        pdf_amount_billed =
            "ご請求金額（税込）",
            "Amount billed (tax incl.)";
        #[cfg(feature = "ssr")]
        pdf_amount_received =
            "領収金額（税込）",
            "Amount received (tax incl.)";
        /// 但し書き (month).
        #[cfg(feature = "ssr")]
        pdf_receipt_for: fn(&str) -> String =
            |month| format!("但し、{month}分 ご利用料金として、上記正に領収いたしました。"),
            |month| format!("Received with thanks for the services of {month}.");
        #[cfg(feature = "ssr")]
        pdf_period =
            "ご利用月",
            "Month of service";
        /// After the recipient's name on a document (様).
        #[cfg(feature = "ssr")]
        pdf_honorific =
            "様",
            "";
        #[cfg(feature = "ssr")]
        pdf_document_no =
            "書類番号",
            "Document no.";
        #[cfg(feature = "ssr")]
        pdf_registration_no =
            "登録番号",
            "Registration no.";
        #[cfg(feature = "ssr")]
        pdf_footnote =
            "金額はすべて税込です。消費税額は税率ごとの合計金額から算出し、1円未満を切り捨てています。",
            "All amounts include tax. The consumption tax is computed on each rate's total and rounded down to the yen.";
        /// The downloaded file's name (month).
        #[cfg(feature = "ssr")]
        pdf_invoice_file: fn(&str) -> String =
            |month| format!("請求書_{month}.pdf"),
            |month| format!("invoice_{month}.pdf");
        #[cfg(feature = "ssr")]
        pdf_receipt_file: fn(&str) -> String =
            |month| format!("領収書_{month}.pdf"),
            |month| format!("receipt_{month}.pdf");
        /// Mail お支払い方法変更のお知らせ (method as printed, when).
        #[cfg(feature = "ssr")]
        mail_payment_subject =
            "お支払い方法変更のお知らせ",
            "Your payment method was changed";
        #[cfg(feature = "ssr")]
        mail_payment: fn(&str, &str) -> Vec<String> =
            |method, at| {
                vec![
                    format!("{at}に、お支払い方法を次のとおり変更しました。\n{method}"),
                    "次回のご請求から新しいお支払い方法でお支払いいただきます。".into(),
                    "お心当たりのない場合は、すぐにパスワードを変更し、イッツコム カスタマーセンター（0120-109199　9:30～18:00）へご連絡ください。".into(),
                ]
            },
            |method, at| {
                vec![
                    format!("On {at} your payment method was changed to:\n{method}"),
                    "Your next invoice is paid this way.".into(),
                    "If you did not do this, change your password at once and call the iTSCOM customer center (0120-109199, 9:30–18:00).".into(),
                ]
            };
        /// Mail ご請求金額確定のお知らせ: the month's invoice is issued (month, total, due
        /// date, link). Never card data.
        #[cfg(feature = "ssr")]
        mail_issued_subject =
            "ご請求金額確定のお知らせ",
            "Your invoice is ready";
        #[cfg(feature = "ssr")]
        mail_issued: fn(&str, &str, &str, &str) -> Vec<String> =
            |month, total, due, link| {
                vec![
                    format!("{month}分のご請求金額が確定しました。"),
                    format!("ご請求金額: {total}（税込）\nお支払い予定日: {due}"),
                    format!("明細はマイページの「ご請求明細の確認」でご覧いただけます:\n{link}"),
                ]
            },
            |month, total, due, link| {
                vec![
                    format!("Your invoice for {month} has been issued."),
                    format!("Amount: {total} (tax included)\nPayment date: {due}"),
                    format!("See the details under \"Invoices\" in My Page:\n{link}"),
                ]
            };
    }
}
