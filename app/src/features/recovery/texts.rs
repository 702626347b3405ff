//! The words of the recovery screens, Japanese and English side by side,
//! in the wording of the provider's printed guide (SPEC). A text with values in it is a
//! function of them, so a missing value is a compile error. Words shared by several
//! features (errors, labels) are in `crate::i18n`.

crate::texts! {
    pub struct RecoveryTexts {
        title =
            "iTSCOM ID・パスワードを忘れたら",
            "Forgot your iTSCOM ID or password";
        choose =
            "お困りの内容を選んで「次へ」を押してください。",
            "Choose what you need and press Next.";
        password_unknown =
            "パスワードがご不明な場合",
            "I do not know my password";
        id_unknown =
            "iTSCOM IDがご不明な場合 (iTSCOM ID新規登録)",
            "I do not know my iTSCOM ID (register an iTSCOM ID)";
        identify =
            "本人認証",
            "Identity check";
        identify_lead =
            "ご登録のiTSCOM IDを入力して「次へ」を押してください。",
            "Enter your iTSCOM ID and press Next.";
        code_title =
            "認証コード入力",
            "Enter the authentication code";
        code_lead =
            "ご登録の連絡先メールアドレスに「認証コード通知メール」をお送りしました。メールに記載の6桁の認証コードを10分以内に入力してください。",
            "We have sent an authentication code notice to your contact email address. Enter the 6-digit code from it within 10 minutes.";
        code_label =
            "認証コード",
            "Authentication code";
        cannot_receive =
            "認証コードを受け取れない場合は、iTSCOM IDとパスワードを新規登録し直してください（現在の登録内容が更新されます）。",
            "If you cannot receive the code, register your iTSCOM ID and password anew (this updates your current registration).";
        password_title =
            "新しいパスワードの設定",
            "Set a new password";
        password_lead =
            "新しいパスワードを入力して「確認」を押してください。",
            "Enter a new password and press Confirm.";
        done_body =
            "パスワードを再設定しました。新しいパスワードでログインしてください。",
            "Your password has been reset. Log in with the new password.";
        question_title =
            "合言葉登録",
            "Secret question";
        question_lead =
            "「秘密の質問」を選択し、質問に対する「答え」を入力してから「次へ」を押してください。確認メールのURLを開いたときに、同じ質問と答えをもう一度お聞きします。",
            "Choose a secret question, type its answer and press Next. When you open the link in the confirmation mail, we ask for the same question and answer again.";
        question_label =
            "秘密の質問",
            "Secret question";
        question_placeholder =
            "選択してください",
            "Choose one";
        answer_label =
            "答え",
            "Answer";
        answer_hint =
            "50文字以内。大文字・小文字、全角・半角は区別しません。",
            "Up to 50 characters. Upper and lower case, full and half width count as the same.";
        sent_title =
            "本人認証 完了",
            "Identity check complete";
        sent_body =
            "ご登録の連絡先メールアドレスに確認メールを送信しました。メールに記載のURLを30分以内に開き、選択した「秘密の質問」と「答え」を入力してください。",
            "We have sent a confirmation mail to your contact email address. Open the link in it within 30 minutes and enter the secret question and answer you chose.";
        sent_note =
            "メールが届かない場合は、迷惑メールフォルダをご確認のうえ、最初からやり直してください。",
            "If no mail arrives, check your spam folder, then start over.";
        verify_lead =
            "手続きを始めたときに選択した「秘密の質問」と、その「答え」を入力してください。",
            "Enter the secret question you chose when you started, and its answer.";
        reissue =
            "ID・パスワード再発行",
            "Reissue ID and password";
        reissue_lead =
            "お客さまのiTSCOM IDは次のとおりです。新しいパスワードを入力して「確認」を押してください。",
            "Your iTSCOM ID is shown below. Enter a new password and press Confirm.";
        answers_left =
            "答えを5回まちがえると、この手続きは終了します。",
            "After 5 wrong answers this request ends.";
        /// Mail 認証コード通知メール: the 6-digit code, 10 minutes (code).
        #[cfg(feature = "ssr")]
        mail_code_subject =
            "認証コード通知メール",
            "Your authentication code";
        #[cfg(feature = "ssr")]
        mail_code: fn(&str) -> Vec<String> =
            |code| vec![
                "パスワード再設定のための認証コードをお知らせします。".into(),
                format!("認証コード: {code}"),
                "認証コードの有効期限は10分です。画面に入力して、新しいパスワードを設定してください。お心当たりのない場合は、このメールを破棄してください。".into(),
            ],
            |code| vec![
                "Here is the code to reset your password.".into(),
                format!("Code: {code}"),
                "It is valid for 10 minutes. If this was not you, please ignore this mail.".into(),
            ];
        /// Mail (path A): the single-use link asking the question again, 30 minutes (link).
        #[cfg(feature = "ssr")]
        mail_link_subject =
            "本人認証 確認メール",
            "Confirm your identity";
        #[cfg(feature = "ssr")]
        mail_link: fn(&str) -> Vec<String> =
            |link| vec![
                "パスワード再発行のお手続きを受け付けました。以下のURLを開き、お手続きの最初に選択した「秘密の質問」と「答え」を入力してください。".into(),
                link.to_string(),
                "このURLの有効期限は30分です。一度だけご利用いただけます。お心当たりのない場合は、このメールを破棄してください。".into(),
            ],
            |link| vec![
                "We received a request to reissue your password. Open this link and enter the secret question and answer you chose:".into(),
                link.to_string(),
                "The link is valid for 30 minutes and works once. If this was not you, please ignore this mail.".into(),
            ];
        /// Mail after a password reset (when).
        #[cfg(feature = "ssr")]
        mail_reset_subject =
            "パスワードが再設定されました",
            "Your password was reset";
        #[cfg(feature = "ssr")]
        mail_reset: fn(&str) -> Vec<String> =
            |when| vec![
                "マイページのパスワードが再設定されました。すべての端末でログアウトしています。".into(),
                format!("日時: {when}"),
                "お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
            ],
            |when| vec![
                "The password of your My Page account was reset, and every session was ended.".into(),
                format!("When: {when}"),
                "If this was not you, contact our support centre at once.".into(),
            ];
    }
}
