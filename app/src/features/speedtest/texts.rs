//! The words of the speed test, Japanese and English.

crate::texts! {
    pub struct SpeedTexts {
        title =
            "イッツコム 通信速度測定",
            "iTSCOM speed test";
        lead =
            "お使いの端末とマイページのサーバーとの間の通信速度（下り・上り）と応答時間を測定します。測定には40秒ほどかかり、回線の速さに応じたデータ量（1Gコースでは数GB）を送受信します。",
            "Measures the speed (download and upload) and response time between your device and the My Page server. It takes about 40 seconds and moves as much data as your line allows (several gigabytes on a 1G plan).";
        note =
            "測定結果はお使いの端末・Wi-Fi・時間帯などの影響を受けます。より正確に測るには、ほかの通信を止め、LANケーブルで接続した端末で測定してください。",
            "Results depend on your device, Wi-Fi and the time of day. For the most accurate figure, stop other traffic and test on a device connected by LAN cable.";
        plan =
            "ご契約プラン",
            "Your plan";
        plan_value: fn(&str, Option<&str>) -> String =
            |name, mbps| match mbps {
                Some(m) => format!("{name}（最大{m}）"),
                None => name.to_string(),
            },
            |name, mbps| match mbps {
                Some(m) => format!("{name} (up to {m})"),
                None => name.to_string(),
            };
        no_plan =
            "インターネットサービスのご契約がありません（測定はできます）。",
            "You have no internet service (you can still run the test).";
        noscript =
            "速度測定にはJavaScriptが必要です。ブラウザの設定でJavaScriptを有効にしてください。",
            "The speed test needs JavaScript. Please enable JavaScript in your browser.";
        meter_title =
            "測定する",
            "Run a test";
        start =
            "測定開始",
            "Start";
        again =
            "もう一度測定する",
            "Test again";
        phase_ping =
            "応答時間を測定中",
            "Measuring response time";
        phase_download =
            "下り（ダウンロード）を測定中",
            "Measuring download";
        phase_upload =
            "上り（アップロード）を測定中",
            "Measuring upload";
        phase_saving =
            "結果を保存中",
            "Saving the result";
        download =
            "下り（ダウンロード）",
            "Download";
        upload =
            "上り（アップロード）",
            "Upload";
        ping =
            "応答時間（Ping）",
            "Ping";
        jitter =
            "ゆらぎ（ジッター）",
            "Jitter";
        loaded =
            "通信中の応答時間",
            "Latency under load";
        loaded_help =
            "ダウンロード中に測った応答時間です。通信中に大きく遅くなる場合、ビデオ通話やゲームが途切れやすくなります（バッファブロート）。",
            "The response time measured during the download. If it grows a lot, video calls and games stutter (bufferbloat).";
        grade =
            "評価",
            "Grade";
        mbps =
            "Mbps",
            "Mbps";
        ms =
            "ms",
            "ms";
        gauge_label =
            "現在の速度",
            "Current speed";
        progress_label =
            "進み具合",
            "Progress";
        err_busy =
            "別の画面で測定中です。1分ほど待ってからもう一度お試しください。",
            "A test is running in another window. Wait a minute and try again.";
        err_throttled =
            "測定の回数が上限（1時間に10回）に達しました。しばらくしてからお試しください。",
            "You have reached the limit of 10 tests an hour. Please try again later.";
        err_failed =
            "測定できませんでした。通信環境をご確認のうえ、もう一度お試しください。",
            "The test could not be completed. Check your connection and try again.";
        err_load =
            "測定の準備ができませんでした。ページを再読み込みしてください。",
            "The speed test could not be loaded. Please reload the page.";
        result_title: fn(&str) -> String =
            |when| format!("{when} の測定結果"),
            |when| format!("Result of {when}");
        vs_plan: fn(&str, i64) -> String =
            |plan, pct| format!("ご契約の{plan}の最大速度に対して、下りは約{pct}%です。"),
            |plan, pct| format!("Your download is about {pct}% of the top speed of your {plan}.");
        vs_plan_note =
            "最大速度は技術規格上の値（ベストエフォート）で、実際の速度を保証するものではありません。",
            "The top speed is the technical maximum (best effort), not a guaranteed speed.";
        vs_history_faster: fn(i64) -> String =
            |pct| format!("これまでの測定（中央値）より{pct}%速い結果です。"),
            |pct| format!("{pct}% faster than your earlier tests (median).");
        vs_history_slower: fn(i64) -> String =
            |pct| format!("これまでの測定（中央値）より{pct}%遅い結果です。"),
            |pct| format!("{pct}% slower than your earlier tests (median).");
        vs_history_same =
            "これまでの測定（中央値）とほぼ同じ結果です。",
            "About the same as your earlier tests (median).";
        /// A result the server's own count of bytes contradicts.
        unverified =
            "この結果は、サーバーが送受信したデータ量と一致しないため参考値です。お問い合わせには添付できません。もう一度測定してください。",
            "This result does not match the data the server actually sent and received, so it is for reference only and cannot be attached to an inquiry. Please run the test again.";
        vs_history_none =
            "はじめての測定です。次回から、これまでの結果と比べてお知らせします。",
            "Your first test. Next time it is compared with your earlier results.";
        attach =
            "この結果を添えて問い合わせる",
            "Send an inquiry with this result";
        history_title =
            "測定履歴",
            "History";
        history_none =
            "まだ測定結果はありません。",
            "No results yet.";
        chart_label =
            "測定履歴のグラフ（下り・上り、Mbps）",
            "Chart of your results (download and upload, Mbps)";
        col_when =
            "測定日時",
            "Tested";
        unknown_result =
            "この測定結果は表示できません。",
            "This result cannot be shown.";
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
