//! The words of お問い合わせ・サポート, Japanese and English. The support centre's
//! names are the provider's printed guide's.

use crate::domain::inquiry::InquiryCategory;
use crate::i18n::Locale;

pub struct HelpTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub internet_center: &'static str,
    pub internet_center_ip: &'static str,
    pub internet_center_notes: &'static [&'static str],
    pub web_always: &'static str,
    pub general_line: &'static str,
    pub hours: fn(&str) -> String,
    pub hours_link: &'static str,
    pub mail: &'static str,
    pub faq_speed: &'static str,
    pub speedtest_link: &'static str,
    pub form_title: &'static str,
    pub form_lead: &'static str,
    pub category: &'static str,
    pub choose: &'static str,
    pub category_name: fn(InquiryCategory) -> &'static str,
    pub message: &'static str,
    pub message_hint: &'static str,
    pub attach: &'static str,
    pub attach_none: &'static str,
    pub attach_none_yet: &'static str,
    pub submit: &'static str,
    pub limit_reached: &'static str,
    pub sent: fn(&str) -> String,
    pub list_title: &'static str,
    pub list_none: &'static str,
    pub reference_no: &'static str,
    pub received_at: &'static str,
    pub state_received: &'static str,
    pub state_answered: &'static str,
    pub attached_result: fn(&str, &str, &str) -> String,
    /// A result as the form offers it: when, and its figures.
    pub result_option: fn(&str, &str, &str) -> String,
    pub new_window: &'static str,
    #[cfg(feature = "ssr")]
    pub mail_subject: &'static str,
    #[cfg(feature = "ssr")]
    /// (reference, category, message, attached result, general line, its hours).
    pub mail_body: fn(&str, &str, &str, &str, &str, &str) -> Vec<String>,
}

pub const JA: HelpTexts = HelpTexts {
    title: "お問い合わせ・サポート",
    lead: "ご不明な点やトラブルは、お電話またはこのページのお問い合わせフォームからご連絡ください。",
    internet_center: "インターネット・サポートセンター",
    internet_center_ip: "国際電話・IP電話などをご利用の場合は",
    internet_center_notes: &[
        "※電話番号をお確かめの上、おかけ間違いのないようお願い申し上げます。",
        "※インターネット接続に直接関係のないソフトおよびパソコン本体やOSに関するご質問にはお答えできませんのでご了承ください。",
    ],
    web_always: "WEBで24時間受付中（このページのお問い合わせフォーム）",
    general_line: "イッツコム カスタマーセンター（総合窓口）",
    hours: |h| format!("受付時間 {h}"),
    hours_link: "受付時間は当社ホームページにてご確認ください",
    mail: "メールでのお問い合わせ",
    faq_speed: "通信速度が遅いと感じたら、まず通信速度測定をお試しください。結果をお問い合わせに添えると、ご案内がスムーズです。",
    speedtest_link: "イッツコム 通信速度測定へ",
    form_title: "お問い合わせフォーム",
    form_lead: "内容を確認のうえ、ご登録の連絡先メールアドレスまたはお電話で回答いたします。受付番号をお控えください。",
    category: "お問い合わせの種類",
    choose: "選択してください",
    category_name: |c| match c {
        InquiryCategory::Internet => "インターネット",
        InquiryCategory::Tv => "テレビ",
        InquiryCategory::Phone => "電話",
        InquiryCategory::Billing => "料金・お支払い",
        InquiryCategory::MyPage => "マイページ",
        InquiryCategory::Other => "その他",
    },
    message: "お問い合わせ内容",
    message_hint: "2,000文字以内でご入力ください。",
    attach: "通信速度測定の結果を添付する",
    attach_none: "添付しない",
    attach_none_yet: "添付できる測定結果はまだありません。",
    submit: "送信する",
    limit_reached: "お問い合わせは1時間に5件までです。しばらくしてから送信してください。お急ぎの場合はお電話でご連絡ください。",
    sent: |r| format!("お問い合わせを受け付けました。受付番号は {r} です。確認のメールをお送りしました。"),
    list_title: "お問い合わせ履歴",
    list_none: "お問い合わせはまだありません。",
    reference_no: "受付番号",
    received_at: "受付日時",
    state_received: "受付済み",
    state_answered: "回答済み",
    attached_result: |when, down, up| format!("添付した測定結果：{when}　下り {down} Mbps／上り {up} Mbps"),
    result_option: |when, down, up| format!("{when}　下り {down} Mbps／上り {up} Mbps"),
    new_window: "（新しいウィンドウで開きます）",
    #[cfg(feature = "ssr")]
    mail_subject: "お問い合わせ受付のお知らせ",
    #[cfg(feature = "ssr")]
    mail_body: |reference, category, message, attached, phone, hours| {
        let mut v = vec![
            "マイページからのお問い合わせを受け付けました。内容を確認のうえ、ご回答いたします。".to_string(),
            format!("受付番号: {reference}\nお問い合わせの種類: {category}"),
            format!("お問い合わせ内容:\n{message}"),
        ];
        if !attached.is_empty() {
            v.push(attached.to_string());
        }
        v.push(format!("お問い合わせの際は受付番号をお伝えください。お心当たりのない場合は、イッツコム カスタマーセンター（{phone}　{hours}）にご連絡ください。"));
        v
    },
};

