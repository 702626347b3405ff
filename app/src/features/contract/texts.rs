//! The words of the contract screens and document, Japanese and English (a text with
//! values is a function of them). Shared words are in `crate::i18n`.

use super::PlanRequestStep;
use crate::i18n::Locale;

crate::texts! {
    pub struct ContractTexts in "texts.toml" {
        /// The locale this table is for.
        locale: Locale =
            Locale::Ja,
            Locale::En;
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
