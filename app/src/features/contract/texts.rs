//! The words of the contract screens and document, Japanese and English (a text with
//! values is a function of them). Shared words are in `crate::i18n`.

use crate::i18n::Locale;

pub struct ContractTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub holder: &'static str,
    pub customer_no: &'static str,
    pub address: &'static str,
    pub col_service: &'static str,
    pub plan: &'static str,
    pub monthly_fee: &'static str,
    pub started_on: &'static str,
    pub term: &'static str,
    /// The term (months).
    pub term_months: fn(u32) -> String,
    pub no_term: &'static str,
    pub renewal: &'static str,
    /// What 更新月 means (the fee).
    pub renewal_help: fn(&str) -> String,
    pub devices: &'static str,
    pub installation_address: &'static str,
    pub payment: &'static str,
    pub no_services: &'static str,
    pub document: &'static str,
    pub document_lead: &'static str,
    pub history_link: &'static str,
    pub history_title: &'static str,
    pub history_filter: &'static str,
    pub history_all: &'static str,
    pub history_show: &'static str,
    pub history_none: &'static str,
    pub history_done: &'static str,
    pub col_date: &'static str,
    pub col_event: &'static str,
    pub col_state: &'static str,
    /// Events (kind label, plan…).
    pub started: fn(&str, &str) -> String,
    pub ended: fn(&str, &str) -> String,
    pub plan_changed: fn(&str, &str, &str) -> String,
    pub payment_changed: fn(&str, &str) -> String,
    pub mailbox_created: fn(&str) -> String,
    pub id_changed: &'static str,
    pub device_stb: &'static str,
    pub device_hitpot: &'static str,
    pub device_modem: &'static str,
    // The contract document (PDF, server only).
    #[cfg(feature = "ssr")]
    pub pdf_title: &'static str,
    #[cfg(feature = "ssr")]
    pub pdf_issued_on: &'static str,
    #[cfg(feature = "ssr")]
    pub pdf_terms_title: &'static str,
    #[cfg(feature = "ssr")]
    pub pdf_terms: &'static [&'static str],
    #[cfg(feature = "ssr")]
    pub pdf_file: &'static str,
}

pub const JA: ContractTexts = ContractTexts {
    title: "ご契約情報確認・変更",
    lead: "現在ご契約中のサービスです。料金はすべて税込です。",
    holder: "ご契約者",
    customer_no: "お客さま番号",
    address: "ご住所",
    col_service: "サービス",
    plan: "コース・プラン",
    monthly_fee: "月額料金（税込）",
    started_on: "ご利用開始日",
    term: "契約期間",
    term_months: |n| format!("{n}か月（自動更新）"),
    no_term: "定めなし",
    renewal: "次回の更新月",
    renewal_help: |fee| format!("更新月にご解約・コース変更される場合、契約解除料はかかりません。それ以外の月は契約解除料 {fee} がかかります。"),
    devices: "ご利用機器",
    installation_address: "設置場所",
    payment: "お支払い方法",
    no_services: "ご契約中のサービスはありません。",
    document: "契約内容確認書のダウンロード",
    document_lead: "ご契約内容を記載した確認書（PDF）をダウンロードできます。",
    history_link: "サービス加入・変更履歴",
    history_title: "サービス加入・変更履歴",
    history_filter: "サービスで絞り込む",
    history_all: "すべてのサービス",
    history_show: "表示する",
    history_none: "該当する履歴はありません。",
    history_done: "完了",
    col_date: "日付",
    col_event: "内容",
    col_state: "状態",
    started: |kind, plan| format!("{kind} ご利用開始（{plan}）"),
    ended: |kind, plan| format!("{kind} ご解約（{plan}）"),
    plan_changed: |kind, from, to| format!("{kind} コース変更（{from} → {to}）"),
    payment_changed: |brand, last4| format!("お支払い方法の変更（クレジットカード {brand} ****{last4}）"),
    mailbox_created: |address| format!("メールアドレスの登録（{address}）"),
    id_changed: "iTSCOM IDの変更",
    device_stb: "STB（セットトップボックス）",
    device_hitpot: "Hit pot",
    device_modem: "ケーブルモデム",
    #[cfg(feature = "ssr")]
    pdf_title: "契約内容確認書",
    #[cfg(feature = "ssr")]
    pdf_issued_on: "発行日",
    #[cfg(feature = "ssr")]
    pdf_terms_title: "主なご契約条件",
    #[cfg(feature = "ssr")]
    pdf_terms: &[
        "料金はすべて税込です。月の途中でのご利用開始・ご解約・コース変更の月は、日割りで計算します。",
        "契約期間の定めのあるサービスは、契約期間満了の翌月（更新月）を除き、期間内にご解約・コース変更される場合に契約解除料がかかります。契約期間は自動で更新されます。",
        "ご利用料金は毎月10日に確定し、翌月27日にご登録のお支払い方法でお支払いいただきます。",
        "レンタル機器はご解約時にご返却いただきます。ご返却がない場合、機器損害金を申し受けることがあります。",
        "ご契約内容の変更・ご解約は、マイページまたはイッツコム カスタマーセンター（0120-109199　9:30～18:00）で承ります。",
    ],
    #[cfg(feature = "ssr")]
    pdf_file: "契約内容確認書.pdf",
};

