//! The words of ログイン・セキュリティ設定 and the login's second step, Japanese and
//! English.

crate::texts! {
    pub struct SecurityTexts {
        lead =
            "ログインの方法と、このiTSCOM IDでログインしている端末、これまでの操作の履歴を確認できます。",
            "Check how you sign in, the devices signed in with this iTSCOM ID and what has been done with it.";

        // パスキー
        passkeys_title =
            "パスキー",
            "Passkeys";
        passkeys_lead =
            "スマートフォンやパソコンの画面ロック（指紋・顔認証・PIN）でログインできます。パスワードの入力は不要で、偽サイトでは使えないため、フィッシングにも安全です。",
            "Log in with your phone's or computer's screen lock (fingerprint, face or PIN). No password to type, and it does not work on fake sites, so phishing cannot take it.";
        passkeys_none =
            "パスキーは登録されていません。",
            "No passkeys yet.";
        passkey_add =
            "パスキーを登録する",
            "Add a passkey";
        passkey_needs_js =
            "パスキーの登録とパスキーでのログインには、JavaScriptが有効なブラウザが必要です。",
            "Adding and using passkeys needs a browser with JavaScript on.";
        passkey_failed =
            "パスキーの処理ができませんでした。もう一度お試しください。",
            "The passkey could not be used. Please try again.";
        passkey_password =
            "パスワードを入力してから、もう一度お試しください。",
            "Enter your password, then try again.";
        passkey_created =
            "登録日",
            "Added";
        passkey_last_used =
            "最終利用",
            "Last used";
        passkey_never_used =
            "未使用",
            "Not used yet";
        passkey_rename =
            "名前を変更",
            "Rename";
        passkey_name =
            "パスキーの名前",
            "Passkey name";
        passkey_delete =
            "削除",
            "Remove";
        passkey_delete_confirm =
            "このパスキーを削除します。この端末ではパスキーでログインできなくなります。",
            "This passkey will be removed: it can no longer log you in.";
        done_passkey_added =
            "パスキーを登録しました。次回から「パスキーでログイン」でログインできます。",
            "The passkey is added. Next time, use \"Log in with a passkey\".";
        done_passkey_renamed =
            "パスキーの名前を変更しました。",
            "The passkey is renamed.";
        done_passkey_removed =
            "パスキーを削除しました。",
            "The passkey is removed.";
        login_passkey =
            "パスキーでログイン",
            "Log in with a passkey";
        login_passkey_failed =
            "パスキーでログインできませんでした。iTSCOM IDとパスワードでログインしてください。",
            "The passkey did not log you in. Log in with your iTSCOM ID and password.";

        // 2段階認証
        two_step_title =
            "2段階認証",
            "Two-step verification";
        two_step_lead =
            "ログインのとき、パスワードに加えて認証アプリ（Google Authenticator、Microsoft Authenticator など）に表示される6桁の確認コードを入力します。パスワードが漏れても、第三者はログインできません。",
            "At login you enter, after your password, the 6-digit code your authenticator app (Google Authenticator, Microsoft Authenticator…) shows. A stolen password alone is then not enough to sign in.";
        two_step_on =
            "2段階認証は有効です。",
            "Two-step verification is on.";
        two_step_off =
            "2段階認証は設定されていません。",
            "Two-step verification is off.";
        codes_left: fn(i64) -> String =
            |n| format!("使えるリカバリーコード: 残り{n}個"),
            |n| format!("Recovery codes left: {n}");
        two_step_unavailable =
            "現在、2段階認証の設定はご利用いただけません。",
            "Two-step verification cannot be set up at the moment.";
        two_step_start =
            "2段階認証を設定する",
            "Set up two-step verification";
        two_step_disable =
            "2段階認証を解除する",
            "Turn off two-step verification";
        two_step_disable_lead =
            "解除するには、パスワードと確認コード（またはリカバリーコード）を入力してください。解除すると、ログインはパスワードだけになります。",
            "To turn it off, enter your password and a code (or a recovery code). Login then needs only your password.";
        codes_renew =
            "リカバリーコードを作り直す",
            "Make new recovery codes";
        codes_renew_lead =
            "新しいリカバリーコードを10個作ります。これまでのリカバリーコードは使えなくなります。",
            "Makes 10 new recovery codes; the old ones stop working.";
        setup_title =
            "2段階認証の設定",
            "Set up two-step verification";
        setup_step1 =
            "1. スマートフォンの認証アプリで、このQRコードを読み取ってください。",
            "1. Scan this QR code with the authenticator app on your phone.";
        setup_qr_label =
            "認証アプリに登録するQRコード",
            "QR code for your authenticator app";
        setup_key =
            "読み取れない場合は、次のキーを認証アプリに入力してください（時間ベース）。",
            "If it cannot be scanned, enter this key in the app (time based).";
        setup_step2 =
            "2. 認証アプリに表示された6桁の確認コードを入力してください。",
            "2. Enter the 6-digit code the app shows.";
        code_label =
            "確認コード",
            "Code";
        code_hint =
            "認証アプリの6桁の数字、またはリカバリーコード（例: ABCDE-FGHJK）",
            "The 6 digits of your app, or a recovery code (e.g. ABCDE-FGHJK)";
        setup_confirm =
            "設定する",
            "Turn on";
        setup_none =
            "設定中の2段階認証はありません。ログイン・セキュリティ設定からやり直してください。",
            "No setup is under way. Start again from Sign-in and security.";
        codes_title =
            "リカバリーコード",
            "Recovery codes";
        codes_lead =
            "認証アプリが使えなくなったときは、確認コードの代わりにリカバリーコードを入力してログインできます。各コードは1回だけ使えます。このページを閉じると、コードは二度と表示されません。印刷するか書き留めて、大切に保管してください。",
            "If you cannot use your authenticator app, you can log in with a recovery code instead of a code. Each works once. Once you leave this page, the codes are never shown again: print them or write them down and keep them safe.";
        codes_new =
            "新しいリカバリーコードを作りました。",
            "Your new recovery codes are ready.";
        codes_gone =
            "リカバリーコードはすでに表示しました。お手元にない場合は、ログイン・セキュリティ設定で作り直してください。",
            "The recovery codes were shown already. If you do not have them, make new ones in Sign-in and security.";
        back =
            "ログイン・セキュリティ設定へ戻る",
            "Back to Sign-in and security";
        done_two_step_on =
            "2段階認証を設定しました。",
            "Two-step verification is on.";
        done_two_step_off =
            "2段階認証を解除しました。",
            "Two-step verification is off.";

        // ログイン中の端末
        devices_title =
            "ログイン中の端末",
            "Signed-in devices";
        devices_lead =
            "このiTSCOM IDでログインしている端末です。心当たりのない端末は、ログアウトさせてからパスワードを変更してください。",
            "The devices signed in with this iTSCOM ID. Sign out any you do not know, then change your password.";
        this_device =
            "この端末",
            "This device";
        signed_in_at =
            "ログイン",
            "Signed in";
        last_active =
            "最終利用",
            "Last active";
        address =
            "接続元",
            "From";
        method =
            "ログイン方法",
            "Method";
        method_password =
            "パスワード",
            "Password";
        method_two_step =
            "2段階認証",
            "Two-step verification";
        method_passkey =
            "パスキー",
            "Passkey";
        end_session =
            "ログアウトさせる",
            "Sign out";
        end_others =
            "他の端末をすべてログアウト",
            "Sign out all other devices";
        end_others_confirm =
            "この端末以外のすべての端末をログアウトさせます。よろしいですか？",
            "All devices but this one will be signed out. Continue?";
        done_session_ended =
            "端末をログアウトさせました。",
            "The device was signed out.";
        done_others_ended: fn(&str) -> String =
            |n| format!("他の端末（{n}台）をログアウトさせました。"),
            |n| format!("{n} other device(s) signed out.");
        no_other_devices =
            "ほかにログインしている端末はありません。",
            "No other device is signed in.";

        // 新しいブラウザからのログインのお知らせ
        notices_title =
            "ログインのお知らせメール",
            "Sign-in notices";
        notices_lead =
            "これまでに使われていないブラウザからログインがあったとき、連絡先メールアドレスにお知らせします。",
            "When someone signs in from a browser not used before, we mail your contact address.";
        notices_on =
            "お知らせする（おすすめ）",
            "Mail me (recommended)";
        notices_off =
            "お知らせしない",
            "Do not mail me";
        notices_save =
            "保存する",
            "Save";
        done_notices =
            "ログインのお知らせメールの設定を保存しました。",
            "Your sign-in notice setting is saved.";

        // セキュリティ履歴
        activity_title =
            "セキュリティ履歴",
            "Security activity";
        activity_lead =
            "過去12か月のログインや設定の変更の履歴です（新しい順）。",
            "Sign-ins and changes of the last 12 months, newest first.";
        activity_link =
            "セキュリティ履歴を見る",
            "See security activity";
        activity_filter =
            "表示する内容",
            "Show";
        activity_all =
            "すべて",
            "All";
        activity_logins =
            "ログイン",
            "Sign-ins";
        activity_security =
            "セキュリティ設定",
            "Security settings";
        activity_profile =
            "お客さま情報・お支払い",
            "Account and payment";
        activity_services =
            "サービス・メール",
            "Services and mail";
        activity_show =
            "表示",
            "Show";
        activity_none =
            "この期間の履歴はありません。",
            "Nothing in this period.";
        activity_when =
            "日時",
            "When";
        activity_what =
            "内容",
            "What";
        activity_where =
            "端末・接続元",
            "Device and address";
        newer =
            "新しい履歴",
            "Newer";
        older =
            "以前の履歴",
            "Older";

        // The second step of a login.
        login_title =
            "2段階認証",
            "Two-step verification";
        login_lead =
            "認証アプリに表示されている6桁の確認コードを入力してください。認証アプリが使えない場合は、リカバリーコードを入力してください。",
            "Enter the 6-digit code your authenticator app shows. If you cannot use the app, enter a recovery code.";
        login_submit =
            "ログイン",
            "Log in";
        login_expired =
            "時間が経過したため、ログインをやり直してください。",
            "This took too long: please log in again.";
        login_lost =
            "認証アプリもリカバリーコードも使えない場合は、「ID,またはパスワードをお忘れですか?」からiTSCOM IDを登録し直してください（ご契約の確認があり、お時間をいただきます）。",
            "If you can use neither the app nor a recovery code, register your iTSCOM ID again from \"Forgot your ID or password?\" (your contract is checked: this takes time).";

        // Mails: a change of the sign-in settings (what, when).
        #[cfg(feature = "ssr")]
        mail_changed_subject =
            "ログインの設定が変更されました",
            "Your sign-in settings changed";
        #[cfg(feature = "ssr")]
        mail_changed: fn(&str, &str, &str) -> Vec<String> =
            |what, when, link| vec![
                format!("マイページのログインの設定が変更されました: {what}"),
                format!("日時: {when}"),
                format!("お心当たりのない場合は、すぐにパスワードを変更し、ログイン中の端末を確認してください: {link}"),
            ],
            |what, when, link| vec![
                format!("Your My Page sign-in settings changed: {what}"),
                format!("When: {when}"),
                format!("If this was not you, change your password now and check the signed-in devices: {link}"),
            ];
    }
}

