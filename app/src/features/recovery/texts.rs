//! The words of the recovery screens, Japanese and English: one table per language,
//! the wording of the provider's printed guide (SPEC). A text with values in it is a
//! function of them, so a missing value is a compile error. Words shared by several
//! features (errors, labels) are in `crate::i18n`.

use crate::i18n::Locale;

pub struct RecoveryTexts {
    pub title: &'static str,
    pub choose: &'static str,
    pub password_unknown: &'static str,
    pub id_unknown: &'static str,
    pub identify: &'static str,
    pub identify_lead: &'static str,
    pub code_title: &'static str,
    pub code_lead: &'static str,
    pub code_label: &'static str,
    pub cannot_receive: &'static str,
    pub password_title: &'static str,
    pub password_lead: &'static str,
    pub done_body: &'static str,
    pub question_title: &'static str,
    pub question_lead: &'static str,
    pub question_label: &'static str,
    pub question_placeholder: &'static str,
    pub answer_label: &'static str,
    pub answer_hint: &'static str,
    pub sent_title: &'static str,
    pub sent_body: &'static str,
    pub sent_note: &'static str,
    pub verify_lead: &'static str,
    pub reissue: &'static str,
    pub reissue_lead: &'static str,
    pub answers_left: &'static str,
    /// Mail 認証コード通知メール: the 6-digit code, 10 minutes (code).
    #[cfg(feature = "ssr")]
    pub mail_code_subject: &'static str,
    #[cfg(feature = "ssr")]
    pub mail_code: fn(&str) -> Vec<String>,
    /// Mail (path A): the single-use link asking the question again, 30 minutes (link).
    #[cfg(feature = "ssr")]
    pub mail_link_subject: &'static str,
    #[cfg(feature = "ssr")]
    pub mail_link: fn(&str) -> Vec<String>,
    /// Mail after a password reset (when).
    #[cfg(feature = "ssr")]
    pub mail_reset_subject: &'static str,
    #[cfg(feature = "ssr")]
    pub mail_reset: fn(&str) -> Vec<String>,
}

pub const JA: RecoveryTexts = RecoveryTexts {
    title: "iTSCOM ID・パスワードを忘れたら",
    choose: "お困りの内容を選んで「次へ」を押してください。",
    password_unknown: "パスワードがご不明な場合",
    id_unknown: "iTSCOM IDがご不明な場合 (iTSCOM ID新規登録)",
    identify: "本人認証",
    identify_lead: "ご登録のiTSCOM IDを入力して「次へ」を押してください。",
    code_title: "認証コード入力",
    code_lead: "ご登録の連絡先メールアドレスに「認証コード通知メール」をお送りしました。メールに記載の6桁の認証コードを10分以内に入力してください。",
    code_label: "認証コード",
    cannot_receive: "認証コードを受け取れない場合は、iTSCOM IDとパスワードを新規登録し直してください（現在の登録内容が更新されます）。",
    password_title: "新しいパスワードの設定",
    password_lead: "新しいパスワードを入力して「確認」を押してください。",
    done_body: "パスワードを再設定しました。新しいパスワードでログインしてください。",
    question_title: "合言葉登録",
    question_lead: "「秘密の質問」を選択し、質問に対する「答え」を入力してから「次へ」を押してください。確認メールのURLを開いたときに、同じ質問と答えをもう一度お聞きします。",
    question_label: "秘密の質問",
    question_placeholder: "選択してください",
    answer_label: "答え",
    answer_hint: "50文字以内。大文字・小文字、全角・半角は区別しません。",
    sent_title: "本人認証 完了",
    sent_body: "ご登録の連絡先メールアドレスに確認メールを送信しました。メールに記載のURLを30分以内に開き、選択した「秘密の質問」と「答え」を入力してください。",
    sent_note: "メールが届かない場合は、迷惑メールフォルダをご確認のうえ、最初からやり直してください。",
    verify_lead: "手続きを始めたときに選択した「秘密の質問」と、その「答え」を入力してください。",
    reissue: "ID・パスワード再発行",
    reissue_lead: "お客さまのiTSCOM IDは次のとおりです。新しいパスワードを入力して「確認」を押してください。",
    answers_left: "答えを5回まちがえると、この手続きは終了します。",
    #[cfg(feature = "ssr")]
    mail_code_subject: "認証コード通知メール",
    #[cfg(feature = "ssr")]
    mail_code: |code| vec![
        "パスワード再設定のための認証コードをお知らせします。".into(),
        format!("認証コード: {code}"),
        "認証コードの有効期限は10分です。画面に入力して、新しいパスワードを設定してください。お心当たりのない場合は、このメールを破棄してください。".into(),
    ],
    #[cfg(feature = "ssr")]
    mail_link_subject: "本人認証 確認メール",
    #[cfg(feature = "ssr")]
    mail_link: |link| vec![
        "パスワード再発行のお手続きを受け付けました。以下のURLを開き、お手続きの最初に選択した「秘密の質問」と「答え」を入力してください。".into(),
        link.to_string(),
        "このURLの有効期限は30分です。一度だけご利用いただけます。お心当たりのない場合は、このメールを破棄してください。".into(),
    ],
    #[cfg(feature = "ssr")]
    mail_reset_subject: "パスワードが再設定されました",
    #[cfg(feature = "ssr")]
    mail_reset: |when| vec![
        "マイページのパスワードが再設定されました。すべての端末でログアウトしています。".into(),
        format!("日時: {when}"),
        "お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
    ],
};

