//! The words of the account screens, Japanese and English: one table per language,
//! the wording of the provider's printed guide (SPEC). A text with values in it is a
//! function of them, so a missing value is a compile error. Words shared by several
//! features (errors, labels) are in `crate::i18n`.

use crate::i18n::Locale;

pub struct AccountTexts {
    pub info: &'static str,
    pub edit_button: &'static str,
    pub edit_title: &'static str,
    pub change: &'static str,
    pub pending: fn(&str) -> String,
    pub id_title: &'static str,
    pub id_lead: &'static str,
    pub id_current: &'static str,
    pub id_new: &'static str,
    pub id_new_hint: &'static str,
    pub id_confirm_lead: &'static str,
    pub id_contact_legend: &'static str,
    pub id_contact_new: &'static str,
    pub id_contact_keep: &'static str,
    pub id_password_lead: &'static str,
    pub id_sent_body: &'static str,
    pub id_verify_lead: &'static str,
    pub id_verify_button: &'static str,
    pub id_cancel_lead: &'static str,
    pub id_cancel_button: &'static str,
    pub id_cancelled_body: &'static str,
    pub id_contact_will_change: &'static str,
    pub id_contact_unchanged: &'static str,
    pub id_done_body: &'static str,
    /// Mail: the link the new address opens to confirm an ID change, 24 hours (link).
    #[cfg(feature = "ssr")]
    pub mail_id_confirm_subject: &'static str,
    #[cfg(feature = "ssr")]
    pub mail_id_confirm: fn(&str) -> Vec<String>,
    /// Mail: the new address is already an iTSCOM ID (no link).
    #[cfg(feature = "ssr")]
    pub mail_id_taken: fn() -> Vec<String>,
    /// Mail to the contact address before the change: the ID changed (new ID, when).
    #[cfg(feature = "ssr")]
    pub mail_id_changed_subject: &'static str,
    #[cfg(feature = "ssr")]
    pub mail_id_changed: fn(&str, &str) -> Vec<String>,
    /// Mail to the contact address when a change is asked, with a cancel link (new ID,
    /// when, cancel link).
    #[cfg(feature = "ssr")]
    pub mail_id_requested_subject: &'static str,
    #[cfg(feature = "ssr")]
    pub mail_id_requested: fn(&str, &str, &str) -> Vec<String>,
}

pub const JA: AccountTexts = AccountTexts {
    info: "お客さま情報",
    edit_button: "アカウント情報を変更する",
    edit_title: "アカウント情報",
    change: "変更",
    pending: |id| format!("新しいiTSCOM ID（{id}）宛に確認メールをお送りしています。メールのURLを開くと変更が確定します。"),
    id_title: "iTSCOM IDの変更",
    id_lead: "新しいiTSCOM ID（メールアドレス）を入力して「次へ」を押してください。",
    id_current: "現在のiTSCOM ID",
    id_new: "新しいiTSCOM ID",
    id_new_hint: "メールアドレス形式、4～100文字（半角英数字と「@」「_」「-」「.」）",
    id_confirm_lead: "変更後のiTSCOM IDを連絡先メールアドレスに設定するか選択し、内容を確認のうえ「登録」を押してください。",
    id_contact_legend: "変更後のiTSCOM IDを連絡先メールアドレスに設定しますか？",
    id_contact_new: "設定する",
    id_contact_keep: "設定しない",
    id_password_lead: "前回のログインから5分以上経過しているため、現在のパスワードを入力してください。",
    id_sent_body: "新しいiTSCOM ID宛に確認メールを送信しました。メールに記載のURLを24時間以内に開くと、変更が確定します。確定するまでは、現在のiTSCOM IDでログインしてください。",
    id_verify_lead: "以下の内容でiTSCOM IDを変更します。よろしければ「変更を確定する」を押してください。",
    id_verify_button: "変更を確定する",
    id_cancel_lead: "以下のiTSCOM IDの変更のお申し込みを取り消します。お心当たりのない場合は「変更を取り消す」を押し、パスワードも変更してください。",
    id_cancel_button: "変更を取り消す",
    id_cancelled_body: "iTSCOM IDの変更を取り消しました。これまでのiTSCOM IDを引き続きご利用いただけます。",
    id_contact_will_change: "新しいiTSCOM IDに変更します",
    id_contact_unchanged: "変更しません",
    id_done_body: "iTSCOM IDの変更が完了しました。次回から新しいiTSCOM IDでログインしてください。",
    #[cfg(feature = "ssr")]
    mail_id_confirm_subject: "iTSCOM IDの変更",
    #[cfg(feature = "ssr")]
    mail_id_confirm: |link| vec![
        "このメールアドレスへのiTSCOM IDの変更を受け付けました。以下のURLを開いて、変更を確定してください。".into(),
        link.to_string(),
        "このURLの有効期限は24時間です。一度だけご利用いただけます。確定するまでは、これまでのiTSCOM IDでログインできます。お心当たりのない場合は、このメールを破棄してください。".into(),
    ],
    #[cfg(feature = "ssr")]
    mail_id_taken: || vec![
        "このメールアドレスへのiTSCOM IDの変更のお手続きがありましたが、このアドレスはすでにiTSCOM IDとして登録されているため、変更できませんでした。".into(),
        "別のメールアドレスでお手続きください。お心当たりのない場合は、このメールを破棄してください。".into(),
    ],
    #[cfg(feature = "ssr")]
    mail_id_changed_subject: "iTSCOM IDが変更されました",
    #[cfg(feature = "ssr")]
    mail_id_changed: |new_id, when| vec![
        format!("マイページのiTSCOM IDが {new_id} に変更されました。次回から新しいiTSCOM IDでログインしてください。"),
        format!("日時: {when}"),
        "お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
    ],
    #[cfg(feature = "ssr")]
    mail_id_requested_subject: "iTSCOM IDの変更のお申し込み",
    #[cfg(feature = "ssr")]
    mail_id_requested: |new_id, when, cancel_link| vec![
        format!("マイページのiTSCOM IDを {new_id} に変更するお申し込みがありました。新しいアドレスで確認されると変更されます。"),
        format!("日時: {when}"),
        format!("お心当たりのない場合は、以下のURLからお申し込みを取り消し、パスワードを変更してください:\n{cancel_link}"),
    ],
};

