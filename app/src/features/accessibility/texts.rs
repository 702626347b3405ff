//! The words of アクセシビリティ方針, Japanese and English.

/// How many distinct screens the platform test walks (each in both languages, on a
/// desktop and a phone). The test fails when this differs from what it walked.
pub const SCREENS: usize = 32;

crate::texts! {
    pub struct AccessibilityTexts in "texts.toml" {
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
    }
}
