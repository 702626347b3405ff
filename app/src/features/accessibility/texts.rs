//! The words of アクセシビリティ方針, Japanese and English.

/// How many distinct screens the platform test walks (each in both languages, on a
/// desktop and a phone). The test fails when this differs from what it walked.
pub const SCREENS: usize = 31;

crate::texts! {
    pub struct AccessibilityTexts {
        policy_title =
            "方針",
            "Policy";
        policy: &'static [&'static str] =
            &[
                "イッツコム マイページは、ご高齢のお客さまや障害のあるお客さまを含む、すべてのお客さまがパソコン・スマートフォンから支障なくご利用いただけることを目指します。",
                "画面読み上げソフト、キーボードだけの操作、文字の拡大、スマートフォンのタッチ操作でご利用いただけるよう、日本産業規格 JIS X 8341-3:2016 に基づいて制作・試験します。",
            ],
            &[
                "iTSCOM My Page aims to be usable by every customer, including older customers and customers with disabilities, on a computer or a phone.",
                "It is built and tested to the Japanese Industrial Standard JIS X 8341-3:2016, so that it works with screen readers, with the keyboard alone, with enlarged text and with touch.",
            ];
        target_title =
            "目標とする適合レベルと対象範囲",
            "Target level and scope";
        standard =
            "規格",
            "Standard";
        level =
            "適合レベル",
            "Conformance level";
        level_value =
            "AA（WCAG 2.1 の A・AA 達成基準を含む）",
            "AA (including the WCAG 2.1 level A and AA success criteria)";
        degree =
            "対応度",
            "Degree";
        degree_value =
            "一部準拠（自動試験による。すべての達成基準を人が確かめる試験は、まだ行っていません）",
            "Partially conforming (by automated tests; a manual test of every success criterion has not been done yet)";
        scope =
            "対象範囲",
            "Scope";
        scope_value =
            "マイページのすべてのURL（ログイン前・ログイン後の全画面）",
            "Every My Page URL (every screen, before and after login)";
        date =
            "試験日",
            "Tested on";
        date_value =
            "2026年11月26日",
            "26 Nov 2026";
        results_title =
            "試験結果",
            "Test results";
        results_lead =
            "リリースごとに、次の自動試験を実際のブラウザ（Chromium）で行い、すべて合格したものだけを公開しています。",
            "Each release runs these automated tests in a real browser (Chromium) and is published only when all of them pass.";
        col_test =
            "試験",
            "Test";
        col_scope =
            "対象",
            "Covers";
        col_result =
            "結果",
            "Result";
        /// (test, what it covers, result)
        results: &'static [(&'static str, &'static str, &'static str)] =
            &[
                ("axe-core 4.11（WCAG 2.0/2.1 A・AA のルール）", "全画面、日本語・英語、パソコン・スマートフォン", "違反 0件"),
                ("タッチ操作の対象の大きさ（44 × 44 px 以上）", "全画面のボタン・リンク・入力欄", "不足 0件"),
                ("キーボードだけの操作", "ログイン、iTSCOM ID登録 STEP 2・3、メールアドレスの新規登録、クレジットカードの変更", "合格"),
                ("入力エラー時のフォーカス移動", "エラーのある最初の入力欄へ", "合格"),
                ("Lighthouse（モバイル設定）", "ログイン画面、ログイン後のトップページ", "アクセシビリティ 100"),
            ],
            &[
                ("axe-core 4.11 (WCAG 2.0/2.1 A and AA rules)", "Every screen, in Japanese and English, on a computer and a phone", "0 violations"),
                ("Touch target size (at least 44 × 44 px)", "Every button, link and field on every screen", "0 too small"),
                ("Keyboard only", "Login, iTSCOM ID registration STEP 2 and 3, a new mail address, the credit card change", "Passed"),
                ("Focus on a failed submit", "Moves to the first field in error", "Passed"),
                ("Lighthouse (mobile settings)", "The login screen and the top page after login", "Accessibility 100"),
            ];
        screens: fn(usize) -> String =
            |n| {
                format!("日本語と英語で巡回する画面: {n}画面（入力エラーの表示を含む）。このほか、手続きの途中の画面（メールのURLから開く画面を含む）も、それぞれの手続きの試験で同じ検査をしています。")
            },
            |n| {
                format!("Screens walked in Japanese and English: {n} (including forms showing their errors). The screens in the middle of each procedure (also those opened from a link in a mail) get the same checks in that procedure's tests.")
            };
        known_title =
            "既知の制限",
            "Known limitations";
        known: &'static [&'static str] =
            &[
                "イッツコム 通信速度測定は JavaScript が必要です。JavaScript を無効にしている場合は、その旨を表示します。",
                "ダウンロードしていただく PDF（ご請求明細、ご契約内容確認書）は、試験の対象外です。同じ内容は画面でもご確認いただけます。",
            ],
            &[
                "The iTSCOM speed test needs JavaScript. Without it, the page says so.",
                "The PDFs you download (invoices, the contract summary) are not covered by these tests. The same information is on the screens.",
            ];
        contact_title =
            "お問い合わせ",
            "Contact";
        contact =
            "ご利用にあたってお気づきの点は、お問い合わせ・サポートからお知らせください。",
            "If something is hard to use, please tell us through Support and inquiries.";
    }
}