pub const EN: AccountTexts = AccountTexts {
    info: "Customer information",
    edit_button: "Change account information",
    edit_title: "Account information",
    change: "Change",
    pending: |id| format!("A confirmation mail was sent to the new iTSCOM ID ({id}). The change takes effect when its link is opened."),
    id_title: "Change of iTSCOM ID",
    id_lead: "Enter the new iTSCOM ID (an email address) and press Next.",
    id_current: "Current iTSCOM ID",
    id_new: "New iTSCOM ID",
    id_new_hint: "An email address, 4–100 characters (letters, digits and @ _ - .)",
    id_confirm_lead: "Choose whether the new iTSCOM ID also becomes your contact email address, check the details and press Register.",
    id_contact_legend: "Make the new iTSCOM ID your contact email address too?",
    id_contact_new: "Yes",
    id_contact_keep: "No, keep the current one",
    id_password_lead: "Your login is more than 5 minutes old: enter your current password.",
    id_sent_body: "We have sent a confirmation mail to the new iTSCOM ID. The change takes effect when you open its link within 24 hours; until then, log in with your current iTSCOM ID.",
    id_verify_lead: "Your iTSCOM ID will change as shown. Press Confirm the change to go ahead.",
    id_verify_button: "Confirm the change",
    id_cancel_lead: "This cancels the iTSCOM ID change below. If you did not ask for it, press \"Cancel the change\" and change your password too.",
    id_cancel_button: "Cancel the change",
    id_cancelled_body: "The iTSCOM ID change is cancelled. Your iTSCOM ID stays as it is.",
    id_contact_will_change: "Becomes the new iTSCOM ID",
    id_contact_unchanged: "Stays as it is",
    id_done_body: "Your iTSCOM ID has been changed. Log in with the new iTSCOM ID from now on.",
    #[cfg(feature = "ssr")]
    mail_id_confirm_subject: "Change of iTSCOM ID",
    #[cfg(feature = "ssr")]
    mail_id_confirm: |link| vec![
        "We received a request to make this address an iTSCOM ID. Open this link to confirm the change:".into(),
        link.to_string(),
        "The link is valid for 24 hours and works once. Until then the current iTSCOM ID keeps working. If this was not you, please ignore this mail.".into(),
    ],
    #[cfg(feature = "ssr")]
    mail_id_taken: || vec![
        "Someone asked to make this address an iTSCOM ID, but it already is one, so nothing was changed.".into(),
        "Please use another address. If this was not you, please ignore this mail.".into(),
    ],
    #[cfg(feature = "ssr")]
    mail_id_changed_subject: "Your iTSCOM ID was changed",
    #[cfg(feature = "ssr")]
    mail_id_changed: |new_id, when| vec![
        format!("The iTSCOM ID of your My Page account is now {new_id}. Log in with it from now on."),
        format!("When: {when}"),
        "If this was not you, contact our support centre at once.".into(),
    ],
    #[cfg(feature = "ssr")]
    mail_id_requested_subject: "A request to change your iTSCOM ID",
    #[cfg(feature = "ssr")]
    mail_id_requested: |new_id, when, cancel_link| vec![
        format!("Someone asked to change the iTSCOM ID of your My Page account to {new_id}. It changes once the new address confirms."),
        format!("When: {when}"),
        format!("If this was not you, cancel the request here and change your password:\n{cancel_link}"),
    ],
};

/// The texts of `locale`.
pub fn of(locale: Locale) -> &'static AccountTexts {
    match locale {
        Locale::Ja => &JA,
        Locale::En => &EN,
    }
}

/// The texts of the page being rendered.
pub fn t() -> &'static AccountTexts {
    of(crate::i18n::use_locale())
}
