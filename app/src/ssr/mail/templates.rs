//! Mails, Japanese or English, plain text and HTML: the words come from the features'
//! texts tables (`features::*::texts`, the `mail_*` entries, server-only), the same
//! tables as their screens'; here they are put in the common frame. Values from user
//! input are escaped in HTML; subjects never carry line breaks (no header injection).

use super::Mail;
use crate::features::{account, billing, login, mailboxes, recovery, registration};
use crate::i18n::Locale;
use crate::ssr::config::Settings;

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A subject on one line: control characters (CR, LF…) become spaces.
pub fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Japan time, "2026年11月25日 14:05" or "25 Nov 2026 14:05 JST".
pub fn format_time(locale: Locale, unix: i64) -> String {
    crate::i18n::format_datetime(locale, unix)
}

fn wrap(settings: &Settings, locale: Locale, to: &str, subject: &str, paragraphs: &[String]) -> Mail {
    let brand = &settings.brand;
    let site = settings.public_url.as_str();
    let tx = locale.texts();
    let (footer, product) = (tx.mail_footer, tx.brand_suffix);
    let subject = one_line(&format!("【{brand} {product}】{subject}"));
    let text = format!("{}\n\n--\n{footer}\n{brand} {product} {site}\n", paragraphs.join("\n\n"));
    let html_paragraphs: String =
        paragraphs.iter().map(|p| format!("<p>{}</p>", escape_html(p).replace('\n', "<br>"))).collect();
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><body style=\"font-family:sans-serif;line-height:1.7\">{html_paragraphs}\
         <hr><p style=\"color:#555;font-size:12px\">{footer}<br>{brand} {product} <a href=\"{site}\">{site}</a></p></body></html>",
        lang = locale.code(),
        footer = escape_html(footer),
        brand = escape_html(brand),
        site = escape_html(site),
    );
    Mail { to: to.to_string(), subject, text, html }
}

fn on_off(on: bool) -> &'static str {
    if on {
        "ON"
    } else {
        "OFF"
    }
}

/// A login from a browser this account has not used before.
pub fn new_browser_login(settings: &Settings, locale: Locale, to: &str, itscom_id: &str, at: i64) -> Mail {
    let w = login::texts::of(locale);
    wrap(
        settings,
        locale,
        to,
        w.mail_new_browser_subject,
        &(w.mail_new_browser)(itscom_id, &format_time(locale, at)),
    )
}

/// iTSCOM ID 新規登録: the single-use confirmation link (24 hours).
pub fn registration_confirm(settings: &Settings, locale: Locale, to: &str, link: &str) -> Mail {
    let w = registration::texts::of(locale);
    wrap(settings, locale, to, w.mail_confirm_subject, &(w.mail_confirm)(link))
}

/// Someone tried to register an address that is already an iTSCOM ID: no link.
pub fn registration_attempt_on_taken_id(settings: &Settings, locale: Locale, to: &str) -> Mail {
    let w = registration::texts::of(locale);
    wrap(settings, locale, to, w.mail_confirm_subject, &(w.mail_taken)())
}

/// To the contact address on record when a first registration completes: an account
/// was created (its ID masked), when, and the link that stops it (7 days).
pub fn registration_created(
    settings: &Settings,
    locale: Locale,
    to: &str,
    id: &str,
    at: i64,
    link: &str,
) -> Mail {
    let w = registration::texts::of(locale);
    wrap(settings, locale, to, w.mail_created_subject, &(w.mail_created)(id, &format_time(locale, at), link))
}

/// To the previous contact address: the account's ID and password were registered anew.
pub fn registration_replaced(settings: &Settings, locale: Locale, to: &str, at: i64) -> Mail {
    let w = registration::texts::of(locale);
    wrap(settings, locale, to, w.mail_replaced_subject, &(w.mail_replaced)(&format_time(locale, at)))
}

/// 認証コード通知メール: the 6-digit code, valid 10 minutes.
pub fn recovery_code(settings: &Settings, locale: Locale, to: &str, code: &str) -> Mail {
    let w = recovery::texts::of(locale);
    wrap(settings, locale, to, w.mail_code_subject, &(w.mail_code)(code))
}

/// Path A (合言葉): the single-use link that asks the secret question again (30 minutes).
pub fn recovery_question_link(settings: &Settings, locale: Locale, to: &str, link: &str) -> Mail {
    let w = recovery::texts::of(locale);
    wrap(settings, locale, to, w.mail_link_subject, &(w.mail_link)(link))
}

