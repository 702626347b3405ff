//! Mail templates, Japanese or English, plain text and HTML. Values from user input
//! are escaped in HTML; subjects never carry line breaks (no header injection).

use super::Mail;
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

/// Japan time, "2026年11月25日 14:05" or "2026-11-25 14:05 JST".
pub fn format_time(locale: Locale, unix: i64) -> String {
    crate::i18n::format_datetime(locale, unix)
}

fn wrap(settings: &Settings, locale: Locale, to: &str, subject: &str, paragraphs: &[String]) -> Mail {
    let brand = &settings.brand;
    let site = settings.public_url.as_str();
    let (footer_ja_en, product) = match locale {
        Locale::Ja => ("このメールは送信専用です。お心当たりのない場合は、お手数ですがサポートセンターまでご連絡ください。", "マイページ"),
        Locale::En => ("This address cannot receive replies. If this was not you, please contact our support centre.", "My Page"),
    };
    let subject = one_line(&format!("【{brand} {product}】{subject}"));
    let text = format!("{}\n\n--\n{footer_ja_en}\n{brand} {product} {site}\n", paragraphs.join("\n\n"));
    let html_paragraphs: String =
        paragraphs.iter().map(|p| format!("<p>{}</p>", escape_html(p).replace('\n', "<br>"))).collect();
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><body style=\"font-family:sans-serif;line-height:1.7\">{html_paragraphs}\
         <hr><p style=\"color:#555;font-size:12px\">{footer}<br>{brand} {product} <a href=\"{site}\">{site}</a></p></body></html>",
        lang = locale.code(),
        footer = escape_html(footer_ja_en),
        brand = escape_html(brand),
        site = escape_html(site),
    );
    Mail { to: to.to_string(), subject, text, html }
}

/// A login from a browser this account has not used before.
pub fn new_browser_login(settings: &Settings, locale: Locale, to: &str, itscom_id: &str, at: i64) -> Mail {
    let when = format_time(locale, at);
    match locale {
        Locale::Ja => wrap(settings, locale, to, "新しいブラウザからのログインがありました", &[
            format!("iTSCOM ID {itscom_id} で、これまでに使われていないブラウザからマイページへのログインがありました。"),
            format!("日時: {when}"),
            "お客さまご自身のログインであれば、このメールへの対応は不要です。お心当たりのない場合は、すぐにパスワードを変更し、サポートセンターまでご連絡ください。".into(),
        ]),
        Locale::En => wrap(settings, locale, to, "New sign-in from a browser", &[
            format!("Your iTSCOM ID {itscom_id} was used to log in to My Page from a browser not used before."),
            format!("When: {when}"),
            "If this was you, there is nothing to do. If not, change your password at once and contact our support centre.".into(),
        ]),
    }
}

/// iTSCOM ID 新規登録: the single-use confirmation link (24 hours).
pub fn registration_confirm(settings: &Settings, locale: Locale, to: &str, link: &str) -> Mail {
    match locale {
        Locale::Ja => wrap(settings, locale, to, "iTSCOM ID 新規登録", &[
            "iTSCOM IDの登録を受け付けました。以下のURLを開いて、登録を完了してください。".into(),
            link.to_string(),
            "このURLの有効期限は24時間です。一度だけご利用いただけます。お心当たりのない場合は、このメールを破棄してください。".into(),
        ]),
        Locale::En => wrap(settings, locale, to, "iTSCOM ID registration", &[
            "We received a request to register this address as an iTSCOM ID. Open this link to finish:".into(),
            link.to_string(),
            "The link is valid for 24 hours and works once. If this was not you, please ignore this mail.".into(),
        ]),
    }
}

/// Someone tried to register an address that is already an iTSCOM ID: no link.
pub fn registration_attempt_on_taken_id(settings: &Settings, locale: Locale, to: &str) -> Mail {
    match locale {
        Locale::Ja => wrap(settings, locale, to, "iTSCOM ID 新規登録", &[
            "このメールアドレスをiTSCOM IDとして登録するお手続きがありましたが、このアドレスはすでにiTSCOM IDとして登録されているため、登録できませんでした。".into(),
            "お客さまご自身のお手続きであれば、登録済みのiTSCOM IDでログインしてください。お心当たりのない場合は、このメールを破棄してください。".into(),
        ]),
        Locale::En => wrap(settings, locale, to, "iTSCOM ID registration", &[
            "Someone asked to register this address as an iTSCOM ID, but it is already one, so nothing was changed.".into(),
            "If this was you, log in with your existing iTSCOM ID. If not, please ignore this mail.".into(),
        ]),
    }
}

