//! The words of the registration screens, Japanese and English side by side,
//! in the wording of the provider's printed guide (SPEC). A text with values in it is a
//! function of them, so a missing value is a compile error. Words shared by several
//! features (errors, labels) are in `crate::i18n`.

crate::texts! {
    pub struct RegistrationTexts {
        title =
            "iTSCOM IDの新規登録",
            "Register an iTSCOM ID";
        step2 =
            "STEP 2 契約者情報 認証",
            "STEP 2 Contract holder verification";
        step2_lead =
            "ご契約者さまの情報を入力して「確認」を押してください。",
            "Enter the contract holder's details and press Confirm.";
        kana =
            "ご契約者氏名(カナ)",
            "Contract holder's name (katakana)";
        kana_hint =
            "例: ヤマダ タロウ（ひらがなでも入力できます）",
            "In katakana, as on your contract (hiragana is accepted too)";
        phone =
            "登録済みの電話番号",
            "Registered phone number";
        phone_hint =
            "例: 03-1234-5678（ハイフンなしでも可）",
            "e.g. 03-1234-5678 (hyphens optional)";
        factor =
            "お支払情報等",
            "Payment or equipment detail";
        factor_hint =
            "いずれか1つを選んで入力してください。",
            "Choose one and fill it in.";
        customer_no =
            "お客さま番号",
            "Customer number";
        bank =
            "口座番号 下4桁",
            "Bank account, last 4 digits";
        card =
            "クレジットカード番号 下4桁",
            "Credit card, last 4 digits";
        equipment =
            "機器情報",
            "Equipment ID";
        factor_value =
            "選んだ項目の内容",
            "The chosen detail";
        equipment_where =
            "機器情報の確認方法",
            "Where to find the equipment ID";
        equipment_help =
            "機器情報は、セットアップボックス (STB/Hit pot) のIDです。機器の背面または底面のラベル、またはテレビ画面の「設定」→「機器情報」でご確認いただけます。",
            "The equipment ID is the ID of your set-top box (STB/Hit pot): on the label at the back or bottom of the device, or on the TV screen under Settings → Device information.";
        additional =
            "追加認証情報",
            "Additional verification";
        additional_lead =
            "ご本人さまを特定するため、もう1つの情報を入力してください。",
            "To identify you, please enter one more detail.";
        step3 =
            "STEP 3 iTSCOM IDの登録",
            "STEP 3 Register your iTSCOM ID";
        step3_lead =
            "ログインに使うiTSCOM ID（メールアドレス）とパスワードを入力してください。入力したアドレスに確認メールをお送りします。",
            "Enter the iTSCOM ID (an email address) and password you will log in with. We will send a confirmation mail to that address.";
        id_hint =
            "半角英数字と @ _ - . 、4〜100文字のメールアドレス",
            "An email address, 4–100 characters";
        sent_body =
            "入力されたiTSCOM ID（メールアドレス）に確認メールを送信しました。メールに記載のURLを24時間以内に開いて、登録を完了してください。",
            "We have sent a confirmation mail to the iTSCOM ID (email address) you entered. Open the link in it within 24 hours to finish registering.";
        confirm =
            "iTSCOM IDの登録/確認",
            "Register / confirm your iTSCOM ID";
        confirm_lead =
            "以下の内容で登録します。よろしければ「次へ」を押してください。",
            "The following will be registered. Press Next to continue.";
        contact_choose =
            "連絡先メールアドレスを選択してください。",
            "Choose the contact mail address.";
        done_body =
            "iTSCOM IDの登録が完了しました。登録したiTSCOM IDとパスワードでログインしてください。",
            "Your iTSCOM ID is registered. Log in with it and your password.";
        sent_reregistration =
            "すでにiTSCOM IDをお持ちの場合は、現在の連絡先メールアドレスにもお知らせします。その場合、新しいiTSCOM IDとパスワードが有効になるのは、現在の連絡先メールアドレスで確認されたとき、または確認用URLの画面に表示される日時以降です。",
            "If you already have an iTSCOM ID, its current contact address is told as well; the new iTSCOM ID and password then take effect when that address confirms, or from the time shown on the confirmation page.";
        held_notice: fn(&str) -> String =
            |at| format!("このご契約にはすでにiTSCOM IDがあります。安全のため、現在の連絡先メールアドレスにお知らせしました。そちらで「これは自分です」が選ばれない場合、新しいiTSCOM IDとパスワードは {at} 以降に有効になります（取り消された場合は有効になりません）。登録済みのアドレスは一部を伏せて表示しています。"),
            |at| format!("This contract already has an iTSCOM ID. For your safety its current contact address has been told. Unless \"This is me\" is chosen there, the new iTSCOM ID and password take effect from {at} (never, if the request is cancelled). Addresses on record are shown partly hidden.");
        pending_title =
            "受付完了",
            "Request received";
        pending_body: fn(&str) -> String =
            |at| format!("お申し込みを受け付けました。新しいiTSCOM IDとパスワードは {at} 以降に有効になります。現在の連絡先メールアドレスで「これは自分です」が選ばれた場合は、その時点で有効になります。取り消された場合は有効になりません。"),
            |at| format!("Your request is received. The new iTSCOM ID and password take effect from {at}, or as soon as the current contact address chooses \"This is me\". If the request is cancelled, they never take effect.");
        review_title =
            "iTSCOM IDとパスワードの再登録のお申し込み",
            "A request to register your iTSCOM ID and password anew";
        review_lead_confirm =
            "以下のお申し込みがお客さまご自身によるものであれば「これは自分です」を押してください。新しいiTSCOM IDとパスワードに、すぐに切り替えられるようになります。",
            "If you made the request below, press \"This is me\": the new iTSCOM ID and password can then take effect at once.";
        review_lead_cancel =
            "お心当たりのない場合は「心当たりがない」を押してください。このお申し込みと、ほかに手続き中のお申し込みをすべて取り消します。",
            "If you did not make it, press \"Not me\": this request and any other pending one are cancelled.";
        review_new_id =
            "新しいiTSCOM ID",
            "New iTSCOM ID";
        review_requested_at =
            "お申し込み日時",
            "Requested";
        review_takes_effect =
            "確認がない場合に有効になる日時",
            "Takes effect without confirmation";
        review_confirm_button =
            "これは自分です",
            "This is me";
        review_cancel_button =
            "心当たりがない",
            "Not me";
        review_done_confirmed =
            "確認しました。新しいiTSCOM IDのアドレスで確認用URLが開かれると、すぐに切り替わります。",
            "Thank you. The change takes effect as soon as the new address opens its confirmation link.";
        review_done_applied =
            "確認しました。新しいiTSCOM IDとパスワードに切り替わりました。",
            "Thank you. The new iTSCOM ID and password are now in effect.";
        review_done_cancelled =
            "お申し込みを取り消しました。これまでのiTSCOM IDとパスワードを引き続きご利用いただけます。第三者がお客さまの情報を知っている可能性がありますので、パスワードの変更をおすすめします。",
            "The request is cancelled. Your iTSCOM ID and password stay as they are. Someone may know your details: we recommend changing your password.";
        /// Mail: the single-use confirmation link, 24 hours (link).
        #[cfg(feature = "ssr")]
        mail_confirm_subject =
            "iTSCOM ID 新規登録",
            "iTSCOM ID registration";
        #[cfg(feature = "ssr")]
        mail_confirm: fn(&str) -> Vec<String> =
            |link| vec![
                "iTSCOM IDの登録を受け付けました。以下のURLを開いて、登録を完了してください。".into(),
                link.to_string(),
                "このURLの有効期限は24時間です。一度だけご利用いただけます。お心当たりのない場合は、このメールを破棄してください。".into(),
            ],
            |link| vec![
                "We received a request to register this address as an iTSCOM ID. Open this link to finish:".into(),
                link.to_string(),
                "The link is valid for 24 hours and works once. If this was not you, please ignore this mail.".into(),
            ];
        /// Mail: the address typed is already an iTSCOM ID (no link).
        #[cfg(feature = "ssr")]
        mail_taken: fn() -> Vec<String> =
            || vec![
                "このメールアドレスをiTSCOM IDとして登録するお手続きがありましたが、このアドレスはすでにiTSCOM IDとして登録されているため、登録できませんでした。".into(),
                "お客さまご自身のお手続きであれば、登録済みのiTSCOM IDでログインしてください。お心当たりのない場合は、このメールを破棄してください。".into(),
            ],
            || vec![
                "Someone asked to register this address as an iTSCOM ID, but it is already one, so nothing was changed.".into(),
                "If this was you, log in with your existing iTSCOM ID. If not, please ignore this mail.".into(),
            ];
        /// Mail to the previous contact address: ID and password registered anew (when).
        /// この登録に心当たりがない: the link mailed to the contact address on record when a
        /// first registration completes.
        stop_title =
            "iTSCOM IDの登録の停止",
            "Stop an iTSCOM ID registration";
        stop_lead =
            "以下のiTSCOM IDの登録にお心当たりがない場合は「この登録を停止する」を押してください。このアカウントは利用できなくなり、すべての端末からログアウトされます。",
            "If you did not register the iTSCOM ID below, press \"Stop this registration\": the account can no longer be used and every device is logged out.";
        stop_id =
            "登録されたiTSCOM ID",
            "Registered iTSCOM ID";
        stop_at =
            "登録日時",
            "Registered";
        stop_button =
            "この登録を停止する",
            "Stop this registration";
        stop_done =
            "登録を停止しました。このアカウントは利用できません。改めてご登録いただくには、お手数ですがサポートセンターへお電話ください。",
            "The registration is stopped: the account can no longer be used. To register again, please call our support centre.";
        /// Mail to the contact address on record: an account was created (the ID masked,
        /// when, the link that stops it).
        #[cfg(feature = "ssr")]
        mail_created_subject =
            "iTSCOM IDが登録されました",
            "An iTSCOM ID was registered";
        #[cfg(feature = "ssr")]
        mail_created: fn(&str, &str, &str) -> Vec<String> =
            |id, when, link| vec![
                format!("このメールアドレスが連絡先として登録されているご契約で、マイページのiTSCOM ID（{id}）が新しく登録されました。"),
                format!("日時: {when}"),
                "お心当たりのない場合は、7日以内に以下のURLを開き「この登録を停止する」を押してください。登録されたアカウントは利用できなくなります。".to_string(),
                link.to_string(),
                "お心当たりがある場合は、このメールを破棄してください。".to_string(),
            ],
            |id, when, link| vec![
                format!("A My Page iTSCOM ID ({id}) was registered for the contract that has this address as its contact address."),
                format!("When: {when}"),
                "If this was not you, open the link below within 7 days and press \"Stop this registration\": the account can then no longer be used.".to_string(),
                link.to_string(),
                "If it was you, you can ignore this mail.".to_string(),
            ];
        #[cfg(feature = "ssr")]
        mail_replaced_subject =
            "iTSCOM IDとパスワードが再登録されました",
            "Your iTSCOM ID and password were registered anew";
        #[cfg(feature = "ssr")]
        mail_replaced: fn(&str) -> Vec<String> =
            |when| vec![
                "お客さまのマイページのiTSCOM IDとパスワードが、新しく登録し直されました。これまでのiTSCOM IDとパスワードではログインできません。".into(),
                format!("日時: {when}"),
                "お心当たりのない場合は、すぐにサポートセンターまでご連絡ください。".into(),
            ],
            |when| vec![
                "The iTSCOM ID and password of your My Page account were registered anew. The previous ones no longer work.".into(),
                format!("When: {when}"),
                "If this was not you, contact our support centre at once.".into(),
            ];
        /// Added to that mail when the account had two-step verification (or passkeys).
        #[cfg(feature = "ssr")]
        mail_replaced_factors =
            "あわせて、パスキーと2段階認証の設定（認証アプリとリカバリーコード）を解除しました。必要な場合は、ログイン後に「ログイン・セキュリティ設定」から設定し直してください。",
            "Passkeys and two-step verification (the authenticator app and its recovery codes) were removed with it. Set them up again under Sign-in and security after you log in, if you wish.";
        /// Mail to the account's contact address at STEP 3 of a re-registration (new ID,
        /// when, browser, takes effect, confirm link, cancel link).
        #[cfg(feature = "ssr")]
        mail_requested_subject =
            "iTSCOM IDとパスワードの再登録のお申し込み",
            "A request to register your iTSCOM ID and password anew";
        #[cfg(feature = "ssr")]
        mail_requested: fn(&str, &str, &str, &str, &str, &str) -> Vec<String> =
            |new_id, when, browser, effect, confirm_link, cancel_link| vec![
                "お客さまのご契約で、マイページのiTSCOM IDとパスワードを新しく登録し直すお申し込みがありました。まだ何も変更されていません。".into(),
                format!("新しいiTSCOM ID: {new_id}\n日時: {when}\nブラウザ: {browser}"),
                format!("このまま何もしなければ、{effect} 以降に新しいiTSCOM IDとパスワードに切り替わり、これまでのiTSCOM IDとパスワードではログインできなくなります。"),
                format!("お客さまご自身のお申し込みであれば「これは自分です」（すぐに切り替えられます）:\n{confirm_link}"),
                format!("お心当たりのない場合は「心当たりがない」（お申し込みを取り消します）:\n{cancel_link}"),
            ],
            |new_id, when, browser, effect, confirm_link, cancel_link| vec![
                "Someone asked to register the iTSCOM ID and password of your My Page account anew. Nothing has been changed yet.".into(),
                format!("New iTSCOM ID: {new_id}\nWhen: {when}\nBrowser: {browser}"),
                format!("If nothing is done, the new iTSCOM ID and password take effect from {effect}, and the current ones stop working."),
                format!("If this was you, choose \"This is me\" (it then takes effect at once):\n{confirm_link}"),
                format!("If this was not you, choose \"Not me\" (the request is cancelled):\n{cancel_link}"),
            ];
        /// Mail: repeated failed contract verifications (when).
        #[cfg(feature = "ssr")]
        mail_failures_subject =
            "ご契約者情報の認証に繰り返し失敗しています",
            "Repeated failed contract verifications";
        #[cfg(feature = "ssr")]
        mail_failures: fn(&str) -> Vec<String> =
            |when| vec![
                "iTSCOM IDの登録画面で、お客さまのお名前と電話番号による「契約者情報 認証」が繰り返し失敗しています。".into(),
                format!("日時: {when}"),
                "お客さまご自身の操作でない場合、第三者がお客さまの情報を試している可能性があります。お心当たりのない場合は、サポートセンターまでご連絡ください。".into(),
            ],
            |when| vec![
                "The contract holder verification of the iTSCOM ID registration has failed repeatedly with your name and phone number.".into(),
                format!("When: {when}"),
                "If this was not you, someone may be trying your details. Please contact our support centre.".into(),
            ];
    }
}