pub const EN: ContractTexts = ContractTexts {
    title: "Your contract",
    lead: "The services you have now. All prices include tax.",
    holder: "Contract holder",
    customer_no: "Customer number",
    address: "Address",
    col_service: "Service",
    plan: "Plan",
    monthly_fee: "Monthly fee (tax incl.)",
    started_on: "Start date",
    term: "Term",
    term_months: |n| format!("{n} months (renewed automatically)"),
    no_term: "None",
    renewal: "Next renewal month",
    renewal_help: |fee| format!("Ending or changing the plan in its renewal month costs nothing; in any other month the early termination fee of {fee} applies."),
    devices: "Equipment",
    installation_address: "Installed at",
    payment: "Payment method",
    no_services: "You have no service under contract.",
    document: "Download the contract document",
    document_lead: "A document (PDF) stating your contract.",
    history_link: "History",
    history_title: "Subscription and change history",
    history_filter: "Filter by service",
    history_all: "All services",
    history_show: "Show",
    history_none: "Nothing to show.",
    history_done: "Done",
    col_date: "Date",
    col_event: "What",
    col_state: "State",
    started: |kind, plan| format!("{kind} started ({plan})"),
    ended: |kind, plan| format!("{kind} ended ({plan})"),
    plan_changed: |kind, from, to| format!("{kind} plan changed ({from} → {to})"),
    payment_changed: |brand, last4| format!("Payment method changed (credit card {brand} ****{last4})"),
    mailbox_created: |address| format!("Mailbox created ({address})"),
    id_changed: "iTSCOM ID changed",
    device_stb: "STB (set-top box)",
    device_hitpot: "Hit pot",
    device_modem: "Cable modem",
    #[cfg(feature = "ssr")]
    pdf_title: "Contract confirmation",
    #[cfg(feature = "ssr")]
    pdf_issued_on: "Issued",
    #[cfg(feature = "ssr")]
    pdf_terms_title: "Main terms",
    #[cfg(feature = "ssr")]
    pdf_terms: &[
        "All prices include tax. Months in which a service starts, ends or changes plan are prorated by days.",
        "Services with a term cost the early termination fee when ended or changed inside the term, except in the month after it ends (the renewal month). Terms renew automatically.",
        "Each month's charges are fixed on the 10th and paid on the 27th of the next month by your payment method.",
        "Rented equipment is returned when the service ends; unreturned equipment may be charged.",
        "Changes and cancellations: in My Page or at the iTSCOM customer center (0120-109199, 9:30–18:00).",
    ],
    #[cfg(feature = "ssr")]
    pdf_file: "contract.pdf",
};

/// The texts of `locale`.
pub fn of(locale: Locale) -> &'static ContractTexts {
    match locale {
        Locale::Ja => &JA,
        Locale::En => &EN,
    }
}

/// The texts of the page being rendered.
pub fn t() -> &'static ContractTexts {
    of(crate::i18n::use_locale())
}
