//! The words of the speed test, Japanese and English.

crate::texts! {
    pub struct SpeedTexts in "texts.toml" {
        plan_value: fn(&str, Option<&str>) -> String =
            |name, mbps| match mbps {
                Some(m) => format!("{name}（最大{m}）"),
                None => name.to_string(),
            },
            |name, mbps| match mbps {
                Some(m) => format!("{name} (up to {m})"),
                None => name.to_string(),
            };
        grade_help: fn(&str) -> &'static str =
            |g| match g {
                "A+" | "A" => "通信中も応答時間はほとんど変わりません。",
                "B" => "通信中に応答時間が少し長くなります。",
                "C" => "通信中に応答時間が長くなります。ビデオ通話が途切れることがあります。",
                _ => "通信中に応答時間が大きく長くなります。ルーターの設定をご確認ください。",
            },
            |g| match g {
                "A+" | "A" => "The response time hardly changes under load.",
                "B" => "The response time grows a little under load.",
                "C" => "The response time grows under load; video calls may stutter.",
                _ => "The response time grows a lot under load; check your router's settings.",
            };
    }
}