/// What an activity row says, by its kind (`account_events.kind`); None for a kind the
/// page does not show.
pub fn event_label(locale: crate::i18n::Locale, kind: &str) -> Option<&'static str> {
    let ja = locale == crate::i18n::Locale::Ja;
    let pick = |j: &'static str, e: &'static str| Some(if ja { j } else { e });
    match kind {
        "login.succeeded" => pick("ログイン", "Signed in"),
        "login.failed" => pick("ログインに失敗（パスワード違い）", "Failed sign-in (wrong password)"),
        "login.two_step_failed" => pick("ログインに失敗（確認コード違い）", "Failed sign-in (wrong code)"),
        "login.locked" => pick("ログインを停止（失敗の繰り返し）", "Sign-in suspended (repeated failures)"),
        "security.session_ended" => pick("端末をログアウト", "Device signed out"),
        "security.other_sessions_ended" => pick("他の端末をすべてログアウト", "All other devices signed out"),
        "security.passkey_added" => pick("パスキーを登録", "Passkey added"),
        "security.passkey_removed" => pick("パスキーを削除", "Passkey removed"),
        "security.two_step_enabled" => pick("2段階認証を設定", "Two-step verification turned on"),
        "security.two_step_disabled" => pick("2段階認証を解除", "Two-step verification turned off"),
        "security.recovery_codes_renewed" => pick("リカバリーコードを作り直し", "New recovery codes"),
        "security.new_browser_mail_changed" => {
            pick("ログインのお知らせメールの設定を変更", "Sign-in notices changed")
        }
        "recovery.password_reset" => pick("パスワードを再設定", "Password reset"),
        "recovery.started" => pick("パスワードの再設定を開始", "Password reset started"),
        "recovery.failed" => pick("パスワードの再設定に失敗", "Password reset failed"),
        "account.id_change_requested" => pick("iTSCOM IDの変更を申請", "iTSCOM ID change requested"),
        "account.id_change_cancelled" => pick("iTSCOM IDの変更を取り消し", "iTSCOM ID change cancelled"),
        "account.id_changed" => pick("iTSCOM IDを変更", "iTSCOM ID changed"),
        "account.contact_change_requested" => {
            pick("連絡先メールアドレスの変更を申請", "Contact address change requested")
        }
        "account.contact_changed" => pick("連絡先メールアドレスを変更", "Contact address changed"),
        "account.contact_reverted" => {
            pick("連絡先メールアドレスの変更を取り消し", "Contact address change taken back")
        }
        "account.phone_added" => pick("電話番号を追加", "Phone number added"),
        "account.phone_removed" => pick("電話番号を削除", "Phone number removed"),
        "billing.payment_method_changed" => pick("お支払い方法を変更", "Payment method changed"),
        "registration.registered" => pick("iTSCOM IDを登録", "iTSCOM ID registered"),
        "registration.reregistration_requested" => {
            pick("iTSCOM IDの再登録を申請", "Re-registration requested")
        }
        "registration.reregistration_confirmed" => {
            pick("iTSCOM IDの再登録を確認", "Re-registration confirmed")
        }
        "registration.reregistration_cancelled" => {
            pick("iTSCOM IDの再登録を取り消し", "Re-registration cancelled")
        }
        "registration.reregistered" => pick("iTSCOM IDを再登録", "iTSCOM ID registered again"),
        "contract.plan_change_requested" => pick("プラン変更を申し込み", "Plan change requested"),
        "contract.plan_change_cancelled" => pick("プラン変更を取り消し", "Plan change cancelled"),
        "contract.plan_changed" => pick("プランを変更", "Plan changed"),
        "addon.subscribed" => pick("オプションを申し込み", "Add-on subscribed"),
        "addon.cancelled" => pick("オプションを解約", "Add-on cancelled"),
        "mailbox.created" => pick("メールアドレスを作成", "Mail address created"),
        _ => None,
    }
}