pub const EN: RecoveryTexts = RecoveryTexts {
    title: "Forgot your iTSCOM ID or password",
    choose: "Choose what you need and press Next.",
    password_unknown: "I do not know my password",
    id_unknown: "I do not know my iTSCOM ID (register an iTSCOM ID)",
    identify: "Identity check",
    identify_lead: "Enter your iTSCOM ID and press Next.",
    code_title: "Enter the authentication code",
    code_lead: "We have sent an authentication code notice to your contact email address. Enter the 6-digit code from it within 10 minutes.",
    code_label: "Authentication code",
    cannot_receive: "If you cannot receive the code, register your iTSCOM ID and password anew (this updates your current registration).",
    password_title: "Set a new password",
    password_lead: "Enter a new password and press Confirm.",
    done_body: "Your password has been reset. Log in with the new password.",
    question_title: "Secret question",
    question_lead: "Choose a secret question, type its answer and press Next. When you open the link in the confirmation mail, we ask for the same question and answer again.",
    question_label: "Secret question",
    question_placeholder: "Choose one",
    answer_label: "Answer",
    answer_hint: "Up to 50 characters. Upper and lower case, full and half width count as the same.",
    sent_title: "Identity check complete",
    sent_body: "We have sent a confirmation mail to your contact email address. Open the link in it within 30 minutes and enter the secret question and answer you chose.",
    sent_note: "If no mail arrives, check your spam folder, then start over.",
    verify_lead: "Enter the secret question you chose when you started, and its answer.",
    reissue: "Reissue ID and password",
    reissue_lead: "Your iTSCOM ID is shown below. Enter a new password and press Confirm.",
    answers_left: "After 5 wrong answers this request ends.",
    #[cfg(feature = "ssr")]
    mail_code_subject: "Your authentication code",
    #[cfg(feature = "ssr")]
    mail_code: |code| vec![
        "Here is the code to reset your password.".into(),
        format!("Code: {code}"),
        "It is valid for 10 minutes. If this was not you, please ignore this mail.".into(),
    ],
    #[cfg(feature = "ssr")]
    mail_link_subject: "Confirm your identity",
    #[cfg(feature = "ssr")]
    mail_link: |link| vec![
        "We received a request to reissue your password. Open this link and enter the secret question and answer you chose:".into(),
        link.to_string(),
        "The link is valid for 30 minutes and works once. If this was not you, please ignore this mail.".into(),
    ],
    #[cfg(feature = "ssr")]
    mail_reset_subject: "Your password was reset",
    #[cfg(feature = "ssr")]
    mail_reset: |when| vec![
        "The password of your My Page account was reset, and every session was ended.".into(),
        format!("When: {when}"),
        "If this was not you, contact our support centre at once.".into(),
    ],
};

/// The texts of `locale`.
pub fn of(locale: Locale) -> &'static RecoveryTexts {
    match locale {
        Locale::Ja => &JA,
        Locale::En => &EN,
    }
}

/// The texts of the page being rendered.
pub fn t() -> &'static RecoveryTexts {
    of(crate::i18n::use_locale())
}
