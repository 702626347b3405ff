//! The words of the mailboxes screens, Japanese and English side by side,
//! in the wording of the provider's printed guide (SPEC). A text with values in it is a
//! function of them, so a missing value is a compile error. Words shared by several
//! features (errors, labels) are in `crate::i18n`.

crate::texts! {
    pub struct MailboxTexts {
        title =
            "メールアドレス",
            "Email addresses";
        not_eligible =
            "メールアドレスは、インターネットサービスをご契約のお客さまのみご利用いただけます。",
            "Email addresses come with an internet service contract only.";
        count: fn(i64, i64) -> String =
            |n, limit| format!("登録数: {n} / {limit}"),
            |n, limit| format!("Registered: {n} of {limit}");
        none =
            "登録されているメールアドレスはありません。",
            "No email address is registered.";
        address =
            "メールアドレス",
            "Email address";
        virus =
            "メールウィルスチェック",
            "Mail virus check";
        on =
            "ON",
            "ON";
        off =
            "OFF",
            "OFF";
        turn_on =
            "ONにする",
            "Turn ON";
        turn_off =
            "OFFにする",
            "Turn OFF";
        new =
            "新規登録",
            "Register a new address";
        new_title =
            "メールアドレスの登録",
            "Register an email address";
        step1_lead =
            "ご希望のメールアドレス（@より前の部分）を入力して「次へ」を押してください。",
            "Enter the email address you would like (the part before @) and press Next.";
        local_hint =
            "3～20文字。半角英数字と「-」「_」が使えます（「-」「_」は先頭と末尾には使えません）。",
            "3–20 characters: letters, digits, - and _ (- and _ not first or last).";
        step2_lead =
            "ご希望のサブドメインを選んで「次へ」を押してください。",
            "Choose a sub-domain and press Next.";
        candidates =
            "サブドメイン候補",
            "Sub-domain candidates";
        more =
            "他のサブドメイン候補を表示する",
            "Show other sub-domain candidates";
        no_candidates =
            "空いているサブドメイン候補がありません。別のメールアドレスでお試しください。",
            "No sub-domain is free for this address. Please try another address.";
        terms_title =
            "契約約款",
            "Terms of contract";
        terms_1 =
            "第1条（メールサービス）当社は、インターネットサービスの契約者に対し、電子メールアドレスおよびメールボックスを提供します。",
            "Article 1 (Mail service) We provide email addresses and mailboxes to holders of an internet service contract.";
        terms_2 =
            "第2条（パスワードの管理）契約者は、メールボックスのパスワードを自己の責任で管理し、第三者に知らせてはなりません。",
            "Article 2 (Passwords) The holder keeps the mailbox password safe and tells it to no one.";
        terms_3 =
            "第3条（メールウィルスチェック）メールウィルスチェックは、送受信されるメールのウィルスを検査し、検出したウィルスを駆除するサービスです。すべてのウィルスの検出を保証するものではありません。",
            "Article 3 (Mail virus check) The mail virus check scans mail sent and received and removes the viruses it finds. It cannot guarantee to find every virus.";
        terms_4 =
            "第4条（禁止事項）契約者は、迷惑メールの送信その他法令に反する目的でメールサービスを利用してはなりません。",
            "Article 4 (Prohibited use) The holder must not use the service to send spam or for any unlawful purpose.";
        step3_lead =
            "契約約款を確認し、メールウィルスチェックを利用する場合は「ON」、利用しない場合は「OFF」を選んで「確認」を押してください。",
            "Read the terms, choose ON to use the mail virus check or OFF not to, and press Confirm.";
        virus_note =
            "メールウィルスチェックの設定はいつでも変更できます。",
            "You can change the mail virus check at any time.";
        step4_lead =
            "表示された内容で間違いがないか確認し、「登録」を押してください。",
            "Check the details and press Register.";
        done_title =
            "登録完了",
            "Registered";
        done_warning =
            "この内容は今後確認ができません。印刷をするか、メモなどに控えてください。",
            "You will not be able to see this again. Print it or write it down.";
        password =
            "初期パスワード",
            "Initial password";
        incoming =
            "受信メールサーバー",
            "Incoming mail server";
        outgoing =
            "送信メールサーバー",
            "Outgoing mail server";
        port =
            "ポート番号",
            "Port";
        print =
            "印刷画面へ",
            "Print";
        to_list =
            "メールアドレス一覧へ",
            "To the email address list";
        done_gone =
            "登録内容の表示は一度だけです。この内容は今後確認ができません。",
            "The details are shown once only and cannot be seen again.";
        /// Mail: a mailbox was registered, never with its password (address, ON/OFF).
        #[cfg(feature = "ssr")]
        mail_created_subject =
            "メールアドレスを登録しました",
            "An email address was registered";
        #[cfg(feature = "ssr")]
        mail_created: fn(&str, &str) -> Vec<String> =
            |address, on| vec![
                format!("マイページでメールアドレス {address} を登録しました。"),
                format!("メールウィルスチェック: {on}"),
                "パスワードは登録完了画面でのみお知らせしています。お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
            ],
            |address, on| vec![
                format!("The email address {address} was registered on My Page."),
                format!("Mail virus check: {on}"),
                "Its password was shown on the completion screen only. If this was not you, contact our support centre at once.".into(),
            ];
        /// Mail: a mailbox's virus check was switched (address, ON/OFF).
        #[cfg(feature = "ssr")]
        mail_virus_subject =
            "メールウィルスチェックの設定を変更しました",
            "Mail virus check changed";
        #[cfg(feature = "ssr")]
        mail_virus: fn(&str, &str) -> Vec<String> =
            |address, state| vec![
                format!("メールアドレス {address} のメールウィルスチェックを {state} にしました。"),
                "お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
            ],
            |address, state| vec![
                format!("The mail virus check of {address} is now {state}."),
                "If this was not you, contact our support centre at once.".into(),
            ];
    }
}