pub const EN: HelpTexts = HelpTexts {
    title: "Contact and support",
    lead: "For questions or trouble, call us or use the inquiry form on this page.",
    internet_center: "Internet support center",
    internet_center_ip: "From international or IP phones",
    internet_center_notes: &[
        "Please check the number before you call.",
        "We cannot answer questions about software, computers or operating systems not directly related to the internet connection.",
    ],
    web_always: "On the web 24 hours a day (the inquiry form on this page)",
    general_line: "iTSCOM customer center (general)",
    hours: |h| format!("Open {}", h.replace('～', "–")),
    hours_link: "See our website for the opening hours",
    mail: "By mail",
    faq_speed: "If your connection feels slow, run the speed test first. Attaching its result to your inquiry helps us help you.",
    speedtest_link: "Go to the iTSCOM speed test",
    form_title: "Inquiry form",
    form_lead: "We answer by mail to your contact address or by phone. Keep the reference number.",
    category: "Subject",
    choose: "Please choose",
    category_name: |c| match c {
        InquiryCategory::Internet => "Internet",
        InquiryCategory::Tv => "TV",
        InquiryCategory::Phone => "Phone",
        InquiryCategory::Billing => "Fees and payment",
        InquiryCategory::MyPage => "My Page",
        InquiryCategory::Other => "Other",
    },
    message: "Your inquiry",
    message_hint: "Up to 2,000 characters.",
    attach: "Attach a speed test result",
    attach_none: "None",
    attach_none_yet: "You have no speed test results to attach yet.",
    submit: "Send",
    limit_reached: "You can send up to 5 inquiries an hour. Please send it later, or call us if it is urgent.",
    sent: |r| format!("Your inquiry is received. Its reference number is {r}. We sent you a confirmation mail."),
    list_title: "Your inquiries",
    list_none: "No inquiries yet.",
    reference_no: "Reference number",
    received_at: "Received",
    state_received: "Received",
    state_answered: "Answered",
    attached_result: |when, down, up| format!("Attached speed test: {when}, download {down} Mbps / upload {up} Mbps"),
    result_option: |when, down, up| format!("{when}: download {down} Mbps / upload {up} Mbps"),
    new_window: " (opens in a new window)",
    #[cfg(feature = "ssr")]
    mail_subject: "Your inquiry is received",
    #[cfg(feature = "ssr")]
    mail_body: |reference, category, message, attached, phone, hours| {
        let mut v = vec![
            "We received your inquiry from My Page and will answer it.".to_string(),
            format!("Reference number: {reference}\nSubject: {category}"),
            format!("Your inquiry:\n{message}"),
        ];
        if !attached.is_empty() {
            v.push(attached.to_string());
        }
        v.push(format!("Please quote the reference number when you contact us. If this was not you, call the iTSCOM customer center ({phone}, {hours})."));
        v
    },
};

/// The texts of `locale`.
pub fn of(locale: Locale) -> &'static HelpTexts {
    match locale {
        Locale::Ja => &JA,
        Locale::En => &EN,
    }
}

/// The texts of the page being rendered.
pub fn t() -> &'static HelpTexts {
    of(crate::i18n::use_locale())
}
