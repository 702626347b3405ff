//! The words of ログイン・セキュリティ設定 and the login's second step, Japanese and
//! English.

crate::texts! {
    pub struct SecurityTexts in "texts.toml" {}
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
        "login.passkey_failed" => pick("ログインに失敗（パスキー）", "Failed sign-in (passkey)"),
        "login.locked" => pick("ログインを停止（失敗の繰り返し）", "Sign-in suspended (repeated failures)"),
        "security.session_ended" => pick("端末をログアウト", "Device signed out"),
        "security.other_sessions_ended" => pick("他の端末をすべてログアウト", "All other devices signed out"),
        "security.passkey_added" => pick("パスキーを登録", "Passkey added"),
        "security.passkey_renamed" => pick("パスキーの名前を変更", "Passkey renamed"),
        "security.passkey_removed" => pick("パスキーを削除", "Passkey removed"),
        "security.factors_removed_by_support" => pick(
            "カスタマーセンターが2段階認証とパスキーを解除",
            "Customer center removed two-step verification and passkeys",
        ),
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
        "billing.card_not_applied" => pick("期限後に入力されたカードを反映せず", "A late card not applied"),
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
        "mailbox.password_reissued" => pick("メールパスワードを再発行", "Mail password issued again"),
        _ => None,
    }
}