/// iTSCOM IDの変更: the single-use link the new address opens to confirm (24 hours).
pub fn id_change_confirm(settings: &Settings, locale: Locale, to: &str, link: &str) -> Mail {
    let w = account::texts::of(locale);
    wrap(settings, locale, to, w.mail_id_confirm_subject, &(w.mail_id_confirm)(link))
}

/// An ID change to an address that is already an iTSCOM ID: no link.
pub fn id_change_attempt_on_taken_id(settings: &Settings, locale: Locale, to: &str) -> Mail {
    let w = account::texts::of(locale);
    wrap(settings, locale, to, w.mail_id_confirm_subject, &(w.mail_id_taken)())
}

/// To the contact address before the change: the iTSCOM ID was changed.
pub fn id_changed_notice(settings: &Settings, locale: Locale, to: &str, new_id: &str, at: i64) -> Mail {
    let w = account::texts::of(locale);
    wrap(
        settings,
        locale,
        to,
        w.mail_id_changed_subject,
        &(w.mail_id_changed)(new_id, &format_time(locale, at)),
    )
}

/// A mailbox was registered (never with its password).
pub fn mailbox_created(
    settings: &Settings,
    locale: Locale,
    to: &str,
    address: &str,
    virus_check: bool,
) -> Mail {
    let w = mailboxes::texts::of(locale);
    wrap(settings, locale, to, w.mail_created_subject, &(w.mail_created)(address, on_off(virus_check)))
}

/// A mailbox's virus check was switched.
pub fn mailbox_virus_check(settings: &Settings, locale: Locale, to: &str, address: &str, on: bool) -> Mail {
    let w = mailboxes::texts::of(locale);
    wrap(settings, locale, to, w.mail_virus_subject, &(w.mail_virus)(address, on_off(on)))
}

/// After a password reset.
pub fn password_reset_notice(settings: &Settings, locale: Locale, to: &str, at: i64) -> Mail {
    let w = recovery::texts::of(locale);
    wrap(settings, locale, to, w.mail_reset_subject, &(w.mail_reset)(&format_time(locale, at)))
}

/// To the account's contact address, at STEP 3 of a re-registration (before anything
/// changes): who asked, when, from which browser, when it would take effect, and the
/// two single-use links.
#[allow(clippy::too_many_arguments)]
pub fn reregistration_requested(
    settings: &Settings,
    locale: Locale,
    to: &str,
    new_id: &str,
    at: i64,
    browser: &str,
    takes_effect_at: i64,
    confirm_link: &str,
    cancel_link: &str,
) -> Mail {
    let w = registration::texts::of(locale);
    let (when, effect) = (format_time(locale, at), format_time(locale, takes_effect_at));
    let paragraphs = (w.mail_requested)(new_id, &when, browser, &effect, confirm_link, cancel_link);
    wrap(settings, locale, to, w.mail_requested_subject, &paragraphs)
}

/// To a customer's contact address: repeated failed contract verifications (once a
/// day at most).
pub fn verification_failures_notice(settings: &Settings, locale: Locale, to: &str, at: i64) -> Mail {
    let w = registration::texts::of(locale);
    wrap(settings, locale, to, w.mail_failures_subject, &(w.mail_failures)(&format_time(locale, at)))
}

/// To the contact address: 100 failed logins in a row; login needs a password reset.
pub fn login_locked(settings: &Settings, locale: Locale, to: &str, at: i64) -> Mail {
    let w = login::texts::of(locale);
    wrap(settings, locale, to, w.mail_locked_subject, &(w.mail_locked)(&format_time(locale, at)))
}

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
    let w = billing::texts::of(locale);
    let month = crate::i18n::format_month(locale, month);
    let total = crate::i18n::format_yen(locale.texts(), total);
    wrap(settings, locale, to, w.mail_issued_subject, &(w.mail_issued)(&month, &total, due_on, link))
}

/// お支払い方法変更のお知らせ: to the contact address, the new method (as printed:
/// brand and last 4 only) and when.
pub fn payment_method_changed(settings: &Settings, locale: Locale, to: &str, method: &str, at: i64) -> Mail {
    let w = billing::texts::of(locale);
    wrap(settings, locale, to, w.mail_payment_subject, &(w.mail_payment)(method, &format_time(locale, at)))
}

