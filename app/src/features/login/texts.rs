//! The words of the login screens, Japanese and English side by side,
//! in the wording of the provider's printed guide (SPEC). A text with values in it is a
//! function of them, so a missing value is a compile error. Words shared by several
//! features (errors, labels) are in `crate::i18n`.

crate::texts! {
    pub struct LoginTexts {
        title =
            "ログイン",
            "Log in";
        lead =
            "iTSCOM IDとパスワードを入力して、ログインしてください。",
            "Enter your iTSCOM ID and password to log in.";
        error_credentials =
            "iTSCOM IDまたはパスワードが正しくありません。",
            "The iTSCOM ID or password is not correct.";
        error_throttled =
            "ログインの試行回数が上限を超えました。しばらく時間をおいてから、再度お試しください。",
            "Too many login attempts. Please wait a while and try again.";
        error_locked =
            "誤ったパスワードが繰り返し入力されたため、ログインを停止しています。「ID,またはパスワードをお忘れですか?」からパスワードを再設定してください。",
            "Login is suspended after repeated wrong passwords. Reset your password from \"Forgot your ID or password?\".";
        /// Mail: a login from a browser not used before (iTSCOM ID, when).
        #[cfg(feature = "ssr")]
        mail_new_browser_subject =
            "新しいブラウザからのログインがありました",
            "New sign-in from a browser";
        #[cfg(feature = "ssr")]
        mail_new_browser: fn(&str, &str, &str, &str) -> Vec<String> =
            |id, when, place, link| vec![
                format!("iTSCOM ID {id} で、これまでに使われていないブラウザからマイページへのログインがありました。"),
                format!("日時: {when}"),
                format!("端末・接続元: {place}"),
                "お客さまご自身のログインであれば、このメールへの対応は不要です。お心当たりのない場合は、すぐにパスワードを変更し、サポートセンターまでご連絡ください。".into(),
                format!("ログイン中の端末の確認・ログアウト、このお知らせの停止は、ログイン・セキュリティ設定から行えます: {link}"),
            ],
            |id, when, place, link| vec![
                format!("Your iTSCOM ID {id} was used to log in to My Page from a browser not used before."),
                format!("When: {when}"),
                format!("Device and address: {place}"),
                "If this was you, there is nothing to do. If not, change your password at once and contact our support centre.".into(),
                format!("See and sign out the signed-in devices, or stop these notices, in Sign-in and security: {link}"),
            ];
        /// Mail: login suspended after repeated wrong passwords (when).
        #[cfg(feature = "ssr")]
        mail_locked_subject =
            "ログインを一時停止しました",
            "Login suspended";
        #[cfg(feature = "ssr")]
        mail_locked: fn(&str) -> Vec<String> =
            |when| vec![
                "お客さまのiTSCOM IDで、誤ったパスワードによるログインが繰り返されたため、ログインを停止しました。".into(),
                format!("日時: {when}"),
                "マイページのログイン画面の「ID,またはパスワードをお忘れですか?」からパスワードを再設定すると、再びログインできます。".into(),
            ],
            |when| vec![
                "Login with your iTSCOM ID has been suspended after repeated wrong passwords.".into(),
                format!("When: {when}"),
                "Reset your password from \"Forgot your ID or password?\" on the login screen to log in again.".into(),
            ];
    }
}
