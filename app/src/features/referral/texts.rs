//! The words of お友だち紹介 and the invitation page, Japanese and English.

use crate::i18n::Locale;

pub struct ReferralTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub code: &'static str,
    pub link: &'static str,
    pub qr_title: &'static str,
    pub qr_label: &'static str,
    pub qr_help: &'static str,
    pub how_title: &'static str,
    /// The steps, given the reward.
    pub how: fn(&str) -> [String; 3],
    pub list_title: &'static str,
    pub none: &'static str,
    pub col_applied: &'static str,
    pub col_reward: &'static str,
    pub state_applied: &'static str,
    pub state_connected: &'static str,
    pub state_rewarded: &'static str,
    /// The reward given (amount, date).
    pub reward_given: fn(&str, &str) -> String,
    pub reward_after: &'static str,
    pub total: fn(&str) -> String,
    pub invite_title: &'static str,
    pub invite_lead: fn(&str) -> String,
    pub invite_how: &'static str,
    pub invite_contact: &'static str,
    pub invite_unknown: &'static str,
}

pub const JA: ReferralTexts = ReferralTexts {
    title: "お友だち紹介",
    lead: "ご家族やお友だちにイッツコムをご紹介ください。紹介コードを添えてお申し込みいただき、開通されると、ご紹介者さまに特典をお贈りします。",
    code: "あなたの紹介コード",
    link: "紹介用リンク",
    qr_title: "紹介用QRコード",
    qr_label: "紹介用リンクのQRコード",
    qr_help: "お友だちのスマートフォンで読み取ると、紹介用リンクが開きます。",
    how_title: "ご紹介の流れ",
    how: |reward| [
        "紹介コード・リンク・QRコードをお友だちにお伝えください。".to_string(),
        "お友だちが紹介コードを添えてイッツコムのサービスにお申し込みになると「申込受付」、工事が終わりご利用が始まると「開通」になります。".to_string(),
        format!("開通の翌月に、ご紹介者さまのご請求額から {reward}（税込）を割引し「特典付与」になります。お友だちにも開通月の月額料金を1か月分無料にします。"),
    ],
    list_title: "ご紹介の状況",
    none: "まだご紹介はありません。",
    col_applied: "お申し込み日",
    col_reward: "特典",
    state_applied: "申込受付",
    state_connected: "開通",
    state_rewarded: "特典付与",
    reward_given: |amount, date| format!("{amount}（{date} 付与）"),
    reward_after: "開通の翌月に付与",
    total: |amount| format!("これまでの特典の合計: {amount}"),
    invite_title: "イッツコム お友だち紹介特典のご案内",
    invite_lead: |code| format!("イッツコムをご利用中のお客さまからのご紹介です。お申し込みの際に紹介コード {code} をお伝えいただくと、開通月の月額料金を1か月分無料にします。"),
    invite_how: "インターネット・テレビ・電話のお申し込みは、イッツコム カスタマーセンターで承ります。",
    invite_contact: "イッツコム カスタマーセンター 0120-109199（9:30～18:00）",
    invite_unknown: "この紹介コードは確認できませんでした。ご紹介者さまにコードをご確認ください。",
};

pub const EN: ReferralTexts = ReferralTexts {
    title: "Refer a friend",
    lead: "Recommend iTSCOM to family and friends. When they apply with your referral code and their service is connected, you receive a reward.",
    code: "Your referral code",
    link: "Referral link",
    qr_title: "Referral QR code",
    qr_label: "QR code of your referral link",
    qr_help: "Scanned with your friend's phone, it opens your referral link.",
    how_title: "How it works",
    how: |reward| [
        "Give your friend your referral code, link or QR code.".to_string(),
        "When your friend applies for an iTSCOM service with the code, the referral is Applied; once the service starts, it is Connected.".to_string(),
        format!("The month after the connection, {reward} (tax incl.) is taken off your bill and the referral is Rewarded. Your friend's first month is free."),
    ],
    list_title: "Your referrals",
    none: "No referrals yet.",
    col_applied: "Applied",
    col_reward: "Reward",
    state_applied: "Applied",
    state_connected: "Connected",
    state_rewarded: "Rewarded",
    reward_given: |amount, date| format!("{amount} (given {date})"),
    reward_after: "Given the month after connection",
    total: |amount| format!("Rewards so far: {amount}"),
    invite_title: "iTSCOM referral offer",
    invite_lead: |code| format!("An iTSCOM customer has recommended us to you. Give the referral code {code} when you apply, and your first month is free."),
    invite_how: "Apply for internet, TV or phone at the iTSCOM customer center.",
    invite_contact: "iTSCOM customer center 0120-109199 (9:30–18:00)",
    invite_unknown: "This referral code could not be found. Please check it with the person who gave it to you.",
};

/// The texts of `locale`.
pub fn of(locale: Locale) -> &'static ReferralTexts {
    match locale {
        Locale::Ja => &JA,
        Locale::En => &EN,
    }
}

/// The texts of the page being rendered.
pub fn t() -> &'static ReferralTexts {
    of(crate::i18n::use_locale())
}
