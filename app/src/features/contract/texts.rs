//! The words of the contract screens and document, Japanese and English (a text with
//! values is a function of them). Shared words are in `crate::i18n`.

use super::PlanRequestStep;
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
    pub change_link: &'static str,
    pub change_title: &'static str,
    pub change_lead: &'static str,
    pub change_current: &'static str,
    pub change_choose: &'static str,
    pub change_confirm: &'static str,
    pub change_none: &'static str,
    pub change_invalid: &'static str,
    pub summary_title: &'static str,
    pub summary_lead: &'static str,
    pub new_fee: &'static str,
    pub effective_on: &'static str,
    pub first_month: &'static str,
    pub termination_fee: &'static str,
    pub termination_none: &'static str,
    pub termination_why: &'static str,
    pub apply: &'static str,
    pub password_lead: &'static str,
    pub request_title: &'static str,
    pub request_id: &'static str,
    pub requested_on: &'static str,
    pub cancel_request: &'static str,
    pub cancel_confirm: &'static str,
    pub requested_ok: fn(&str) -> String,
    pub cancelled_ok: &'static str,
    pub err_pending: &'static str,
    pub err_not_cancellable: &'static str,
    pub err_scheduled: &'static str,
    pub scheduled: fn(&str, &str) -> String,
    pub plan_requested: fn(&str, &str, &str, &str) -> String,
    pub state_received: &'static str,
    pub state_processing: &'static str,
    pub state_done: &'static str,
    pub state_cancelled: &'static str,
    pub state_scheduled: &'static str,
    #[cfg(feature = "ssr")]
    pub termination_line: &'static str,
    #[cfg(feature = "ssr")]
    pub mail_plan_subject: fn(&str) -> String,
    #[cfg(feature = "ssr")]
    pub mail_plan_lead: fn(super::PlanRequestStep) -> &'static str,
    #[cfg(feature = "ssr")]
    pub mail_plan_details: fn(&str, &str, &str, &str, &str, &str) -> String,
    #[cfg(feature = "ssr")]
    pub mail_plan_footer: &'static str,
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
    renewal_help: |fee| format!("更新月のご解約・コース変更に契約解除料はかかりません。それ以外の月のご解約、月額料金の安いコースへの変更には契約解除料 {fee}がかかります。"),
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
    change_link: "プランを変更する",
    change_title: "プラン変更のお申し込み",
    change_lead: "変更後のプランを選び、「確認」を押してください。変更は翌月1日から適用されます。",
    change_current: "現在のプラン",
    change_choose: "変更後のプラン",
    change_confirm: "確認",
    change_none: "このサービスで変更できるプランはありません。",
    change_invalid: "このサービスでは選択できないプランです。一覧から選んでください。",
    summary_title: "お申し込み内容の確認",
    summary_lead: "以下の内容でお申し込みます。よろしければ「申し込む」を押してください。",
    new_fee: "変更後の月額料金（税込）",
    effective_on: "適用開始日",
    first_month: "初月のご利用料金（日割り）",
    termination_fee: "契約解除料",
    termination_none: "かかりません",
    termination_why: "更新月以外に月額料金の安いプランへ変更される場合、契約期間内の解約として契約解除料がかかります（上位プランへの変更、更新月の変更は無料）。",
    apply: "申し込む",
    password_lead: "お申し込みの前に、パスワードを入力してください。",
    request_title: "プラン変更のお申し込み状況",
    request_id: "受付番号",
    requested_on: "お申し込み日",
    cancel_request: "お申し込みを取り消す",
    cancel_confirm: "このお申し込みを取り消します。よろしいですか？",
    requested_ok: |id| format!("プラン変更のお申し込みを受け付けました（受付番号 {id}）。確認のメールをお送りしました。"),
    cancelled_ok: "プラン変更のお申し込みを取り消しました。",
    err_pending: "このサービスには手続き中のプラン変更のお申し込みがあります。完了または取り消し後にお申し込みください。",
    err_scheduled: "変更済みのプランの適用開始前のため、新たなお申し込みはできません。適用開始日以降にお申し込みください。",
    err_not_cancellable: "このお申し込みは手続きが始まっているため、取り消せません。カスタマーセンターにお問い合わせください。",
    scheduled: |plan, date| format!("{date}から {plan} に変更されます。"),
    plan_requested: |kind, from, to, id| format!("{kind} プラン変更のお申し込み（{from} → {to}、受付番号 {id}）"),
    state_received: "受付",
    state_processing: "処理中",
    state_done: "完了",
    state_cancelled: "取消",
    state_scheduled: "予定",
    #[cfg(feature = "ssr")]
    termination_line: "契約解除料（不課税）",
    #[cfg(feature = "ssr")]
    mail_plan_subject: |state| format!("プラン変更のお申し込み（{state}）"),
    #[cfg(feature = "ssr")]
    mail_plan_lead: |step| match step {
        PlanRequestStep::Received => "プラン変更のお申し込みを受け付けました。",
        PlanRequestStep::Processing => "プラン変更の手続きを開始しました。この段階からはマイページで取り消すことはできません。",
        PlanRequestStep::Done => "プラン変更の手続きが完了しました。適用開始日から新しいプランでご利用いただけます。",
        PlanRequestStep::Cancelled => "プラン変更のお申し込みを取り消しました。",
    },
    #[cfg(feature = "ssr")]
    mail_plan_details: |id, service, from, to, fee, date| format!("受付番号: {id}\nサービス: {service}\n変更前: {from}\n変更後: {to}（月額 {fee}）\n適用開始日: {date}"),
    #[cfg(feature = "ssr")]
    mail_plan_footer: "お心当たりのない場合は、イッツコム カスタマーセンター（0120-109199　9:30～18:00）にご連絡ください。",
    #[cfg(feature = "ssr")]
    pdf_title: "契約内容確認書",
    #[cfg(feature = "ssr")]
    pdf_issued_on: "発行日",
    #[cfg(feature = "ssr")]
    pdf_terms_title: "主なご契約条件",
    #[cfg(feature = "ssr")]
    pdf_terms: &[
        "料金はすべて税込です。月の途中でのご利用開始・ご解約・コース変更の月は、日割りで計算します。",
        "契約期間の定めのあるサービスは、契約期間満了の翌月（更新月）を除き、期間内にご解約、または月額料金の安いコースへ変更される場合に契約解除料がかかります。契約期間は自動で更新されます。",
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
    renewal_help: |fee| format!("Ending or changing the plan in its renewal month costs nothing; ending it, or changing to a cheaper plan, in any other month costs the early termination fee of {fee}."),
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
    change_link: "Change plan",
    change_title: "Change your plan",
    change_lead: "Choose the new plan and press Confirm. The change applies from the 1st of next month.",
    change_current: "Current plan",
    change_choose: "New plan",
    change_confirm: "Confirm",
    change_none: "There is no other plan for this service.",
    change_invalid: "That plan is not available for this service. Choose one from the list.",
    summary_title: "Check your request",
    summary_lead: "Press Apply to send this request.",
    new_fee: "New monthly fee (tax incl.)",
    effective_on: "Applies from",
    first_month: "First month (prorated)",
    termination_fee: "Early termination fee",
    termination_none: "None",
    termination_why: "Changing to a cheaper plan outside the renewal month ends the term early and costs the early termination fee (changing to a dearer plan, or in the renewal month, is free).",
    apply: "Apply",
    password_lead: "Enter your password to apply.",
    request_title: "Plan change request",
    request_id: "Reference",
    requested_on: "Requested on",
    cancel_request: "Cancel the request",
    cancel_confirm: "Cancel this request?",
    requested_ok: |id| format!("Your plan change request is received (reference {id}). We have sent a confirmation mail."),
    cancelled_ok: "Your plan change request is cancelled.",
    err_pending: "This service already has a plan change request under way. Apply again once it is done or cancelled.",
    err_scheduled: "A completed change has not started yet: apply for another once it is in force.",
    err_not_cancellable: "This request is already being processed and cannot be cancelled. Please call the customer center.",
    scheduled: |plan, date| format!("Changes to {plan} from {date}."),
    plan_requested: |kind, from, to, id| format!("{kind} plan change request ({from} → {to}, reference {id})"),
    state_received: "Received",
    state_processing: "Processing",
    state_done: "Done",
    state_cancelled: "Cancelled",
    state_scheduled: "Scheduled",
    #[cfg(feature = "ssr")]
    termination_line: "Early termination fee (non-taxable)",
    #[cfg(feature = "ssr")]
    mail_plan_subject: |state| format!("Your plan change request ({state})"),
    #[cfg(feature = "ssr")]
    mail_plan_lead: |step| match step {
        PlanRequestStep::Received => "We have received your plan change request.",
        PlanRequestStep::Processing => "We have started processing your plan change; it can no longer be cancelled in My Page.",
        PlanRequestStep::Done => "Your plan change is complete. The new plan applies from the date below.",
        PlanRequestStep::Cancelled => "Your plan change request is cancelled.",
    },
    #[cfg(feature = "ssr")]
    mail_plan_details: |id, service, from, to, fee, date| format!("Reference: {id}\nService: {service}\nFrom: {from}\nTo: {to} ({fee} a month)\nApplies from: {date}"),
    #[cfg(feature = "ssr")]
    mail_plan_footer: "If you did not ask for this, call the iTSCOM customer center (0120-109199, 9:30–18:00).",
    #[cfg(feature = "ssr")]
    pdf_title: "Contract confirmation",
    #[cfg(feature = "ssr")]
    pdf_issued_on: "Issued",
    #[cfg(feature = "ssr")]
    pdf_terms_title: "Main terms",
    #[cfg(feature = "ssr")]
    pdf_terms: &[
        "All prices include tax. Months in which a service starts, ends or changes plan are prorated by days.",
        "Services with a term cost the early termination fee when ended, or changed to a cheaper plan, inside the term, except in the month after it ends (the renewal month). Terms renew automatically.",
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

/// A request's state as printed (受付, 処理中, 完了, 取消).
pub fn state_name(tc: &'static ContractTexts, step: PlanRequestStep) -> &'static str {
    match step {
        PlanRequestStep::Received => tc.state_received,
        PlanRequestStep::Processing => tc.state_processing,
        PlanRequestStep::Done => tc.state_done,
        PlanRequestStep::Cancelled => tc.state_cancelled,
    }
}

/// The texts of the page being rendered.
pub fn t() -> &'static ContractTexts {
    of(crate::i18n::use_locale())
}