/// To the contact address at the moment an ID change is requested, with a link that
/// cancels it.
pub fn id_change_requested(
    settings: &Settings,
    locale: Locale,
    to: &str,
    new_id: &str,
    at: i64,
    cancel_link: &str,
) -> Mail {
    let w = account::texts::of(locale);
    let paragraphs = (w.mail_id_requested)(new_id, &format_time(locale, at), cancel_link);
    wrap(settings, locale, to, w.mail_id_requested_subject, &paragraphs)
}

/// お客さま情報変更のお知らせ: to the contact address in force before the change, what
/// changed (`what`, already in the locale's words) and when.
pub fn profile_changed(settings: &Settings, locale: Locale, to: &str, what: &str, at: i64) -> Mail {
    let w = account::texts::of(locale);
    wrap(settings, locale, to, w.mail_profile_subject, &(w.mail_profile)(what, &format_time(locale, at)))
}

/// To the contact address a change replaced: the new address, when, and the single-use
/// link that takes the change back (7 days).
pub fn contact_changed(
    settings: &Settings,
    locale: Locale,
    to: &str,
    new: &str,
    at: i64,
    link: &str,
) -> Mail {
    let w = account::texts::of(locale);
    let paragraphs = (w.mail_contact_changed)(new, &format_time(locale, at), link);
    wrap(settings, locale, to, w.mail_contact_changed_subject, &paragraphs)
}

/// To the contact address a revert link restored: every device is logged out.
pub fn contact_reverted(settings: &Settings, locale: Locale, to: &str, at: i64) -> Mail {
    let w = account::texts::of(locale);
    wrap(
        settings,
        locale,
        to,
        w.mail_contact_reverted_subject,
        &(w.mail_contact_reverted)(&format_time(locale, at)),
    )
}

/// To a new contact address: the single-use link that confirms it (24 hours).
pub fn contact_confirm(settings: &Settings, locale: Locale, to: &str, link: &str) -> Mail {
    let w = account::texts::of(locale);
    wrap(settings, locale, to, w.mail_contact_confirm_subject, &(w.mail_contact_confirm)(link))
}

/// オプションサービスのお申し込み / 解約: the add-on, its fee and its first day
/// (`applied`) or last day, to the contact address.
pub fn addon_notice(
    settings: &Settings,
    locale: Locale,
    to: &str,
    name: &str,
    fee: crate::domain::Yen,
    applied: bool,
    date: &str,
) -> Mail {
    let w = crate::features::addons::texts::of(locale);
    let date = crate::i18n::format_date(locale, date);
    let name = &crate::i18n::catalogue_name(locale, name);
    if applied {
        let fee = crate::i18n::format_yen(locale.texts(), fee);
        wrap(settings, locale, to, w.mail_applied_subject, &(w.mail_applied)(name, &fee, &date))
    } else {
        wrap(settings, locale, to, w.mail_cancelled_subject, &(w.mail_cancelled)(name, &date))
    }
}

