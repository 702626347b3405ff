//! The words of お友だち紹介 and the invitation page, Japanese and English.

crate::texts! {
    pub struct ReferralTexts {
        lead =
            "ご家族やお友だちにイッツコムをご紹介ください。紹介コードを添えてお申し込みいただき、開通されると、ご紹介者さまに特典をお贈りします。",
            "Recommend iTSCOM to family and friends. When they apply with your referral code and their service is connected, you receive a reward.";
        code =
            "あなたの紹介コード",
            "Your referral code";
        link =
            "紹介用リンク",
            "Referral link";
        qr_title =
            "紹介用QRコード",
            "Referral QR code";
        qr_label =
            "紹介用リンクのQRコード",
            "QR code of your referral link";
        qr_help =
            "お友だちのスマートフォンで読み取ると、紹介用リンクが開きます。",
            "Scanned with your friend's phone, it opens your referral link.";
        how_title =
            "ご紹介の流れ",
            "How it works";
        /// The steps, given the reward.
        how: fn(&str) -> [String; 3] =
            |reward| [
                "紹介コード・リンク・QRコードをお友だちにお伝えください。".to_string(),
                "お友だちが紹介コードを添えてイッツコムのサービスにお申し込みになると「申込受付」、工事が終わりご利用が始まると「開通」になります。".to_string(),
                format!("開通の翌月に、ご紹介者さまのご請求額から {reward}（税込）を割引し「特典付与」になります。お友だちにも開通月の月額料金を1か月分無料にします。"),
            ],
            |reward| [
                "Give your friend your referral code, link or QR code.".to_string(),
                "When your friend applies for an iTSCOM service with the code, the referral is Applied; once the service starts, it is Connected.".to_string(),
                format!("The month after the connection, {reward} (tax incl.) is taken off your bill and the referral is Rewarded. Your friend's first month is free."),
            ];
        list_title =
            "ご紹介の状況",
            "Your referrals";
        none =
            "まだご紹介はありません。",
            "No referrals yet.";
        col_applied =
            "お申し込み日",
            "Applied";
        col_reward =
            "特典",
            "Reward";
        state_applied =
            "申込受付",
            "Applied";
        state_connected =
            "開通",
            "Connected";
        state_rewarded =
            "特典付与",
            "Rewarded";
        /// The reward given (amount, date).
        reward_given: fn(&str, &str) -> String =
            |amount, date| format!("{amount}（{date} 付与）"),
            |amount, date| format!("{amount} (given {date})");
        reward_after =
            "開通の翌月に付与",
            "Given the month after connection";
        total: fn(&str) -> String =
            |amount| format!("これまでの特典の合計: {amount}"),
            |amount| format!("Rewards so far: {amount}");
        invite_title =
            "イッツコム お友だち紹介特典のご案内",
            "iTSCOM referral offer";
        invite_lead: fn(&str) -> String =
            |code| format!("イッツコムをご利用中のお客さまからのご紹介です。お申し込みの際に紹介コード {code} をお伝えいただくと、開通月の月額料金を1か月分無料にします。"),
            |code| format!("An iTSCOM customer has recommended us to you. Give the referral code {code} when you apply, and your first month is free.");
        invite_how =
            "インターネット・テレビ・電話のお申し込みは、イッツコム カスタマーセンターで承ります。",
            "Apply for internet, TV or phone at the iTSCOM customer center.";
        invite_contact =
            "イッツコム カスタマーセンター 0120-109199（9:30～18:00）",
            "iTSCOM customer center 0120-109199 (9:30–18:00)";
        invite_unknown =
            "この紹介コードは確認できませんでした。ご紹介者さまにコードをご確認ください。",
            "This referral code could not be found. Please check it with the person who gave it to you.";
    }
}
