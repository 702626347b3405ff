//! The texts of the shell and the words several features share (errors, labels),
//! each in Japanese and English.

crate::texts! {
    /// Every text on every screen. Grouped by screen; a new text is one row, in both languages.
    /// A text with values in it is a function of them (`|n| format!(…)`), so a missing
    /// or misspelt value is a compile error, not a `{n}` shown to the customer. The
    /// Japanese is the wording of the provider's printed guide (SPEC §2).
    pub struct Texts {
        /// The locale this table is for.
        locale: super::Locale =
            super::Locale::Ja,
            super::Locale::En;
        // Shell and navigation
        brand_suffix =
            "マイページ",
            "My Page";
        skip_to_content =
            "本文へスキップ",
            "Skip to content";
        main_menu =
            "メインメニュー",
            "Main menu";
        open_menu =
            "メニュー",
            "Menu";
        not_yet_available =
            "準備中",
            "Coming soon";
        update_available =
            "新しいバージョンがあります。",
            "A new version is available.";
        update_reload =
            "再読み込み",
            "Reload";
        language =
            "言語",
            "Language";
        switch_language =
            "English",
            "日本語";
        font_size =
            "文字サイズ",
            "Text size";
        font_size_normal =
            "標準",
            "Normal";
        font_size_large =
            "大きく",
            "Large";
        top_page =
            "トップページ",
            "Top page";
        login =
            "ログイン",
            "Log in";
        footer_note =
            "このサイトの内容はすべて架空のデモデータです。",
            "Everything on this site is fictitious demo data.";
        accessibility_policy =
            "アクセシビリティ方針",
            "Accessibility policy";
        /// `<meta name="description">` of every page.
        meta_description =
            "イッツコムをご契約のお客さまのマイページ。ご請求明細、お支払い方法、ご契約内容の確認・変更、メールアドレスの登録、通信速度測定ができます。",
            "My Page for iTSCOM customers: invoices, payment method, your contract and its changes, mail addresses and a speed test.";
        /// The footer of every mail (the features' tables hold the mails' own words).
        #[cfg(feature = "ssr")]
        mail_footer =
            "このメールは送信専用です。お心当たりのない場合は、お手数ですがサポートセンターまでご連絡ください。",
            "This address cannot receive replies. If this was not you, please contact our support centre.";
        page_not_found =
            "ページが見つかりません",
            "Page not found";
        page_not_found_body =
            "お探しのページは移動または削除された可能性があります。",
            "The page you are looking for may have been moved or removed.";
        back_to_top =
            "トップページへ戻る",
            "Back to the top page";
        loading =
            "読み込み中…",
            "Loading…";
        error_generic =
            "ただいま表示できません。しばらくしてから再度お試しください。",
            "This cannot be shown right now. Please try again later.";

        // Menus (SPEC §2)
        menu_billing =
            "料金",
            "Billing";
        menu_billing_invoices =
            "ご請求明細の確認",
            "Invoice statements";
        menu_billing_payment =
            "お支払い方法の確認・変更",
            "Payment method";
        menu_contract =
            "ご契約・手続き",
            "Contract";
        menu_contract_info =
            "ご契約情報確認・変更",
            "Contract information";
        menu_contract_history =
            "サービス加入・変更履歴",
            "Subscription history";
        menu_contract_document =
            "契約内容確認書のダウンロード",
            "Contract document (PDF)";
        menu_contract_referral =
            "お友だち紹介",
            "Refer a friend";
        menu_contract_option_channels =
            "オプションチャンネル",
            "Option channels";
        menu_settings =
            "各種設定",
            "Settings";
        menu_settings_customer =
            "お客さま情報確認・変更",
            "Customer information";
        menu_settings_mail =
            "メールアドレスの設定・変更",
            "Mail addresses";
        menu_settings_security =
            "インターネットセキュリティサービスの設定・変更",
            "Internet security service";
        menu_settings_login_security =
            "ログイン・セキュリティ設定",
            "Sign-in and security";
        menu_help =
            "ヘルプ",
            "Help";
        menu_help_support =
            "お問い合わせ・サポート",
            "Contact and support";
        menu_help_speedtest =
            "イッツコム 通信速度測定",
            "Speed test";

        // Landing (before login)
        dev_preview_title =
            "開発用プレビュー",
            "Development preview";
        dev_preview_body =
            "ログイン機能の完成までの間、デモのお客さまのトップページを表示できます（開発環境のみ）。",
            "Until login is built, the top page of a demo customer can be viewed here (development only).";

        // Top page summary
        honorific =
            "さま",
            "";
        customer_number =
            "お客さま番号",
            "Customer number";
        this_month_bill =
            "今月のご請求額",
            "This month's bill";
        billing_month =
            "ご請求月",
            "Billing month";
        no_invoice_yet =
            "ご請求はまだありません。",
            "No invoices yet.";
        services_under_contract =
            "ご契約中のサービス",
            "Services under contract";
        service_internet =
            "インターネット",
            "Internet";
        service_tv =
            "テレビ",
            "TV";
        service_phone =
            "電話",
            "Phone";
        monthly_fee =
            "月額料金",
            "Monthly fee";
        per_month_tax_included =
            "／月（税込）",
            " / month (tax incl.)";
        notices =
            "お知らせ",
            "Notices";
        no_notices =
            "新しいお知らせはありません。",
            "No new notices.";
        change_customer_info =
            "お客さま情報を変更",
            "Change customer information";
        customer_not_found =
            "お客さま情報が見つかりません。",
            "Customer not found.";
        itscom_id_label =
            "iTSCOM ID",
            "iTSCOM ID";
        password_label =
            "パスワード",
            "Password";
        show_password =
            "パスワードを表示",
            "Show password";
        reset =
            "リセット",
            "Reset";
        register_link =
            "iTSCOM IDの新規登録",
            "Register an iTSCOM ID";
        forgot_link =
            "ID,またはパスワードをお忘れですか?",
            "Forgot your ID or password?";
        logout =
            "ログアウト",
            "Log out";
        submitting =
            "送信中…",
            "Sending…";
        err_required =
            "入力してください。",
            "Please fill this in.";
        // Server only (the pages render on the server; no island shows them, so the
        // WASM does not carry them).
        #[cfg(feature = "ssr")]
        passkey_confirm =
            "パスキーで確認",
            "Confirm with a passkey";
        #[cfg(feature = "ssr")]
        passkey_confirmed =
            "パスキーで確認しました。パスワードの入力は不要です。",
            "Confirmed with your passkey: no password needed.";
        #[cfg(feature = "ssr")]
        passkey_confirm_failed =
            "パスキーで確認できませんでした。パスワードを入力してください。",
            "The passkey did not confirm it. Enter your password.";
        #[cfg(feature = "ssr")]
        err_code_format =
            "認証アプリの6桁の数字、または10文字のリカバリーコードを入力してください。",
            "Enter the 6 digits of your app or a 10-character recovery code.";
        #[cfg(feature = "ssr")]
        err_code_wrong =
            "確認コードが正しくありません。認証アプリに表示されている最新のコードを入力してください。",
            "The code is not correct. Enter the newest code your app shows.";
        err_too_short: fn(usize) -> String =
            |n| format!("{n}文字以上で入力してください。"),
            |n| format!("Enter at least {n} characters.");
        err_too_long: fn(usize) -> String =
            |n| format!("{n}文字以内で入力してください。"),
            |n| format!("Enter at most {n} characters.");
        err_invalid_characters =
            "使用できない文字が含まれています。",
            "This contains characters that cannot be used.";
        err_invalid_format =
            "形式が正しくありません。",
            "This is not in the right format.";
        err_id_characters =
            "iTSCOM IDは半角英数字と @ _ - . で入力してください。",
            "Use half-width letters, digits and @ _ - . only.";
        err_id_format =
            "メールアドレスの形式で入力してください。",
            "Enter an email address.";
        err_password_characters =
            "パスワードは半角英数字と % + / : = @ ^ _ - で入力してください。",
            "Use half-width letters, digits and % + / : = @ ^ _ - only.";
        err_common =
            "よく使われているパスワードのため使用できません。",
            "This password is too common. Choose another.";
        err_same_as_id =
            "iTSCOM IDと同じパスワードは使用できません。",
            "The password cannot be the same as the iTSCOM ID.";
        err_mismatch =
            "パスワードが一致しません。",
            "The passwords do not match.";
        err_kana_characters =
            "全角カタカナで入力してください。",
            "Enter the name in katakana.";
        err_phone_format =
            "電話番号は市外局番から入力してください（例: 03-1234-5678）。",
            "Enter the full number with area code (e.g. 03-1234-5678).";
        err_digits4 =
            "数字4桁で入力してください。",
            "Enter 4 digits.";
        err_customer_no =
            "お客さま番号は9桁の数字です。",
            "The customer number has 9 digits.";
        err_choose_factor =
            "お支払情報等を1つ選んで入力してください。",
            "Choose one of the details and fill it in.";
        err_flow_expired =
            "お手続きの有効期限が切れたか、手順が正しくありません。最初からやり直してください。",
            "This procedure has expired or was not followed in order. Please start again.";
        err_link_invalid =
            "このURLは無効です。有効期限が過ぎたか、すでに使用されています。",
            "This link is not valid: it has expired or was already used.";
        err_throttled =
            "試行回数が上限を超えました。しばらく時間をおいてから、再度お試しください。",
            "Too many attempts. Please wait a while and try again.";
        err_verification =
            "入力された情報ではご契約者さまを確認できませんでした。入力内容をご確認ください。",
            "We could not confirm the contract holder with these details. Please check what you entered.";
        confirm =
            "確認",
            "Confirm";
        /// Above a password asked again because the login is older than 5 minutes.
        password_again_lead =
            "前回のログインから5分以上経過しているため、現在のパスワードを入力してください。",
            "Your login is more than 5 minutes old: enter your current password.";
        print =
            "印刷する",
            "Print";
        next =
            "次へ",
            "Next";
        reg_password_hint =
            "半角英数字と記号 % + / : = @ ^ _ - 、6〜32文字",
            "6–32 half-width letters, digits and % + / : = @ ^ _ -";
        password_again =
            "パスワード再入力",
            "Password (again)";
        strength =
            "パスワードの強さ",
            "Password strength";
        strength_weak =
            "弱い",
            "Weak";
        strength_fair =
            "普通",
            "Fair";
        strength_strong =
            "強い",
            "Strong";
        reg_sent =
            "メール送信完了",
            "Mail sent";
        reg_sent_note =
            "メールが届かない場合は、迷惑メールフォルダをご確認のうえ、最初からやり直してください。",
            "If no mail arrives, check your spam folder, then start again.";
        reg_name =
            "ご契約者氏名",
            "Contract holder";
        reg_contact_label =
            "連絡先メールアドレス",
            "Contact email address";
        reg_done =
            "完了",
            "Done";
        err_locked =
            "誤ったパスワードが繰り返し入力されたため、ログインを停止しています。パスワードを再設定してください。",
            "Login is suspended after repeated wrong passwords. Please reset your password.";
        err_account_unavailable =
            "このアカウントでは現在このお手続きをご利用いただけません。サポートセンターへお問い合わせください。",
            "This account cannot use this procedure at the moment. Please contact our support centre.";
        err_service_unavailable =
            "現在、このお手続きはご利用いただけません。しばらく時間をおいてから再度お試しいただくか、サポートセンターへお問い合わせください。",
            "This procedure is not available at the moment. Please try again later or contact our support centre.";
        /// The database cannot be reached for now (a 503 page or a form's message).
        err_busy =
            "ただいま混み合っているか、メンテナンス中です。しばらく時間をおいてから、再度お試しください。",
            "The service is busy or under maintenance. Please wait a moment and try again.";
        err_support_needed =
            "このお手続きはオンラインでは続けられません。お手数ですが、サポートセンターへお電話ください。",
            "This procedure cannot continue online. Please call our support centre.";
        support_centre =
            "イッツコム カスタマーセンター",
            "iTSCOM customer center";
        support_hours: fn(&str) -> String =
            |h| format!("（受付時間 {h}）"),
            |h| format!("(open {})", h.replace('～', "–"));
        err_payment_declined =
            "カード会社でお取り扱いできないカードでした。カード番号・有効期限をご確認いただくか、別のカードをお試しください。",
            "The card was declined by the card company. Check the number and expiry, or try another card.";
        err_pending =
            "手続き中のお申し込みがあります。完了または取り消しの後にお申し込みください。",
            "A request is already under way. Apply again once it is done or cancelled.";
        err_phone_taken =
            "この電話番号は登録済みです。",
            "This phone number is registered already.";
        err_phone_max =
            "登録できる電話番号は3件までです。先に1件削除してください。",
            "Up to 3 phone numbers can be registered: remove one first.";
        err_phone_last =
            "電話番号は1件以上必要です。別の番号を追加してから削除してください。",
            "At least one phone number is needed: add another before removing this one.";
        err_contact_unchanged =
            "現在の連絡先メールアドレスと同じです。",
            "This is your contact address already.";
        to_login =
            "ログイン画面へ",
            "Go to login";
        start_over =
            "最初からやり直す",
            "Start again";
        rec_code_wrong =
            "認証コードが正しくないか、有効期限が切れています。",
            "The code is wrong or has expired.";
        rec_answer_wrong =
            "秘密の質問または答えが一致しません。",
            "The secret question or the answer does not match.";
        rec_q_mother_maiden_name =
            "母親の旧姓は？",
            "Your mother's maiden name?";
        rec_q_first_pet =
            "初めて飼ったペットの名前は？",
            "The name of your first pet?";
        rec_q_elementary_school =
            "卒業した小学校の名前は？",
            "The elementary school you went to?";
        rec_q_childhood_nickname =
            "子どもの頃のあだ名は？",
            "Your childhood nickname?";
        rec_q_favourite_food =
            "好きな食べ物は？",
            "Your favourite food?";
        rec_q_birth_town =
            "生まれた町の名前は？",
            "The town you were born in?";
        current_password =
            "現在のパスワード",
            "Current password";
        register =
            "登録",
            "Register";
        back =
            "戻る",
            "Back";
        to_top =
            "トップページへ",
            "To the top page";
        err_unchanged =
            "現在のiTSCOM IDと同じです。",
            "This is your current iTSCOM ID.";
        err_taken =
            "このiTSCOM IDは使用できません。別のメールアドレスでお手続きください。",
            "This iTSCOM ID cannot be used. Please use another address.";
        err_current_password =
            "パスワードが正しくありません。",
            "The password is not correct.";
        mb_limit_reached =
            "登録できるメールアドレスの上限に達しています。新しく登録するには、お使いでないメールアドレスの削除をサポートセンターにお申し付けください。",
            "You have registered as many email addresses as your contract allows. To add one, ask our support centre to remove one you no longer use.";
        err_local_edge =
            "「-」「_」は先頭と末尾には使えません。",
            "- and _ cannot be first or last.";
        err_local_characters =
            "半角英数字と「-」「_」で入力してください。",
            "Use letters, digits, - and _ only.";
        err_local_exhausted =
            "このメールアドレスは、すべてのサブドメインで登録済みです。別のメールアドレスを入力してください。",
            "This address is taken under every sub-domain. Please enter another.";
        err_local_reserved =
            "このメールアドレスは当社の管理用のため登録できません。別のメールアドレスを入力してください。",
            "This name is kept for the provider's own use. Please choose another.";
        err_sub_taken =
            "選択したメールアドレスは、たった今ほかのお客さまが登録しました。新しい候補から選んでください。",
            "Someone registered the address you chose a moment ago. Please choose from the new candidates.";
        err_sub_exhausted =
            "他に表示できるサブドメイン候補はありません。",
            "There are no other sub-domain candidates.";
        err_sub_choose =
            "表示されている候補から選んでください。",
            "Choose one of the candidates shown.";
        err_choose =
            "選択してください。",
            "Please choose one.";
        yen_prefix =
            "",
            "¥";
        yen_suffix =
            "円",
            "";
    }
}
