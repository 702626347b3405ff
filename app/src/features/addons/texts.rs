//! The words of the add-on screens and notices, Japanese and English. The security
//! service's description is the provider's printed guide's.

crate::texts! {
    pub struct AddonTexts in "texts.toml" {
        /// Per OS: (name, steps).
        install: &'static [(&'static str, &'static [&'static str])] =
            &[
                ("Windows", &["パソコンで Norton のダウンロードページを開き、「ダウンロード」を押します。", "ダウンロードしたファイルを開き、画面の案内に従ってインストールします。", "ライセンスキーの入力を求められたら、上のライセンスキーを入力します。"]),
                ("macOS", &["Mac で Norton のダウンロードページを開き、macOS 版をダウンロードします。", "ダウンロードしたファイルを開き、アプリケーションフォルダにインストールします。", "初回起動時にライセンスキーを入力し、システム設定でアクセスを許可します。"]),
                ("iOS", &["App Store で「Norton 360」を検索し、インストールします。", "アプリを開き、「ライセンスキーをお持ちの方」からライセンスキーを入力します。"]),
                ("Android", &["Google Play で「Norton 360」を検索し、インストールします。", "アプリを開き、「ライセンスキーをお持ちの方」からライセンスキーを入力します。"]),
            ],
            &[
                ("Windows", &["Open Norton's download page on the PC and press Download.", "Open the downloaded file and follow the installer.", "When asked for a licence key, enter the key above."]),
                ("macOS", &["Open Norton's download page on the Mac and download the macOS version.", "Open the file and install it into Applications.", "Enter the licence key at first start and allow access in System Settings."]),
                ("iOS", &["Find \"Norton 360\" in the App Store and install it.", "Open it and enter the licence key under \"I have a licence key\"."]),
                ("Android", &["Find \"Norton 360\" in Google Play and install it.", "Open it and enter the licence key under \"I have a licence key\"."]),
            ];
        /// Before a cancel: its last day, what it costs (None: nothing more), and
        /// whether that day is the end of the services it goes with (before the
        /// minimum term's).
        cancel_confirm: fn(&str, Option<&str>, bool) -> String =
            |end, cost, with_service| match (cost, with_service) {
                (Some(cost), false) => format!("最低利用期間が{end}までのため、解約しても{end}までの料金（今月分に加え {cost}）がかかります。解約しますか？"),
                (Some(cost), true) => format!("ご契約のサービスが{end}で終了するため、このオプションも{end}で終了します。最低利用期間中のため、解約しても{end}までの料金（今月分に加え {cost}）がかかります。解約しますか？"),
                (None, _) => format!("{end}までご利用いただけ、その後は料金がかかりません。解約しますか？"),
            },
            |end, cost, with_service| match (cost, with_service) {
                (Some(cost), false) => format!("The minimum term runs to {end}: cancelling still costs the fees to then (this month and {cost}). Cancel?"),
                (Some(cost), true) => format!("The service it goes with ends on {end}, and so does this. It is within its minimum term: cancelling still costs the fees to then (this month and {cost}). Cancel?"),
                (None, _) => format!("You can use it until {end}; nothing is charged after. Cancel?"),
            };
    }
}