/// To the previous contact address: the account's ID and password were registered anew.
pub fn registration_replaced(settings: &Settings, locale: Locale, to: &str, at: i64) -> Mail {
    let when = format_time(locale, at);
    match locale {
        Locale::Ja => wrap(settings, locale, to, "iTSCOM IDとパスワードが再登録されました", &[
            "お客さまのマイページのiTSCOM IDとパスワードが、新しく登録し直されました。これまでのiTSCOM IDとパスワードではログインできません。".into(),
            format!("日時: {when}"),
            "お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
        ]),
        Locale::En => wrap(settings, locale, to, "Your iTSCOM ID and password were registered anew", &[
            "The iTSCOM ID and password of your My Page account were registered anew. The previous ones no longer work.".into(),
            format!("When: {when}"),
            "If this was not you, contact our support centre at once.".into(),
        ]),
    }
}

/// 認証コード通知メール: the 6-digit code, valid 10 minutes.
pub fn recovery_code(settings: &Settings, locale: Locale, to: &str, code: &str) -> Mail {
    match locale {
        Locale::Ja => wrap(settings, locale, to, "認証コード通知メール", &[
            "パスワード再設定のための認証コードをお知らせします。".into(),
            format!("認証コード: {code}"),
            "認証コードの有効期限は10分です。画面に入力して、新しいパスワードを設定してください。お心当たりのない場合は、このメールを破棄してください。".into(),
        ]),
        Locale::En => wrap(settings, locale, to, "Your authentication code", &[
            "Here is the code to reset your password.".into(),
            format!("Code: {code}"),
            "It is valid for 10 minutes. If this was not you, please ignore this mail.".into(),
        ]),
    }
}

/// Path A (合言葉): the single-use link that asks the secret question again (30 minutes).
pub fn recovery_question_link(settings: &Settings, locale: Locale, to: &str, link: &str) -> Mail {
    match locale {
        Locale::Ja => wrap(settings, locale, to, "本人認証 確認メール", &[
            "パスワード再発行のお手続きを受け付けました。以下のURLを開き、お手続きの最初に選択した「秘密の質問」と「答え」を入力してください。".into(),
            link.to_string(),
            "このURLの有効期限は30分です。一度だけご利用いただけます。お心当たりのない場合は、このメールを破棄してください。".into(),
        ]),
        Locale::En => wrap(settings, locale, to, "Confirm your identity", &[
            "We received a request to reissue your password. Open this link and enter the secret question and answer you chose:".into(),
            link.to_string(),
            "The link is valid for 30 minutes and works once. If this was not you, please ignore this mail.".into(),
        ]),
    }
}

/// iTSCOM IDの変更: the single-use link the new address opens to confirm (24 hours).
pub fn id_change_confirm(settings: &Settings, locale: Locale, to: &str, link: &str) -> Mail {
    match locale {
        Locale::Ja => wrap(settings, locale, to, "iTSCOM IDの変更", &[
            "このメールアドレスへのiTSCOM IDの変更を受け付けました。以下のURLを開いて、変更を確定してください。".into(),
            link.to_string(),
            "このURLの有効期限は24時間です。一度だけご利用いただけます。確定するまでは、これまでのiTSCOM IDでログインできます。お心当たりのない場合は、このメールを破棄してください。".into(),
        ]),
        Locale::En => wrap(settings, locale, to, "Change of iTSCOM ID", &[
            "We received a request to make this address an iTSCOM ID. Open this link to confirm the change:".into(),
            link.to_string(),
            "The link is valid for 24 hours and works once. Until then the current iTSCOM ID keeps working. If this was not you, please ignore this mail.".into(),
        ]),
    }
}

