//! The words of アクセシビリティ方針, Japanese and English.

use crate::i18n::Locale;

/// How many distinct screens the platform test walks (each in both languages, on a
/// desktop and a phone). The test fails when this differs from what it walked.
pub const SCREENS: usize = 28;

pub struct AccessibilityTexts {
    pub title: &'static str,
    pub policy_title: &'static str,
    pub policy: &'static [&'static str],
    pub target_title: &'static str,
    pub standard: &'static str,
    pub level: &'static str,
    pub level_value: &'static str,
    pub degree: &'static str,
    pub degree_value: &'static str,
    pub scope: &'static str,
    pub scope_value: &'static str,
    pub date: &'static str,
    pub date_value: &'static str,
    pub results_title: &'static str,
    pub results_lead: &'static str,
    pub col_test: &'static str,
    pub col_scope: &'static str,
    pub col_result: &'static str,
    /// (test, what it covers, result)
    pub results: &'static [(&'static str, &'static str, &'static str)],
    pub screens: fn(usize) -> String,
    pub known_title: &'static str,
    pub known: &'static [&'static str],
    pub contact_title: &'static str,
    pub contact: &'static str,
}

pub const JA: AccessibilityTexts = AccessibilityTexts {
    title: "アクセシビリティ方針",
    policy_title: "方針",
    policy: &[
        "イッツコム マイページは、ご高齢のお客さまや障害のあるお客さまを含む、すべてのお客さまがパソコン・スマートフォンから支障なくご利用いただけることを目指します。",
        "画面読み上げソフト、キーボードだけの操作、文字の拡大、スマートフォンのタッチ操作でご利用いただけるよう、日本産業規格 JIS X 8341-3:2016 に基づいて制作・試験します。",
    ],
    target_title: "目標とする適合レベルと対象範囲",
    standard: "規格",
    level: "適合レベル",
    level_value: "AA（WCAG 2.1 の A・AA 達成基準を含む）",
    degree: "対応度",
    degree_value: "一部準拠（自動試験による。すべての達成基準を人が確かめる試験は、まだ行っていません）",
    scope: "対象範囲",
    scope_value: "マイページのすべてのURL（ログイン前・ログイン後の全画面）",
    date: "試験日",
    date_value: "2026年11月26日",
    results_title: "試験結果",
    results_lead: "リリースごとに、次の自動試験を実際のブラウザ（Chromium）で行い、すべて合格したものだけを公開しています。",
    col_test: "試験",
    col_scope: "対象",
    col_result: "結果",
    results: &[
        ("axe-core 4.11（WCAG 2.0/2.1 A・AA のルール）", "全画面、日本語・英語、パソコン・スマートフォン", "違反 0件"),
        ("タッチ操作の対象の大きさ（44 × 44 px 以上）", "全画面のボタン・リンク・入力欄", "不足 0件"),
        ("キーボードだけの操作", "ログイン、iTSCOM ID登録 STEP 2・3、メールアドレスの新規登録、クレジットカードの変更", "合格"),
        ("入力エラー時のフォーカス移動", "エラーのある最初の入力欄へ", "合格"),
        ("Lighthouse（モバイル設定）", "ログイン画面、ログイン後のトップページ", "アクセシビリティ 100"),
    ],
    screens: |n| {
        format!("日本語と英語で巡回する画面: {n}画面（入力エラーの表示を含む）。このほか、手続きの途中の画面（メールのURLから開く画面を含む）も、それぞれの手続きの試験で同じ検査をしています。")
    },
    known_title: "既知の制限",
    known: &[
        "イッツコム 通信速度測定は JavaScript が必要です。JavaScript を無効にしている場合は、その旨を表示します。",
        "ダウンロードしていただく PDF（ご請求明細、ご契約内容確認書）は、試験の対象外です。同じ内容は画面でもご確認いただけます。",
    ],
    contact_title: "お問い合わせ",
    contact: "ご利用にあたってお気づきの点は、お問い合わせ・サポートからお知らせください。",
};

pub const EN: AccessibilityTexts = AccessibilityTexts {
    title: "Accessibility policy",
    policy_title: "Policy",
    policy: &[
        "iTSCOM My Page aims to be usable by every customer, including older customers and customers with disabilities, on a computer or a phone.",
        "It is built and tested to the Japanese Industrial Standard JIS X 8341-3:2016, so that it works with screen readers, with the keyboard alone, with enlarged text and with touch.",
    ],
    target_title: "Target level and scope",
    standard: "Standard",
    level: "Conformance level",
    level_value: "AA (including the WCAG 2.1 level A and AA success criteria)",
    degree: "Degree",
    degree_value: "Partially conforming (by automated tests; a manual test of every success criterion has not been done yet)",
    scope: "Scope",
    scope_value: "Every My Page URL (every screen, before and after login)",
    date: "Tested on",
    date_value: "26 Nov 2026",
    results_title: "Test results",
    results_lead: "Each release runs these automated tests in a real browser (Chromium) and is published only when all of them pass.",
    col_test: "Test",
    col_scope: "Covers",
    col_result: "Result",
    results: &[
        ("axe-core 4.11 (WCAG 2.0/2.1 A and AA rules)", "Every screen, in Japanese and English, on a computer and a phone", "0 violations"),
        ("Touch target size (at least 44 × 44 px)", "Every button, link and field on every screen", "0 too small"),
        ("Keyboard only", "Login, iTSCOM ID registration STEP 2 and 3, a new mail address, the credit card change", "Passed"),
        ("Focus on a failed submit", "Moves to the first field in error", "Passed"),
        ("Lighthouse (mobile settings)", "The login screen and the top page after login", "Accessibility 100"),
    ],
    screens: |n| {
        format!("Screens walked in Japanese and English: {n} (including forms showing their errors). The screens in the middle of each procedure (also those opened from a link in a mail) get the same checks in that procedure's tests.")
    },
    known_title: "Known limitations",
    known: &[
        "The iTSCOM speed test needs JavaScript. Without it, the page says so.",
        "The PDFs you download (invoices, the contract summary) are not covered by these tests. The same information is on the screens.",
    ],
    contact_title: "Contact",
    contact: "If something is hard to use, please tell us through Support and inquiries.",
};

/// The texts of `locale`.
pub fn of(locale: Locale) -> &'static AccessibilityTexts {
    match locale {
        Locale::Ja => &JA,
        Locale::En => &EN,
    }
}

/// The texts of the page being rendered.
pub fn t() -> &'static AccessibilityTexts {
    of(crate::i18n::use_locale())
}
