//! The words of お問い合わせ・サポート, Japanese and English. The support centre's
//! names are the provider's printed guide's.

use crate::domain::inquiry::InquiryCategory;

crate::texts! {
    pub struct HelpTexts in "texts.toml" {
        hours: fn(&str) -> String =
            |h| format!("受付時間 {h}"),
            |h| format!("Open {}", h.replace('～', "–"));
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
