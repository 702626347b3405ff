//! The words of お友だち紹介 and the invitation page, Japanese and English.

crate::texts! {
    pub struct ReferralTexts in "texts.toml" {
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
    }
}