/// An ID change to an address that is already an iTSCOM ID: no link.
pub fn id_change_attempt_on_taken_id(settings: &Settings, locale: Locale, to: &str) -> Mail {
    match locale {
        Locale::Ja => wrap(settings, locale, to, "iTSCOM IDの変更", &[
            "このメールアドレスへのiTSCOM IDの変更のお手続きがありましたが、このアドレスはすでにiTSCOM IDとして登録されているため、変更できませんでした。".into(),
            "別のメールアドレスでお手続きください。お心当たりのない場合は、このメールを破棄してください。".into(),
        ]),
        Locale::En => wrap(settings, locale, to, "Change of iTSCOM ID", &[
            "Someone asked to make this address an iTSCOM ID, but it already is one, so nothing was changed.".into(),
            "Please use another address. If this was not you, please ignore this mail.".into(),
        ]),
    }
}

/// To the contact address before the change: the iTSCOM ID was changed.
pub fn id_changed_notice(settings: &Settings, locale: Locale, to: &str, new_id: &str, at: i64) -> Mail {
    let when = format_time(locale, at);
    match locale {
        Locale::Ja => wrap(settings, locale, to, "iTSCOM IDが変更されました", &[
            format!("マイページのiTSCOM IDが {new_id} に変更されました。次回から新しいiTSCOM IDでログインしてください。"),
            format!("日時: {when}"),
            "お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
        ]),
        Locale::En => wrap(settings, locale, to, "Your iTSCOM ID was changed", &[
            format!("The iTSCOM ID of your My Page account is now {new_id}. Log in with it from now on."),
            format!("When: {when}"),
            "If this was not you, contact our support centre at once.".into(),
        ]),
    }
}

/// A mailbox was registered (never with its password).
pub fn mailbox_created(
    settings: &Settings,
    locale: Locale,
    to: &str,
    address: &str,
    virus_check: bool,
) -> Mail {
    let on = if virus_check { "ON" } else { "OFF" };
    match locale {
        Locale::Ja => wrap(settings, locale, to, "メールアドレスを登録しました", &[
            format!("マイページでメールアドレス {address} を登録しました。"),
            format!("メールウィルスチェック: {on}"),
            "パスワードは登録完了画面でのみお知らせしています。お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
        ]),
        Locale::En => wrap(settings, locale, to, "An email address was registered", &[
            format!("The email address {address} was registered on My Page."),
            format!("Mail virus check: {on}"),
            "Its password was shown on the completion screen only. If this was not you, contact our support centre at once.".into(),
        ]),
    }
}

/// A mailbox's virus check was switched.
pub fn mailbox_virus_check(settings: &Settings, locale: Locale, to: &str, address: &str, on: bool) -> Mail {
    let state = if on { "ON" } else { "OFF" };
    match locale {
        Locale::Ja => wrap(
            settings,
            locale,
            to,
            "メールウィルスチェックの設定を変更しました",
            &[
                format!("メールアドレス {address} のメールウィルスチェックを {state} にしました。"),
                "お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
            ],
        ),
        Locale::En => wrap(
            settings,
            locale,
            to,
            "Mail virus check changed",
            &[
                format!("The mail virus check of {address} is now {state}."),
                "If this was not you, contact our support centre at once.".into(),
            ],
        ),
    }
}

/// After a password reset.
pub fn password_reset_notice(settings: &Settings, locale: Locale, to: &str, at: i64) -> Mail {
    let when = format_time(locale, at);
    match locale {
        Locale::Ja => wrap(
            settings,
            locale,
            to,
            "パスワードが再設定されました",
            &[
                "マイページのパスワードが再設定されました。すべての端末でログアウトしています。".into(),
                format!("日時: {when}"),
                "お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
            ],
        ),
        Locale::En => wrap(
            settings,
            locale,
            to,
            "Your password was reset",
            &[
                "The password of your My Page account was reset, and every session was ended.".into(),
                format!("When: {when}"),
                "If this was not you, contact our support centre at once.".into(),
            ],
        ),
    }
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
    let (when, effect) = (format_time(locale, at), format_time(locale, takes_effect_at));
    match locale {
        Locale::Ja => wrap(settings, locale, to, "iTSCOM IDとパスワードの再登録のお申し込み", &[
            "お客さまのご契約で、マイページのiTSCOM IDとパスワードを新しく登録し直すお申し込みがありました。まだ何も変更されていません。".into(),
            format!("新しいiTSCOM ID: {new_id}\n日時: {when}\nブラウザ: {browser}"),
            format!("このまま何もしなければ、{effect} 以降に新しいiTSCOM IDとパスワードに切り替わり、これまでのiTSCOM IDとパスワードではログインできなくなります。"),
            format!("お客さまご自身のお申し込みであれば「これは自分です」（すぐに切り替えられます）:\n{confirm_link}"),
            format!("お心当たりのない場合は「心当たりがない」（お申し込みを取り消します）:\n{cancel_link}"),
        ]),
        Locale::En => wrap(settings, locale, to, "A request to register your iTSCOM ID and password anew", &[
            "Someone asked to register the iTSCOM ID and password of your My Page account anew. Nothing has been changed yet.".into(),
            format!("New iTSCOM ID: {new_id}\nWhen: {when}\nBrowser: {browser}"),
            format!("If nothing is done, the new iTSCOM ID and password take effect from {effect}, and the current ones stop working."),
            format!("If this was you, choose \"This is me\" (it then takes effect at once):\n{confirm_link}"),
            format!("If this was not you, choose \"Not me\" (the request is cancelled):\n{cancel_link}"),
        ]),
    }
}

