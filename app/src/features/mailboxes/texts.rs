//! The words of the mailboxes screens, Japanese and English: one table per language,
//! the wording of the provider's printed guide (SPEC). A text with values in it is a
//! function of them, so a missing value is a compile error. Words shared by several
//! features (errors, labels) are in `crate::i18n`.

use crate::i18n::Locale;

pub struct MailboxTexts {
    pub title: &'static str,
    pub not_eligible: &'static str,
    pub count: fn(i64, i64) -> String,
    pub none: &'static str,
    pub address: &'static str,
    pub virus: &'static str,
    pub on: &'static str,
    pub off: &'static str,
    pub turn_on: &'static str,
    pub turn_off: &'static str,
    pub new: &'static str,
    pub new_title: &'static str,
    pub step1_lead: &'static str,
    pub local_hint: &'static str,
    pub step2_lead: &'static str,
    pub candidates: &'static str,
    pub more: &'static str,
    pub no_candidates: &'static str,
    pub terms_title: &'static str,
    pub terms_1: &'static str,
    pub terms_2: &'static str,
    pub terms_3: &'static str,
    pub terms_4: &'static str,
    pub step3_lead: &'static str,
    pub virus_note: &'static str,
    pub step4_lead: &'static str,
    /// 登録 asks for the password again (the login is older than 5 minutes).
    pub password_lead: &'static str,
    pub done_title: &'static str,
    pub done_warning: &'static str,
    pub password: &'static str,
    pub incoming: &'static str,
    pub outgoing: &'static str,
    pub port: &'static str,
    pub print: &'static str,
    pub to_list: &'static str,
    pub done_gone: &'static str,
    /// Mail: a mailbox was registered, never with its password (address, ON/OFF).
    #[cfg(feature = "ssr")]
    pub mail_created_subject: &'static str,
    #[cfg(feature = "ssr")]
    pub mail_created: fn(&str, &str) -> Vec<String>,
    /// Mail: a mailbox's virus check was switched (address, ON/OFF).
    #[cfg(feature = "ssr")]
    pub mail_virus_subject: &'static str,
    #[cfg(feature = "ssr")]
    pub mail_virus: fn(&str, &str) -> Vec<String>,
}

pub const JA: MailboxTexts = MailboxTexts {
    title: "メールアドレス",
    not_eligible: "メールアドレスは、インターネットサービスをご契約のお客さまのみご利用いただけます。",
    count: |n, limit| format!("登録数: {n} / {limit}"),
    none: "登録されているメールアドレスはありません。",
    address: "メールアドレス",
    virus: "メールウィルスチェック",
    on: "ON",
    off: "OFF",
    turn_on: "ONにする",
    turn_off: "OFFにする",
    new: "新規登録",
    new_title: "メールアドレスの登録",
    step1_lead: "ご希望のメールアドレス（@より前の部分）を入力して「次へ」を押してください。",
    local_hint: "3～20文字。半角英数字と「-」「_」が使えます（「-」「_」は先頭と末尾には使えません）。",
    step2_lead: "ご希望のサブドメインを選んで「次へ」を押してください。",
    candidates: "サブドメイン候補",
    more: "他のサブドメイン候補を表示する",
    no_candidates: "空いているサブドメイン候補がありません。別のメールアドレスでお試しください。",
    terms_title: "契約約款",
    terms_1: "第1条（メールサービス）当社は、インターネットサービスの契約者に対し、電子メールアドレスおよびメールボックスを提供します。",
    terms_2: "第2条（パスワードの管理）契約者は、メールボックスのパスワードを自己の責任で管理し、第三者に知らせてはなりません。",
    terms_3: "第3条（メールウィルスチェック）メールウィルスチェックは、送受信されるメールのウィルスを検査し、検出したウィルスを駆除するサービスです。すべてのウィルスの検出を保証するものではありません。",
    terms_4: "第4条（禁止事項）契約者は、迷惑メールの送信その他法令に反する目的でメールサービスを利用してはなりません。",
    step3_lead: "契約約款を確認し、メールウィルスチェックを利用する場合は「ON」、利用しない場合は「OFF」を選んで「確認」を押してください。",
    virus_note: "メールウィルスチェックの設定はいつでも変更できます。",
    step4_lead: "表示された内容で間違いがないか確認し、「登録」を押してください。",
    password_lead: "前回のログインから5分以上経過しているため、現在のパスワードを入力してください。",
    done_title: "登録完了",
    done_warning: "この内容は今後確認ができません。印刷をするか、メモなどに控えてください。",
    password: "初期パスワード",
    incoming: "受信メールサーバー",
    outgoing: "送信メールサーバー",
    port: "ポート番号",
    print: "印刷画面へ",
    to_list: "メールアドレス一覧へ",
    done_gone: "登録内容の表示は一度だけです。この内容は今後確認ができません。",
    #[cfg(feature = "ssr")]
    mail_created_subject: "メールアドレスを登録しました",
    #[cfg(feature = "ssr")]
    mail_created: |address, on| vec![
        format!("マイページでメールアドレス {address} を登録しました。"),
        format!("メールウィルスチェック: {on}"),
        "パスワードは登録完了画面でのみお知らせしています。お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
    ],
    #[cfg(feature = "ssr")]
    mail_virus_subject: "メールウィルスチェックの設定を変更しました",
    #[cfg(feature = "ssr")]
    mail_virus: |address, state| vec![
        format!("メールアドレス {address} のメールウィルスチェックを {state} にしました。"),
        "お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
    ],
};