/// プラン変更のお申し込み: the request's step now (受付, 処理中, 完了, 取消) and what it
/// changes, to the contact address.
pub fn plan_request_notice(
    settings: &Settings,
    locale: Locale,
    to: &str,
    request: &crate::features::contract::PlanRequest,
) -> Mail {
    use crate::features::contract::{page::kind_name, texts};
    let w = texts::of(locale);
    let state = texts::state_name(w, request.step);
    let fee = crate::i18n::format_yen(locale.texts(), request.monthly_fee);
    let date = crate::i18n::format_date(locale, &request.effective_on);
    let details = (w.mail_plan_details)(
        &request.id,
        kind_name(locale.texts(), &request.kind),
        &crate::i18n::catalogue_name(locale, &request.from_name),
        &crate::i18n::catalogue_name(locale, &request.to_name),
        &fee,
        &date,
    );
    let paragraphs = [(w.mail_plan_lead)(request.step).to_string(), details, w.mail_plan_footer.to_string()];
    wrap(settings, locale, to, &(w.mail_plan_subject)(state), &paragraphs)
}

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
    let w = crate::features::help::texts::of(locale);
    let attached = speed_test
        .map(|s| {
            (w.attached_result)(
                &crate::i18n::format_datetime(locale, s.finished_at),
                &format_mbps(s.measured.download_kbps),
                &format_mbps(s.measured.upload_kbps),
            )
        })
        .unwrap_or_default();
    let support = &settings.support;
    let body = (w.mail_body)(
        reference,
        (w.category_name)(category),
        message,
        &attached,
        &support.general_phone,
        &support.general_hours,
    );
    wrap(settings, locale, to, w.mail_subject, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings::from_lookup(|_| None).unwrap()
    }

    #[test]
    fn subjects_never_carry_line_breaks() {
        let m = new_browser_login(&settings(), Locale::Ja, "a@example.com", "evil\r\nBcc: x@example.com", 0);
        assert!(!m.subject.contains('\n') && !m.subject.contains('\r'));
        assert!(m.subject.starts_with("【iTSCOM マイページ】"));
    }

    #[test]
    fn user_text_is_escaped_in_html_but_kept_in_text() {
        let m = new_browser_login(&settings(), Locale::En, "a@example.com", "<b>x</b>@example.com", 0);
        assert!(m.html.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(!m.html.contains("<b>x</b>"));
        assert!(m.text.contains("<b>x</b>@example.com"));
    }

    #[test]
    fn every_mail_carries_its_values_in_both_languages() {
        let s = settings();
        for locale in Locale::ALL {
            let when = format_time(locale, 1_795_583_100);
            let mails = [
                (new_browser_login(&s, locale, "t@x", "ID-1", 1_795_583_100), vec!["ID-1", when.as_str()]),
                (registration_confirm(&s, locale, "t@x", "LINK-1"), vec!["LINK-1"]),
                (registration_attempt_on_taken_id(&s, locale, "t@x"), vec![]),
                (registration_replaced(&s, locale, "t@x", 1_795_583_100), vec![when.as_str()]),
                (recovery_code(&s, locale, "t@x", "123456"), vec!["123456"]),
                (recovery_question_link(&s, locale, "t@x", "LINK-2"), vec!["LINK-2"]),
                (id_change_confirm(&s, locale, "t@x", "LINK-3"), vec!["LINK-3"]),
                (id_change_attempt_on_taken_id(&s, locale, "t@x"), vec![]),
                (id_changed_notice(&s, locale, "t@x", "NEW-1", 1_795_583_100), vec!["NEW-1", when.as_str()]),
                (mailbox_created(&s, locale, "t@x", "ADDR-1", true), vec!["ADDR-1", "ON"]),
                (mailbox_virus_check(&s, locale, "t@x", "ADDR-2", false), vec!["ADDR-2", "OFF"]),
                (password_reset_notice(&s, locale, "t@x", 1_795_583_100), vec![when.as_str()]),
                (
                    reregistration_requested(
                        &s,
                        locale,
                        "t@x",
                        "NEW-2",
                        1_795_583_100,
                        "BR-1",
                        0,
                        "YES-1",
                        "NO-1",
                    ),
                    vec!["NEW-2", "BR-1", "YES-1", "NO-1", when.as_str()],
                ),
                (verification_failures_notice(&s, locale, "t@x", 1_795_583_100), vec![when.as_str()]),
                (login_locked(&s, locale, "t@x", 1_795_583_100), vec![when.as_str()]),
                (
                    id_change_requested(&s, locale, "t@x", "NEW-3", 1_795_583_100, "NO-2"),
                    vec!["NEW-3", "NO-2"],
                ),
                (
                    invoice_issued(
                        &s,
                        locale,
                        "t@x",
                        "2026-11",
                        crate::domain::Yen(12_345),
                        "2026-11-27",
                        "LINK-4",
                    ),
                    vec!["12,345", "2026-11-27", "LINK-4", "2026"],
                ),
            ];
            for (mail, values) in mails {
                assert!(mail.subject.len() > "【iTSCOM マイページ】".len(), "{}", mail.subject);
                assert!(mail.text.contains(locale.texts().mail_footer), "{}", mail.subject);
                for v in values {
                    assert!(mail.text.contains(v) && mail.html.contains(v), "{} lacks {v}", mail.subject);
                }
                assert!(!mail.text.contains('{'), "no placeholder left: {}", mail.text);
            }
        }
    }

    #[test]
    fn times_are_japan_time() {
        // 2026-11-25 05:05 UTC = 14:05 JST
        assert_eq!(format_time(Locale::Ja, 1_795_583_100), "2026年11月25日 14:05");
        assert_eq!(format_time(Locale::En, 1_795_583_100), "25 Nov 2026 14:05 JST");
    }
}
