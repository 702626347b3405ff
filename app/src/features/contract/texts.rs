//! The words of the contract screens and document, Japanese and English (a text with
//! values is a function of them). Shared words are in `crate::i18n`.

use super::PlanRequestStep;
use crate::i18n::Locale;

crate::texts! {
    pub struct ContractTexts {
        /// The locale this table is for.
        locale: Locale =
            Locale::Ja,
            Locale::En;
        title =
            "ご契約情報確認・変更",
            "Your contract";
        lead =
            "現在ご契約中のサービスです。料金はすべて税込です。",
            "The services you have now. All prices include tax.";
        holder =
            "ご契約者",
            "Contract holder";
        customer_no =
            "お客さま番号",
            "Customer number";
        address =
            "ご住所",
            "Address";
        col_service =
            "サービス",
            "Service";
        plan =
            "コース・プラン",
            "Plan";
        monthly_fee =
            "月額料金（税込）",
            "Monthly fee (tax incl.)";
        started_on =
            "ご利用開始日",
            "Start date";
        term =
            "契約期間",
            "Term";
        /// The term (months).
        term_months: fn(u32) -> String =
            |n| format!("{n}か月（自動更新）"),
            |n| format!("{n} months (renewed automatically)");
        no_term =
            "定めなし",
            "None";
        renewal =
            "次回の更新月",
            "Next renewal month";
        /// What 更新月 means (the fee).
        renewal_help: fn(&str) -> String =
            |fee| format!("更新月のご解約・コース変更に契約解除料はかかりません。それ以外の月のご解約、月額料金の安いコースへの変更には契約解除料 {fee}がかかります。"),
            |fee| format!("Ending or changing the plan in its renewal month costs nothing; ending it, or changing to a cheaper plan, in any other month costs the early termination fee of {fee}.");
        devices =
            "ご利用機器",
            "Equipment";
        installation_address =
            "設置場所",
            "Installed at";
        payment =
            "お支払い方法",
            "Payment method";
        no_services =
            "ご契約中のサービスはありません。",
            "You have no service under contract.";
        document =
            "契約内容確認書のダウンロード",
            "Download the contract document";
        document_lead =
            "ご契約内容を記載した確認書（PDF）をダウンロードできます。",
            "A document (PDF) stating your contract.";
        history_link =
            "サービス加入・変更履歴",
            "History";
        history_title =
            "サービス加入・変更履歴",
            "Subscription and change history";
        history_filter =
            "サービスで絞り込む",
            "Filter by service";
        history_all =
            "すべてのサービス",
            "All services";
        history_show =
            "表示する",
            "Show";
        history_none =
            "該当する履歴はありません。",
            "Nothing to show.";
        history_done =
            "完了",
            "Done";
        col_date =
            "日付",
            "Date";
        col_event =
            "内容",
            "What";
        col_state =
            "状態",
            "State";
        /// Events (kind label, plan…).
        started: fn(&str, &str) -> String =
            |kind, plan| format!("{kind} ご利用開始（{plan}）"),
            |kind, plan| format!("{kind} started ({plan})");
        ended: fn(&str, &str) -> String =
            |kind, plan| format!("{kind} ご解約（{plan}）"),
            |kind, plan| format!("{kind} ended ({plan})");
        plan_changed: fn(&str, &str, &str) -> String =
            |kind, from, to| format!("{kind} コース変更（{from} → {to}）"),
            |kind, from, to| format!("{kind} plan changed ({from} → {to})");
        payment_changed: fn(&str, &str) -> String =
            |brand, last4| format!("お支払い方法の変更（クレジットカード {brand} ****{last4}）"),
            |brand, last4| format!("Payment method changed (credit card {brand} ****{last4})");
        mailbox_created: fn(&str) -> String =
            |address| format!("メールアドレスの登録（{address}）"),
            |address| format!("Mailbox created ({address})");
        id_changed =
            "iTSCOM IDの変更",
            "iTSCOM ID changed";
        addon_started: fn(&str) -> String =
            |name| format!("オプションサービスのお申し込み（{name}）"),
            |name| format!("Option service started ({name})");
        addon_ended: fn(&str) -> String =
            |name| format!("オプションサービスの解約（{name}）"),
            |name| format!("Option service ended ({name})");
        device_stb =
            "STB（セットトップボックス）",
            "STB (set-top box)";
        device_hitpot =
            "Hit pot",
            "Hit pot";
        device_modem =
            "ケーブルモデム",
            "Cable modem";
        change_link =
            "プランを変更する",
            "Change plan";
        change_title =
            "プラン変更のお申し込み",
            "Change your plan";
        change_lead =
            "変更後のプランを選び、「確認」を押してください。変更は翌月1日から適用されます。",
            "Choose the new plan and press Confirm. The change applies from the 1st of next month.";
        change_current =
            "現在のプラン",
            "Current plan";
        change_choose =
            "変更後のプラン",
            "New plan";
        change_confirm =
            "確認",
            "Confirm";
        change_none =
            "このサービスで変更できるプランはありません。",
            "There is no other plan for this service.";
        change_invalid =
            "このサービスでは選択できないプランです。一覧から選んでください。",
            "That plan is not available for this service. Choose one from the list.";
        summary_title =
            "お申し込み内容の確認",
            "Check your request";
        summary_lead =
            "以下の内容で申し込みます。よろしければ「申し込む」を押してください。",
            "Press Apply to send this request.";
        new_fee =
            "変更後の月額料金（税込）",
            "New monthly fee (tax incl.)";
        effective_on =
            "適用開始日",
            "Applies from";
        first_month =
            "初月のご利用料金",
            "First month";
        termination_fee =
            "契約解除料",
            "Early termination fee";
        termination_none =
            "かかりません",
            "None";
        termination_why =
            "更新月以外に月額料金の安いプランへ変更される場合、契約期間内の解約として契約解除料がかかります（上位プランへの変更、更新月の変更は無料）。",
            "Changing to a cheaper plan outside the renewal month ends the term early and costs the early termination fee (changing to a dearer plan, or in the renewal month, is free).";
        apply =
            "申し込む",
            "Apply";
        password_lead =
            "お申し込みの前に、パスワードを入力してください。",
            "Enter your password to apply.";
        request_title =
            "プラン変更のお申し込み状況",
            "Plan change request";
        request_id =
            "受付番号",
            "Reference";
        requested_on =
            "お申し込み日",
            "Requested on";
        cancel_request =
            "お申し込みを取り消す",
            "Cancel the request";
        cancel_confirm =
            "このお申し込みを取り消します。よろしいですか？",
            "Cancel this request?";
        requested_ok: fn(&str) -> String =
            |id| format!("プラン変更のお申し込みを受け付けました（受付番号 {id}）。確認のメールをお送りしました。"),
            |id| format!("Your plan change request is received (reference {id}). We have sent a confirmation mail.");
        cancelled_ok =
            "プラン変更のお申し込みを取り消しました。",
            "Your plan change request is cancelled.";
        err_pending =
            "このサービスには手続き中のプラン変更のお申し込みがあります。完了または取り消し後にお申し込みください。",
            "This service already has a plan change request under way. Apply again once it is done or cancelled.";
        err_not_cancellable =
            "このお申し込みは手続きが始まっているため、取り消せません。カスタマーセンターにお問い合わせください。",
            "This request is already being processed and cannot be cancelled. Please call the customer center.";
        err_scheduled =
            "変更済みのプランの適用開始前のため、新たなお申し込みはできません。適用開始日以降にお申し込みください。",
            "A completed change has not started yet: apply for another once it is in force.";
        scheduled: fn(&str, &str) -> String =
            |plan, date| format!("{date}から {plan} に変更されます。"),
            |plan, date| format!("Changes to {plan} from {date}.");
        plan_requested: fn(&str, &str, &str, &str) -> String =
            |kind, from, to, id| format!("{kind} プラン変更のお申し込み（{from} → {to}、受付番号 {id}）"),
            |kind, from, to, id| format!("{kind} plan change request ({from} → {to}, reference {id})");
        state_received =
            "受付",
            "Received";
        state_processing =
            "処理中",
            "Processing";
        state_done =
            "完了",
            "Done";
        state_cancelled =
            "取消",
            "Cancelled";
        state_scheduled =
            "予定",
            "Scheduled";
        #[cfg(feature = "ssr")]
        termination_line =
            "契約解除料（不課税）",
            "Early termination fee (non-taxable)";
        #[cfg(feature = "ssr")]
        mail_plan_subject: fn(&str) -> String =
            |state| format!("プラン変更のお申し込み（{state}）"),
            |state| format!("Your plan change request ({state})");
        #[cfg(feature = "ssr")]
        mail_plan_lead: fn(super::PlanRequestStep) -> &'static str =
            |step| match step {
                PlanRequestStep::Received => "プラン変更のお申し込みを受け付けました。",
                PlanRequestStep::Processing => "プラン変更の手続きを開始しました。この段階からはマイページで取り消すことはできません。",
                PlanRequestStep::Done => "プラン変更の手続きが完了しました。適用開始日から新しいプランでご利用いただけます。",
                PlanRequestStep::Cancelled => "プラン変更のお申し込みを取り消しました。",
            },
            |step| match step {
                PlanRequestStep::Received => "We have received your plan change request.",
                PlanRequestStep::Processing => "We have started processing your plan change; it can no longer be cancelled in My Page.",
                PlanRequestStep::Done => "Your plan change is complete. The new plan applies from the date below.",
                PlanRequestStep::Cancelled => "Your plan change request is cancelled.",
            };
        #[cfg(feature = "ssr")]
        mail_plan_details: fn(&str, &str, &str, &str, &str, &str) -> String =
            |id, service, from, to, fee, date| format!("受付番号: {id}\nサービス: {service}\n変更前: {from}\n変更後: {to}（月額 {fee}）\n適用開始日: {date}"),
            |id, service, from, to, fee, date| format!("Reference: {id}\nService: {service}\nFrom: {from}\nTo: {to} ({fee} a month)\nApplies from: {date}");
        #[cfg(feature = "ssr")]
        mail_plan_footer =
            "お心当たりのない場合は、イッツコム カスタマーセンター（0120-109199　9:30～18:00）にご連絡ください。",
            "If you did not ask for this, call the iTSCOM customer center (0120-109199, 9:30–18:00).";
        // The contract document (PDF, server only).
        #[cfg(feature = "ssr")]
        pdf_title =
            "契約内容確認書",
            "Contract confirmation";
        #[cfg(feature = "ssr")]
        pdf_issued_on =
            "発行日",
            "Issued";
        #[cfg(feature = "ssr")]
        pdf_terms_title =
            "主なご契約条件",
            "Main terms";
        #[cfg(feature = "ssr")]
        pdf_terms: &'static [&'static str] =
            &[
                "料金はすべて税込です。月の途中でのご利用開始・ご解約・コース変更の月は、日割りで計算します。",
                "契約期間の定めのあるサービスは、契約期間満了の翌月（更新月）を除き、期間内にご解約、または月額料金の安いコースへ変更される場合に契約解除料がかかります。契約期間は自動で更新されます。",
                "ご利用料金は毎月10日に確定し、翌月27日にご登録のお支払い方法でお支払いいただきます。",
                "レンタル機器はご解約時にご返却いただきます。ご返却がない場合、機器損害金を申し受けることがあります。",
                "ご契約内容の変更・ご解約は、マイページまたはイッツコム カスタマーセンター（0120-109199　9:30～18:00）で承ります。",
            ],
            &[
                "All prices include tax. Months in which a service starts, ends or changes plan are prorated by days.",
                "Services with a term cost the early termination fee when ended, or changed to a cheaper plan, inside the term, except in the month after it ends (the renewal month). Terms renew automatically.",
                "Each month's charges are fixed on the 10th and paid on the 27th of the next month by your payment method.",
                "Rented equipment is returned when the service ends; unreturned equipment may be charged.",
                "Changes and cancellations: in My Page or at the iTSCOM customer center (0120-109199, 9:30–18:00).",
            ];
        #[cfg(feature = "ssr")]
        pdf_file =
            "契約内容確認書.pdf",
            "contract.pdf";
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
