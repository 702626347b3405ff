//! The words of the account screens, Japanese and English side by side,
//! in the wording of the provider's printed guide (SPEC). A text with values in it is a
//! function of them, so a missing value is a compile error. Words shared by several
//! features (errors, labels) are in `crate::i18n`.

crate::texts! {
    pub struct AccountTexts {
        info =
            "お客さま情報",
            "Customer information";
        edit_button =
            "アカウント情報を変更する",
            "Change account information";
        edit_title =
            "アカウント情報",
            "Account information";
        change =
            "変更",
            "Change";
        pending: fn(&str) -> String =
            |id| format!("新しいiTSCOM ID（{id}）宛に確認メールをお送りしています。メールのURLを開くと変更が確定します。"),
            |id| format!("A confirmation mail was sent to the new iTSCOM ID ({id}). The change takes effect when its link is opened.");
        id_title =
            "iTSCOM IDの変更",
            "Change of iTSCOM ID";
        id_lead =
            "新しいiTSCOM ID（メールアドレス）を入力して「次へ」を押してください。",
            "Enter the new iTSCOM ID (an email address) and press Next.";
        id_current =
            "現在のiTSCOM ID",
            "Current iTSCOM ID";
        id_new =
            "新しいiTSCOM ID",
            "New iTSCOM ID";
        id_new_hint =
            "メールアドレス形式、4～100文字（半角英数字と「@」「_」「-」「.」）",
            "An email address, 4–100 characters (letters, digits and @ _ - .)";
        id_confirm_lead =
            "変更後のiTSCOM IDを連絡先メールアドレスに設定するか選択し、内容を確認のうえ「登録」を押してください。",
            "Choose whether the new iTSCOM ID also becomes your contact email address, check the details and press Register.";
        id_contact_legend =
            "変更後のiTSCOM IDを連絡先メールアドレスに設定しますか？",
            "Make the new iTSCOM ID your contact email address too?";
        id_contact_new =
            "設定する",
            "Yes";
        id_contact_keep =
            "設定しない",
            "No, keep the current one";
        id_sent_body =
            "新しいiTSCOM ID宛に確認メールを送信しました。メールに記載のURLを24時間以内に開くと、変更が確定します。確定するまでは、現在のiTSCOM IDでログインしてください。",
            "We have sent a confirmation mail to the new iTSCOM ID. The change takes effect when you open its link within 24 hours; until then, log in with your current iTSCOM ID.";
        id_verify_lead =
            "以下の内容でiTSCOM IDを変更します。よろしければ「変更を確定する」を押してください。",
            "Your iTSCOM ID will change as shown. Press Confirm the change to go ahead.";
        id_verify_button =
            "変更を確定する",
            "Confirm the change";
        id_cancel_lead =
            "以下のiTSCOM IDの変更のお申し込みを取り消します。お心当たりのない場合は「変更を取り消す」を押し、パスワードも変更してください。",
            "This cancels the iTSCOM ID change below. If you did not ask for it, press \"Cancel the change\" and change your password too.";
        id_cancel_button =
            "変更を取り消す",
            "Cancel the change";
        id_cancelled_body =
            "iTSCOM IDの変更を取り消しました。これまでのiTSCOM IDを引き続きご利用いただけます。",
            "The iTSCOM ID change is cancelled. Your iTSCOM ID stays as it is.";
        id_contact_will_change =
            "新しいiTSCOM IDに変更します",
            "Becomes the new iTSCOM ID";
        id_contact_unchanged =
            "変更しません",
            "Stays as it is";
        id_done_body =
            "iTSCOM IDの変更が完了しました。次回から新しいiTSCOM IDでログインしてください。",
            "Your iTSCOM ID has been changed. Log in with the new iTSCOM ID from now on.";
        /// Mail: the link the new address opens to confirm an ID change, 24 hours (link).
        #[cfg(feature = "ssr")]
        mail_id_confirm_subject =
            "iTSCOM IDの変更",
            "Change of iTSCOM ID";
        #[cfg(feature = "ssr")]
        mail_id_confirm: fn(&str) -> Vec<String> =
            |link| vec![
                "このメールアドレスへのiTSCOM IDの変更を受け付けました。以下のURLを開いて、変更を確定してください。".into(),
                link.to_string(),
                "このURLの有効期限は24時間です。一度だけご利用いただけます。確定するまでは、これまでのiTSCOM IDでログインできます。お心当たりのない場合は、このメールを破棄してください。".into(),
            ],
            |link| vec![
                "We received a request to make this address an iTSCOM ID. Open this link to confirm the change:".into(),
                link.to_string(),
                "The link is valid for 24 hours and works once. Until then the current iTSCOM ID keeps working. If this was not you, please ignore this mail.".into(),
            ];
        /// Mail: the new address is already an iTSCOM ID (no link).
        #[cfg(feature = "ssr")]
        mail_id_taken: fn() -> Vec<String> =
            || vec![
                "このメールアドレスへのiTSCOM IDの変更のお手続きがありましたが、このアドレスはすでにiTSCOM IDとして登録されているため、変更できませんでした。".into(),
                "別のメールアドレスでお手続きください。お心当たりのない場合は、このメールを破棄してください。".into(),
            ],
            || vec![
                "Someone asked to make this address an iTSCOM ID, but it already is one, so nothing was changed.".into(),
                "Please use another address. If this was not you, please ignore this mail.".into(),
            ];
        /// Mail to the contact address before the change: the ID changed (new ID, when).
        #[cfg(feature = "ssr")]
        mail_id_changed_subject =
            "iTSCOM IDが変更されました",
            "Your iTSCOM ID was changed";
        #[cfg(feature = "ssr")]
        mail_id_changed: fn(&str, &str) -> Vec<String> =
            |new_id, when| vec![
                format!("マイページのiTSCOM IDが {new_id} に変更されました。次回から新しいiTSCOM IDでログインしてください。"),
                format!("日時: {when}"),
                "お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
            ],
            |new_id, when| vec![
                format!("The iTSCOM ID of your My Page account is now {new_id}. Log in with it from now on."),
                format!("When: {when}"),
                "If this was not you, contact our support centre at once.".into(),
            ];
        /// Mail to the contact address when a change is asked, with a cancel link (new ID,
        /// when, cancel link).
        #[cfg(feature = "ssr")]
        mail_id_requested_subject =
            "iTSCOM IDの変更のお申し込み",
            "A request to change your iTSCOM ID";
        #[cfg(feature = "ssr")]
        mail_id_requested: fn(&str, &str, &str) -> Vec<String> =
            |new_id, when, cancel_link| vec![
                format!("マイページのiTSCOM IDを {new_id} に変更するお申し込みがありました。新しいアドレスで確認されると変更されます。"),
                format!("日時: {when}"),
                format!("お心当たりのない場合は、以下のURLからお申し込みを取り消し、パスワードを変更してください:\n{cancel_link}"),
            ],
            |new_id, when, cancel_link| vec![
                format!("Someone asked to change the iTSCOM ID of your My Page account to {new_id}. It changes once the new address confirms."),
                format!("When: {when}"),
                format!("If this was not you, cancel the request here and change your password:\n{cancel_link}"),
            ];
        kana =
            "フリガナ",
            "Name (kana)";
        address =
            "ご住所（設置場所）",
            "Address (installation)";
        documents_title =
            "お名前・ご住所の変更",
            "Changing your name or address";
        documents_lead =
            "お名前・ご住所はマイページでは変更できません。確認書類が必要なため、次の方法でお手続きください。",
            "Your name and address cannot be changed in My Page: they need documents. Please proceed as follows.";
        documents: &'static [&'static str] =
            &["ご住所の変更（お引越し）: 機器の移設工事が必要です。カスタマーセンターにご連絡ください。新しいご住所が記載された本人確認書類（運転免許証、マイナンバーカード、住民票の写しなど）が必要です。", "お名前の変更（ご結婚など）: 変更後のお名前が確認できる書類（運転免許証、健康保険証、戸籍抄本など）の写しを、カスタマーセンターからお送りする変更届に添えてご返送ください。", "ご契約者の変更（名義変更）: 名義変更届と、新旧ご契約者それぞれの本人確認書類が必要です。"],
            &["Moving house: the equipment must be moved. Call the customer center, with an identity document showing the new address (driving licence, My Number card, certificate of residence).", "A new name (marriage and so on): return the change form the customer center sends you with a copy of a document showing the new name (driving licence, health insurance card, family register extract).", "A new contract holder: a transfer form and identity documents of both the current and the new holder."];
        documents_contact =
            "イッツコム カスタマーセンター 0120-109199（9:30～18:00）",
            "iTSCOM customer center 0120-109199 (9:30–18:00)";
        phones_title =
            "登録電話番号",
            "Phone numbers";
        phones_lead =
            "ご本人確認に使う電話番号です。3件まで登録でき、1件以上が必要です。",
            "Used to confirm it is you. Up to 3; at least one is needed.";
        phone_remove =
            "削除",
            "Remove";
        phone_add =
            "電話番号を追加",
            "Add a phone number";
        phone_add_button =
            "追加する",
            "Add";
        phone_hint =
            "市外局番から入力してください（例: 090-1234-5678）。",
            "With the area code (e.g. 090-1234-5678).";
        phone_last =
            "最後の1件は削除できません。別の番号を追加してから削除してください。",
            "The last number cannot be removed: add another first.";
        phone_max =
            "登録できる電話番号は3件までです。追加するには、先に1件削除してください。",
            "You have 3 numbers, the most there can be: remove one to add another.";
        phone_added =
            "電話番号を追加しました。",
            "The phone number is added.";
        phone_removed =
            "電話番号を削除しました。",
            "The phone number is removed.";
        contact_title =
            "連絡先メールアドレス",
            "Contact email address";
        contact_lead =
            "お知らせや、パスワード再設定の確認コードをお送りするアドレスです。",
            "Where we send notices and password reset codes.";
        contact_choose =
            "新しい連絡先",
            "New contact address";
        contact_other =
            "その他のメールアドレス",
            "Another email address";
        contact_other_hint =
            "入力したアドレスに確認メールをお送りします。メールのURLを開くと変更されます（24時間有効）。",
            "We send a confirmation mail to it; the change is made when its link is opened (valid 24 hours).";
        contact_button =
            "連絡先を変更する",
            "Change the contact address";
        contact_changed =
            "連絡先メールアドレスを変更しました。",
            "The contact address is changed.";
        contact_mailed: fn(&str) -> String =
            |to| format!("{to} 宛に確認メールをお送りしました。メールのURLを開くと変更が確定します。"),
            |to| format!("We have sent a confirmation mail to {to}. The change is made when its link is opened.");
        contact_pending: fn(&str) -> String =
            |to| format!("{to} への変更を確認中です（確認メールのURLを開くと変更されます）。"),
            |to| format!("A change to {to} waits for its confirmation link.");
        contact_verify_title =
            "連絡先メールアドレスの変更",
            "Change of contact address";
        contact_verify_lead =
            "以下のとおり連絡先メールアドレスを変更します。よろしければ「変更を確定する」を押してください。",
            "The contact address changes as below. Press Confirm the change.";
        contact_verify_button =
            "変更を確定する",
            "Confirm the change";
        contact_done =
            "連絡先メールアドレスを変更しました。今後のお知らせはこのアドレスにお送りします。",
            "The contact address is changed: notices now go to this address.";
        contact_current =
            "現在の連絡先",
            "Current contact address";
        #[cfg(feature = "ssr")]
        mail_profile_subject =
            "お客さま情報変更のお知らせ",
            "Your customer information changed";
        #[cfg(feature = "ssr")]
        mail_profile: fn(&str, &str) -> Vec<String> =
            |what, when| vec![format!("マイページでお客さま情報が変更されました。\n{what}"), format!("日時: {when}"), "お心当たりのない場合は、パスワードを変更のうえ、カスタマーセンター（0120-109199　9:30～18:00）にご連絡ください。".to_string()],
            |what, when| vec![format!("Your customer information was changed in My Page.\n{what}"), format!("When: {when}"), "If this was not you, change your password and call the customer center (0120-109199, 9:30–18:00).".to_string()];
        #[cfg(feature = "ssr")]
        what_phone_added: fn(&str) -> String =
            |p| format!("電話番号 {p} を追加しました。"),
            |p| format!("Phone number {p} added.");
        #[cfg(feature = "ssr")]
        what_phone_removed: fn(&str) -> String =
            |p| format!("電話番号 {p} を削除しました。"),
            |p| format!("Phone number {p} removed.");
        #[cfg(feature = "ssr")]
        what_contact_changed: fn(&str) -> String =
            |to| format!("連絡先メールアドレスを {to} に変更しました。今後のお知らせは新しいアドレスにお送りします。"),
            |to| format!("The contact address is now {to}; notices go there from now on.");
        #[cfg(feature = "ssr")]
        what_contact_requested: fn(&str) -> String =
            |to| format!("連絡先メールアドレスを {to} に変更するお申し込みがありました。新しいアドレスで確認されると変更されます。"),
            |to| format!("A change of the contact address to {to} was asked; it is made once the new address confirms.");
        #[cfg(feature = "ssr")]
        mail_contact_confirm_subject =
            "連絡先メールアドレスの確認",
            "Confirm your contact address";
        #[cfg(feature = "ssr")]
        mail_contact_confirm: fn(&str) -> Vec<String> =
            |link| vec!["マイページの連絡先メールアドレスをこのアドレスに変更するお申し込みがありました。以下のURLを開き、変更を確定してください（24時間有効）。".to_string(), link.to_string(), "お心当たりのない場合は、このメールを破棄してください。変更されません。".to_string()],
            |link| vec!["A change of a My Page contact address to this address was asked. Open the link to confirm it (valid 24 hours).".to_string(), link.to_string(), "If this was not you, ignore this mail: nothing changes.".to_string()];
        /// 連絡先メールアドレスの変更の取り消し (the link mailed to the address before a
        /// change).
        revert_title =
            "連絡先メールアドレスの変更の取り消し",
            "Take back the change of your contact email address";
        revert_lead =
            "連絡先メールアドレスを元のアドレスに戻し、すべての端末からログアウトします。よろしければ「変更を取り消す」を押してください。",
            "Your contact email address goes back to the previous one and every device is logged out. Press \"Take back the change\" to do so.";
        revert_restore =
            "元に戻すアドレス",
            "Address to restore";
        revert_button =
            "変更を取り消す",
            "Take back the change";
        revert_done =
            "連絡先メールアドレスを元に戻し、すべての端末からログアウトしました。お心当たりのない変更があった場合は、パスワードを再設定してください。",
            "Your contact email address is back to the previous one and every device has been logged out. If you did not make the change, reset your password.";
        revert_to_recovery =
            "パスワードを再設定する",
            "Reset your password";
        /// Mail to the address before a change of the contact address (new address, when,
        /// the link that takes it back).
        #[cfg(feature = "ssr")]
        mail_contact_changed_subject =
            "連絡先メールアドレス変更のお知らせ",
            "Your contact email address was changed";
        #[cfg(feature = "ssr")]
        mail_contact_changed: fn(&str, &str, &str) -> Vec<String> =
            |to, when, link| vec![
                format!("マイページの連絡先メールアドレスが {to} に変更されました。"),
                format!("日時: {when}"),
                "お心当たりのない場合は、7日以内に以下のURLを開き「変更を取り消す」を押してください。連絡先メールアドレスがこのアドレスに戻り、すべての端末からログアウトされます。".to_string(),
                link.to_string(),
                "変更から7日間は、パスワード再設定の認証コードなどの大切なお知らせを、このアドレスにもお送りします。".to_string(),
            ],
            |to, when, link| vec![
                format!("The contact email address of your My Page account was changed to {to}."),
                format!("When: {when}"),
                "If you did not make this change, open the link below within 7 days and press \"Take back the change\": your contact address goes back to this address and every device is logged out.".to_string(),
                link.to_string(),
                "For 7 days after the change, important notices such as password reset codes are also sent to this address.".to_string(),
            ];
        /// Mail to the address restored by the link (when).
        #[cfg(feature = "ssr")]
        mail_contact_reverted_subject =
            "連絡先メールアドレスを元に戻しました",
            "Your contact email address was restored";
        #[cfg(feature = "ssr")]
        mail_contact_reverted: fn(&str) -> Vec<String> =
            |when| vec![
                "マイページの連絡先メールアドレスをこのアドレスに戻し、すべての端末からログアウトしました。".to_string(),
                format!("日時: {when}"),
                "お心当たりのない変更があった場合は、マイページのログイン画面の「ID,またはパスワードをお忘れですか?」からパスワードを再設定してください。".to_string(),
            ],
            |when| vec![
                "The contact email address of your My Page account is this address again, and every device has been logged out.".to_string(),
                format!("When: {when}"),
                "If you did not make the change, reset your password from \"Forgot your ID or password?\" on the My Page login screen.".to_string(),
            ];
    }
}