pub const EN: MailboxTexts = MailboxTexts {
    title: "Email addresses",
    not_eligible: "Email addresses come with an internet service contract only.",
    count: |n, limit| format!("Registered: {n} of {limit}"),
    none: "No email address is registered.",
    address: "Email address",
    virus: "Mail virus check",
    on: "ON",
    off: "OFF",
    turn_on: "Turn ON",
    turn_off: "Turn OFF",
    new: "Register a new address",
    new_title: "Register an email address",
    step1_lead: "Enter the email address you would like (the part before @) and press Next.",
    local_hint: "3–20 characters: letters, digits, - and _ (- and _ not first or last).",
    step2_lead: "Choose a sub-domain and press Next.",
    candidates: "Sub-domain candidates",
    more: "Show other sub-domain candidates",
    no_candidates: "No sub-domain is free for this address. Please try another address.",
    terms_title: "Terms of contract",
    terms_1: "Article 1 (Mail service) We provide email addresses and mailboxes to holders of an internet service contract.",
    terms_2: "Article 2 (Passwords) The holder keeps the mailbox password safe and tells it to no one.",
    terms_3: "Article 3 (Mail virus check) The mail virus check scans mail sent and received and removes the viruses it finds. It cannot guarantee to find every virus.",
    terms_4: "Article 4 (Prohibited use) The holder must not use the service to send spam or for any unlawful purpose.",
    step3_lead: "Read the terms, choose ON to use the mail virus check or OFF not to, and press Confirm.",
    virus_note: "You can change the mail virus check at any time.",
    step4_lead: "Check the details and press Register.",
    password_lead: "Your login is more than 5 minutes old: enter your current password.",
    done_title: "Registered",
    done_warning: "You will not be able to see this again. Print it or write it down.",
    password: "Initial password",
    incoming: "Incoming mail server",
    outgoing: "Outgoing mail server",
    port: "Port",
    print: "Print",
    to_list: "To the email address list",
    done_gone: "The details are shown once only and cannot be seen again.",
    #[cfg(feature = "ssr")]
    mail_created_subject: "An email address was registered",
    #[cfg(feature = "ssr")]
    mail_created: |address, on| vec![
        format!("The email address {address} was registered on My Page."),
        format!("Mail virus check: {on}"),
        "Its password was shown on the completion screen only. If this was not you, contact our support centre at once.".into(),
    ],
    #[cfg(feature = "ssr")]
    mail_virus_subject: "Mail virus check changed",
    #[cfg(feature = "ssr")]
    mail_virus: |address, state| vec![
        format!("The mail virus check of {address} is now {state}."),
        "If this was not you, contact our support centre at once.".into(),
    ],
};

/// The texts of `locale`.
pub fn of(locale: Locale) -> &'static MailboxTexts {
    match locale {
        Locale::Ja => &JA,
        Locale::En => &EN,
    }
}

/// The texts of the page being rendered.
pub fn t() -> &'static MailboxTexts {
    of(crate::i18n::use_locale())
}
