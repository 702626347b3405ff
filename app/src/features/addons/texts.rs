//! The words of the add-on screens and notices, Japanese and English. The security
//! service's description is the provider's printed guide's.

crate::texts! {
    pub struct AddonTexts {
        security_name =
            "マルチデバイスセキュリティ with Norton Security",
            "Multi-device security with Norton Security";
        security_lead =
            "あらゆるインターネットの脅威から、お使いのパソコン・スマートフォン・タブレットを守るオールインワン型の総合セキュリティソフトウェアです。1つの契約で3台までご利用いただけます（インターネットサービスご契約者さま対象）。",
            "All-in-one security software that protects your computers, phones and tablets from internet threats. One subscription covers up to 3 devices (for iTSCOM internet subscribers).";
        security_features_title =
            "主な機能",
            "Main features";
        security_features: &'static [&'static str] =
            &[
                "セキュリティ対策に必要な機能全般（ウイルス対策、迷惑メール・フィッシングメール対策）",
                "オンラインデータバックアップ",
                "PCチューンナップ機能",
                "WEBカメラ保護",
                "保護者機能",
                "アプリアドバイザー",
            ],
            &[
                "Everything security needs (antivirus, spam and phishing mail protection)",
                "Online data backup",
                "PC tune-up",
                "Webcam protection",
                "Parental controls",
                "App advisor",
            ];
        security_os_note =
            "※OSによって、利用可能な機能は異なります。",
            "Features differ by OS.";
        os_title =
            "対応OS: Windows / macOS / iOS / Android",
            "Supported OS: Windows / macOS / iOS / Android";
        security_not_eligible =
            "インターネットセキュリティサービスは、イッツコムのインターネットサービスをご契約のお客さまがお申し込みいただけます。現在インターネットサービスのご契約がないため、お申し込みいただけません。",
            "The internet security service is for iTSCOM internet subscribers. You have no internet service, so you cannot apply.";
        channels_lead =
            "テレビサービスに追加してご覧いただける有料チャンネルです。お申し込みの当日からご覧いただけ、初月は日割りです。解約後も月末（最低利用期間があるチャンネルはその満了月の末日）までご覧いただけます。",
            "Paid channels added to your TV service. Watch from the day you apply (the first month is prorated); after a cancel, until the end of the month (or of the minimum term).";
        channels_not_eligible =
            "オプションチャンネルは、イッツコムのテレビサービスをご契約のお客さまがお申し込みいただけます。現在テレビサービスのご契約がないため、お申し込みいただけません。",
            "Option channels are for iTSCOM TV subscribers. You have no TV service, so you cannot apply.";
        fee =
            "月額料金（税込）",
            "Monthly fee (tax incl.)";
        devices =
            "利用可能台数",
            "Devices";
        devices_n: fn(u32) -> String =
            |n| format!("{n}台まで"),
            |n| format!("Up to {n}");
        genre =
            "ジャンル",
            "Genre";
        min_term =
            "最低利用期間",
            "Minimum term";
        min_term_n: fn(u32) -> String =
            |n| format!("{n}か月"),
            |n| format!("{n} months");
        no_min_term =
            "なし",
            "None";
        apply =
            "申し込む",
            "Apply";
        subscribed =
            "ご利用中",
            "Subscribed";
        started_on =
            "ご利用開始日",
            "Started";
        ends_on: fn(&str) -> String =
            |date| format!("{date}で解約予定"),
            |date| format!("Ends on {date}");
        licence_key =
            "ライセンスキー",
            "Licence key";
        licence_help =
            "インストールの途中で入力します。他の方に知らせないでください。",
            "You enter it while installing. Keep it to yourself.";
        install_title =
            "インストール方法",
            "How to install";
        /// Per OS: (name, steps).
        install: &'static [(&'static str, &'static [&'static str])] =
            &[
                ("Windows", &["パソコンで Norton のダウンロードページを開き、「ダウンロード」を押します。", "ダウンロードしたファイルを開き、画面の案内に従ってインストールします。", "ライセンスキーの入力を求められたら、上のライセンスキーを入力します。"]),
                ("macOS", &["Mac で Norton のダウンロードページを開き、macOS 版をダウンロードします。", "ダウンロードしたファイルを開き、アプリケーションフォルダにインストールします。", "初回起動時にライセンスキーを入力し、システム設定でアクセスを許可します。"]),
                ("iOS", &["App Store で「Norton 360」を検索し、インストールします。", "アプリを開き、「ライセンスキーをお持ちの方」からライセンスキーを入力します。"]),
                ("Android", &["Google Play で「Norton 360」を検索し、インストールします。", "アプリを開き、「ライセンスキーをお持ちの方」からライセンスキーを入力します。"]),
            ],
            &[
                ("Windows", &["Open Norton's download page on the PC and press Download.", "Open the downloaded file and follow the installer.", "When asked for a licence key, enter the key above."]),
                ("macOS", &["Open Norton's download page on the Mac and download the macOS version.", "Open the file and install it into Applications.", "Enter the licence key at first start and allow access in System Settings."]),
                ("iOS", &["Find \"Norton 360\" in the App Store and install it.", "Open it and enter the licence key under \"I have a licence key\"."]),
                ("Android", &["Find \"Norton 360\" in Google Play and install it.", "Open it and enter the licence key under \"I have a licence key\"."]),
            ];
        cancel =
            "解約する",
            "Cancel";
        /// Before a cancel: its last day, and what it costs (None: nothing more).
        cancel_confirm: fn(&str, Option<&str>) -> String =
            |end, cost| match cost {
                Some(cost) => format!("最低利用期間が{end}までのため、解約しても{end}までの料金（今月分に加え {cost}）がかかります。解約しますか？"),
                None => format!("{end}までご利用いただけ、その後は料金がかかりません。解約しますか？"),
            },
            |end, cost| match cost {
                Some(cost) => format!("The minimum term runs to {end}: cancelling still costs the fees to then (this month and {cost}). Cancel?"),
                None => format!("You can use it until {end}; nothing is charged after. Cancel?"),
            };
        cancel_button =
            "解約する",
            "Cancel the subscription";
        applied: fn(&str) -> String =
            |name| format!("{name} のお申し込みを受け付けました。本日からご利用いただけます。"),
            |name| format!("Your application for {name} is received. You can use it from today.");
        cancelled =
            "解約を受け付けました。解約日までご利用いただけます。",
            "Your cancellation is received. You can use it until the end date.";
        err_cancel =
            "この契約はすでに解約済みか、お客さまの契約ではありません。",
            "This subscription is cancelled already, or not yours.";
        err_already =
            "このサービスはすでにご利用中です（解約予定のものは解約日の翌日からお申し込みいただけます）。",
            "You have this service already (one being cancelled can be applied for again after its end date).";
        err_not_eligible =
            "このサービスはお申し込みいただけません。",
            "You cannot apply for this service.";
        apply_title: fn(&str) -> String =
            |name| format!("{name} のお申し込み"),
            |name| format!("Apply for {name}");
        terms_title =
            "利用規約",
            "Terms of use";
        terms: &'static [&'static str] =
            &[
                "第1条（サービス）本サービスは、当社がインターネットサービス又はテレビサービスのご契約者に提供する有料のオプションサービスです。",
                "第2条（料金）月額料金は税込で、お申し込み日から日割りで計算し、毎月のご利用料金と合わせてお支払いいただきます。",
                "第3条（最低利用期間）最低利用期間のあるサービスは、その期間の満了月の末日まで料金がかかります。",
                "第4条（解約）解約はマイページから行えます。解約日は解約した月の末日（最低利用期間内はその満了月の末日）です。",
                "第5条（ライセンス）セキュリティサービスのライセンスキーは、ご契約者とそのご家族の機器（3台まで）でのみ利用できます。",
            ],
            &[
                "1 (Service) A paid option for iTSCOM internet or TV subscribers.",
                "2 (Fees) Monthly fees include tax, are prorated from the day you apply and are paid with your monthly bill.",
                "3 (Minimum term) Services with a minimum term are charged until the end of its last month.",
                "4 (Cancellation) Cancel in My Page; it takes effect at the end of the month (inside a minimum term, at its end).",
                "5 (Licence) The security licence key may be used on the subscriber's and family's devices only (up to 3).",
            ];
        agree =
            "利用規約に同意する",
            "I agree to the terms of use";
        agree_required =
            "お申し込みには利用規約への同意が必要です。",
            "You must agree to the terms to apply.";
        summary_title =
            "お申し込み内容の確認",
            "Check your application";
        starts_on =
            "ご利用開始日",
            "Starts";
        first_month =
            "初月のご利用料金（日割り）",
            "First month (prorated)";
        earliest_end =
            "最低利用期間の満了日",
            "End of the minimum term";
        password_lead =
            "お申し込みの前に、パスワードを入力してください。",
            "Enter your password to apply.";
        state_cancelled =
            "解約予定",
            "Ending";
        #[cfg(feature = "ssr")]
        mail_applied_subject =
            "オプションサービスのお申し込み",
            "Your option service application";
        #[cfg(feature = "ssr")]
        mail_applied: fn(&str, &str, &str) -> Vec<String> =
            |name, fee, date| vec![
                format!("{name} のお申し込みを受け付けました。"),
                format!("月額料金: {fee}（初月は日割り）\nご利用開始日: {date}"),
                "お心当たりのない場合は、イッツコム カスタマーセンター（0120-109199　9:30～18:00）にご連絡ください。".to_string(),
            ],
            |name, fee, date| vec![
                format!("Your application for {name} is received."),
                format!("Monthly fee: {fee} (the first month prorated)\nStarts: {date}"),
                "If this was not you, call the iTSCOM customer center (0120-109199, 9:30–18:00).".to_string(),
            ];
        #[cfg(feature = "ssr")]
        mail_cancelled_subject =
            "オプションサービスの解約",
            "Your option service cancellation";
        #[cfg(feature = "ssr")]
        mail_cancelled: fn(&str, &str) -> Vec<String> =
            |name, date| vec![
                format!("{name} の解約を受け付けました。"),
                format!("解約日: {date}（この日までご利用いただけます）"),
                "お心当たりのない場合は、イッツコム カスタマーセンター（0120-109199　9:30～18:00）にご連絡ください。".to_string(),
            ],
            |name, date| vec![
                format!("Your cancellation of {name} is received."),
                format!("Ends on: {date} (you can use it until then)"),
                "If this was not you, call the iTSCOM customer center (0120-109199, 9:30–18:00).".to_string(),
            ];
    }
}
