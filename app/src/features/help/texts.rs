//! The words of お問い合わせ・サポート, Japanese and English. The support centre's
//! names are the provider's printed guide's.

use crate::domain::inquiry::InquiryCategory;

crate::texts! {
    pub struct HelpTexts {
        lead =
            "ご不明な点やトラブルは、お電話またはこのページのお問い合わせフォームからご連絡ください。",
            "For questions or trouble, call us or use the inquiry form on this page.";
        internet_center =
            "インターネット・サポートセンター",
            "Internet support center";
        internet_center_ip =
            "国際電話・IP電話などをご利用の場合は",
            "From international or IP phones";
        internet_center_notes: &'static [&'static str] =
            &[
                "※電話番号をお確かめの上、おかけ間違いのないようお願い申し上げます。",
                "※インターネット接続に直接関係のないソフトおよびパソコン本体やOSに関するご質問にはお答えできませんのでご了承ください。",
            ],
            &[
                "Please check the number before you call.",
                "We cannot answer questions about software, computers or operating systems not directly related to the internet connection.",
            ];
        web_always =
            "WEBで24時間受付中（このページのお問い合わせフォーム）",
            "On the web 24 hours a day (the inquiry form on this page)";
        general_line =
            "イッツコム カスタマーセンター（総合窓口）",
            "iTSCOM customer center (general)";
        hours: fn(&str) -> String =
            |h| format!("受付時間 {h}"),
            |h| format!("Open {}", h.replace('～', "–"));
        hours_link =
            "受付時間は当社ホームページにてご確認ください",
            "See our website for the opening hours";
        mail =
            "メールでのお問い合わせ",
            "By mail";
        faq_speed =
            "通信速度が遅いと感じたら、まず通信速度測定をお試しください。結果をお問い合わせに添えると、ご案内がスムーズです。",
            "If your connection feels slow, run the speed test first. Attaching its result to your inquiry helps us help you.";
        speedtest_link =
            "イッツコム 通信速度測定へ",
            "Go to the iTSCOM speed test";
        form_title =
            "お問い合わせフォーム",
            "Inquiry form";
        form_lead =
            "内容を確認のうえ、ご登録の連絡先メールアドレスまたはお電話で回答いたします。受付番号をお控えください。",
            "We answer by mail to your contact address or by phone. Keep the reference number.";
        category =
            "お問い合わせの種類",
            "Subject";
        choose =
            "選択してください",
            "Please choose";
        category_name: fn(InquiryCategory) -> &'static str =
            |c| match c {
                InquiryCategory::Internet => "インターネット",
                InquiryCategory::Tv => "テレビ",
                InquiryCategory::Phone => "電話",
                InquiryCategory::Billing => "料金・お支払い",
                InquiryCategory::MyPage => "マイページ",
                InquiryCategory::Other => "その他",
            },
            |c| match c {
                InquiryCategory::Internet => "Internet",
                InquiryCategory::Tv => "TV",
                InquiryCategory::Phone => "Phone",
                InquiryCategory::Billing => "Fees and payment",
                InquiryCategory::MyPage => "My Page",
                InquiryCategory::Other => "Other",
            };
        message =
            "お問い合わせ内容",
            "Your inquiry";
        message_hint =
            "2,000文字以内でご入力ください。",
            "Up to 2,000 characters.";
        attach =
            "通信速度測定の結果を添付する",
            "Attach a speed test result";
        attach_none =
            "添付しない",
            "None";
        attach_none_yet =
            "添付できる測定結果はまだありません。",
            "You have no speed test results to attach yet.";
        submit =
            "送信する",
            "Send";
        limit_reached =
            "お問い合わせは1時間に5件までです。しばらくしてから送信してください。お急ぎの場合はお電話でご連絡ください。",
            "You can send up to 5 inquiries an hour. Please send it later, or call us if it is urgent.";
        sent: fn(&str) -> String =
            |r| format!("お問い合わせを受け付けました。受付番号は {r} です。確認のメールをお送りしました。"),
            |r| format!("Your inquiry is received. Its reference number is {r}. We sent you a confirmation mail.");
        list_title =
            "お問い合わせ履歴",
            "Your inquiries";
        list_none =
            "お問い合わせはまだありません。",
            "No inquiries yet.";
        reference_no =
            "受付番号",
            "Reference number";
        received_at =
            "受付日時",
            "Received";
        state_received =
            "受付済み",
            "Received";
        state_answered =
            "回答済み",
            "Answered";
        attached_result: fn(&str, &str, &str) -> String =
            |when, down, up| format!("添付した測定結果：{when}　下り {down} Mbps／上り {up} Mbps"),
            |when, down, up| format!("Attached speed test: {when}, download {down} Mbps / upload {up} Mbps");
        /// A result as the form offers it: when, and its figures.
        result_option: fn(&str, &str, &str) -> String =
            |when, down, up| format!("{when}　下り {down} Mbps／上り {up} Mbps"),
            |when, down, up| format!("{when}: download {down} Mbps / upload {up} Mbps");
        new_window =
            "（新しいウィンドウで開きます）",
            " (opens in a new window)";
        #[cfg(feature = "ssr")]
        mail_subject =
            "お問い合わせ受付のお知らせ",
            "Your inquiry is received";
        #[cfg(feature = "ssr")]
        /// (reference, category, message, attached result, general line, its hours).
        mail_body: fn(&str, &str, &str, &str, &str, &str) -> Vec<String> =
            |reference, category, message, attached, phone, hours| {
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
            |reference, category, message, attached, phone, hours| {
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
            };
    }
}
