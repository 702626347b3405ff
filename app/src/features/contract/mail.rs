//! The plan change mails, Japanese or English, plain text and HTML: the words come from
//! this feature's `texts` (the `mail_*` entries, server only), put in the common frame
//! by [`crate::ssr::mail::wrap`] (escaped HTML, one-line subjects).

use crate::i18n::Locale;
use crate::ssr::config::Settings;
use crate::ssr::mail::{wrap, Mail};

/// プラン変更のお申し込み: the request's step now (受付, 処理中, 完了, 取消) and what it
/// changes, to the contact address.
pub fn plan_request_notice(
    settings: &Settings,
    locale: Locale,
    to: &str,
    request: &super::PlanRequest,
) -> Mail {
    use super::texts;
    use crate::i18n::service_kind_name as kind_name;
    let w = texts::of(locale);
    let (phone, hours) = crate::i18n::center(&settings.support, locale);
    let state = texts::state_name(w, request.step);
    let fee = crate::i18n::format_yen(locale.texts(), request.monthly_fee);
    let date = crate::i18n::format_date(locale, &request.effective_on);
    let termination = super::page::termination_text(w, locale.texts(), request.termination_fee);
    let details = (w.mail_plan_details)(
        &request.id,
        kind_name(locale.texts(), &request.kind),
        &crate::i18n::catalogue_name(locale, &request.from_name),
        &crate::i18n::catalogue_name(locale, &request.to_name),
        &fee,
        &date,
        &termination,
    );
    let paragraphs =
        [(w.mail_plan_lead)(request.step).to_string(), details, (w.mail_plan_footer)(&phone, &hours)];
    wrap(settings, locale, to, &(w.mail_plan_subject)(state), &paragraphs)
}