/// To a customer's contact address: repeated failed contract verifications (once a
/// day at most).
pub fn verification_failures_notice(settings: &Settings, locale: Locale, to: &str, at: i64) -> Mail {
    let when = format_time(locale, at);
    match locale {
        Locale::Ja => wrap(settings, locale, to, "ご契約者情報の認証に繰り返し失敗しています", &[
            "iTSCOM IDの登録画面で、お客さまのお名前と電話番号による「契約者情報 認証」が繰り返し失敗しています。".into(),
            format!("日時: {when}"),
            "お客さまご自身の操作でない場合、第三者がお客さまの情報を試している可能性があります。お心当たりのない場合は、サポートセンターまでご連絡ください。".into(),
        ]),
        Locale::En => wrap(settings, locale, to, "Repeated failed contract verifications", &[
            "The contract holder verification of the iTSCOM ID registration has failed repeatedly with your name and phone number.".into(),
            format!("When: {when}"),
            "If this was not you, someone may be trying your details. Please contact our support centre.".into(),
        ]),
    }
}

/// To the contact address: 100 failed logins in a row; login needs a password reset.
pub fn login_locked(settings: &Settings, locale: Locale, to: &str, at: i64) -> Mail {
    let when = format_time(locale, at);
    match locale {
        Locale::Ja => wrap(settings, locale, to, "ログインを一時停止しました", &[
            "お客さまのiTSCOM IDで、誤ったパスワードによるログインが繰り返されたため、ログインを停止しました。".into(),
            format!("日時: {when}"),
            "マイページのログイン画面の「ID,またはパスワードをお忘れですか?」からパスワードを再設定すると、再びログインできます。".into(),
        ]),
        Locale::En => wrap(settings, locale, to, "Login suspended", &[
            "Login with your iTSCOM ID has been suspended after repeated wrong passwords.".into(),
            format!("When: {when}"),
            "Reset your password from \"Forgot your ID or password?\" on the login screen to log in again.".into(),
        ]),
    }
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
    let when = format_time(locale, at);
    match locale {
        Locale::Ja => wrap(settings, locale, to, "iTSCOM IDの変更のお申し込み", &[
            format!("マイページのiTSCOM IDを {new_id} に変更するお申し込みがありました。新しいアドレスで確認されると変更されます。"),
            format!("日時: {when}"),
            format!("お心当たりのない場合は、以下のURLからお申し込みを取り消し、パスワードを変更してください:\n{cancel_link}"),
        ]),
        Locale::En => wrap(settings, locale, to, "A request to change your iTSCOM ID", &[
            format!("Someone asked to change the iTSCOM ID of your My Page account to {new_id}. It changes once the new address confirms."),
            format!("When: {when}"),
            format!("If this was not you, cancel the request here and change your password:\n{cancel_link}"),
        ]),
    }
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
    fn times_are_japan_time() {
        // 2026-11-25 05:05 UTC = 14:05 JST
        assert_eq!(format_time(Locale::Ja, 1_795_583_100), "2026年11月25日 14:05");
        assert_eq!(format_time(Locale::En, 1_795_583_100), "2026-11-25 14:05 JST");
    }
}
