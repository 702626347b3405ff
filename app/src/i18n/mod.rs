//! Internationalisation: Japanese by default, English available.
//!
//! Every string the UI shows is a field of [`Texts`] or of a feature's texts table.
//! Each text is one row of its [`texts!`](crate::texts) table (a feature's
//! `texts.toml`), its Japanese and its English side by side, so a text missing in either
//! language is a compile error, and
//! screens add texts rather than literals. The locale is chosen per request on the
//! server (cookie `lang`), written into `<html lang>`, and read back from there when
//! the WASM hydrates, so both renders agree.

pub mod table;
mod texts;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use texts::{t, Texts};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Ja,
    En,
}

impl Locale {
    pub const COOKIE: &'static str = "lang";
    pub const ALL: [Locale; 2] = [Locale::Ja, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Ja => "ja",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim() {
            "ja" => Some(Locale::Ja),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    pub fn texts(self) -> &'static Texts {
        texts::of(self)
    }

    /// The locale named by a `Cookie` header, Japanese when absent or unknown.
    pub fn from_cookie_header(header: Option<&str>) -> Self {
        crate::cookies::find(header, Self::COOKIE).and_then(Self::from_code).unwrap_or_default()
    }
}

/// An aside in parentheses after a word: `（…）` in Japanese, ` (…)` in English.
pub fn parenthesized(locale: Locale, inner: &str) -> String {
    match locale {
        Locale::Ja => format!("（{inner}）"),
        Locale::En => format!(" ({inner})"),
    }
}

/// The locale of the page being rendered (provided by the App component).
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// A moment (unix seconds) in Japan time, as the locale writes it:
/// `2026年11月25日 14:05` / `25 Nov 2026 14:05 JST`. Pure arithmetic, so the browser
/// and the server (mails, pages) write it alike.
pub fn format_datetime(locale: Locale, unix: i64) -> String {
    let secs = (unix + 9 * 3600).rem_euclid(86_400);
    let (hour, minute) = (secs / 3600, secs % 3600 / 60);
    let crate::domain::billing::Date { year, month, day } = crate::domain::billing::Date::of_unix_jst(unix);
    match locale {
        Locale::Ja => format!("{year}年{month}月{day}日 {hour:02}:{minute:02}"),
        Locale::En => format!(
            "{} {hour:02}:{minute:02} JST",
            format_date(locale, &format!("{year}-{month:02}-{day:02}"))
        ),
    }
}

/// The message for a field error, worded for the field where that helps.
pub fn field_message(texts: &Texts, field: &str, error: crate::domain::FieldError) -> String {
    use crate::domain::FieldError as E;
    match (field, error) {
        ("subdomain", E::Required) => texts.err_sub_choose.into(),
        ("virus_check" | "contact" | "choice" | "question" | "category" | "factor_kind", E::Required) => {
            texts.err_choose.into()
        }
        ("remove_phone", E::Required) => texts.err_phone_last.into(),
        // 登録 from a page whose draft another tab has replaced since.
        ("address", E::Mismatch) => texts.err_mailbox_changed.into(),
        #[cfg(feature = "ssr")]
        ("otp", E::InvalidFormat | E::InvalidCharacters) => texts.err_code_format.into(),
        #[cfg(feature = "ssr")]
        ("otp", E::Mismatch) => texts.err_code_wrong.into(),
        // The app's code of a time step used already (a change sent twice).
        #[cfg(feature = "ssr")]
        ("otp", E::Used) => texts.err_code_used.into(),
        (_, E::Required) => texts.err_required.into(),
        ("itscom_id", E::InvalidCharacters) => texts.err_id_characters.into(),
        ("itscom_id", E::InvalidFormat) => texts.err_id_format.into(),
        ("password", E::InvalidCharacters) => texts.err_password_characters.into(),
        ("kana", E::InvalidCharacters) => texts.err_kana_characters.into(),
        ("phone", E::InvalidFormat | E::InvalidCharacters) => texts.err_phone_format.into(),
        ("phone", E::Taken) => texts.err_phone_taken.into(),
        ("phone", E::Exhausted) => texts.err_phone_max.into(),
        ("contact_email", E::InvalidFormat | E::InvalidCharacters) => texts.err_id_format.into(),
        ("contact_email", E::Unchanged) => texts.err_contact_unchanged.into(),
        ("customer_no", _) => texts.err_customer_no.into(),
        ("factor", E::InvalidFormat | E::InvalidCharacters) => texts.err_invalid_format.into(),
        ("answer" | "question", E::Mismatch) => texts.rec_answer_wrong.into(),
        ("code", E::Mismatch) => texts.rec_code_wrong.into(),
        ("current_password", E::Mismatch) => texts.err_current_password.into(),
        ("local_part", E::InvalidFormat) => texts.err_local_edge.into(),
        ("local_part", E::InvalidCharacters) => texts.err_local_characters.into(),
        ("local_part", E::Exhausted) => texts.err_local_exhausted.into(),
        (_, E::Reserved) => texts.err_local_reserved.into(),
        (_, E::CardNumber) => texts.err_card_number.into(),
        ("subdomain", E::Taken) => texts.err_sub_taken.into(),
        ("subdomain", E::Exhausted) => texts.err_sub_exhausted.into(),
        ("subdomain", E::InvalidFormat) => texts.err_sub_choose.into(),
        (_, E::Unchanged) => texts.err_unchanged.into(),
        (_, E::Used) => texts.err_used.into(),
        (_, E::Taken) => texts.err_taken.into(),
        (_, E::Exhausted) => texts.err_sub_exhausted.into(),
        (_, E::TooShort { min }) => (texts.err_too_short)(min),
        (_, E::TooLong { max }) => (texts.err_too_long)(max),
        (_, E::InvalidCharacters) => texts.err_invalid_characters.into(),
        (_, E::InvalidFormat) => texts.err_invalid_format.into(),
        (_, E::Common) => texts.err_common.into(),
        (_, E::SameAsId) => texts.err_same_as_id.into(),
        (_, E::Mismatch) => texts.err_mismatch.into(),
    }
}

/// The messages of a field checked as typed in the browser, as its `data-messages`
/// attribute: for each error its domain rule can give (the rule's `ERRORS`), a line of
/// the error's code, a tab and the message in the page's language. The server writes
/// them into the page, so the WASM carries no text tables.
pub fn field_messages(texts: &Texts, field: &str, errors: &[crate::domain::FieldError]) -> String {
    errors
        .iter()
        .map(|&e| format!("{}\t{}", e.code(), field_message(texts, field, e)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The message of `error` in a `data-messages` attribute ([`field_messages`]); `None`
/// for an error the rule does not list (its tests keep the lists whole).
pub fn message_in(messages: &str, error: crate::domain::FieldError) -> Option<&str> {
    let code = error.code();
    messages.lines().find_map(|line| line.split_once('\t').filter(|(c, _)| *c == code).map(|(_, m)| m))
}

/// The wording of a secret question.
pub fn question_text(texts: &Texts, q: crate::domain::secret_question::SecretQuestion) -> &'static str {
    use crate::domain::secret_question::SecretQuestion as Q;
    match q {
        Q::MothersMaidenName => texts.rec_q_mother_maiden_name,
        Q::FirstPet => texts.rec_q_first_pet,
        Q::ElementarySchool => texts.rec_q_elementary_school,
        Q::ChildhoodNickname => texts.rec_q_childhood_nickname,
        Q::FavouriteFood => texts.rec_q_favourite_food,
        Q::BirthTown => texts.rec_q_birth_town,
    }
}

/// The provider's catalogue in English: plans, add-ons, channel genres and invoice items.
/// The database keeps them in Japanese, as the printed guide and the issued invoices
/// do; a page, mail or PDF in English shows these instead. A name not listed here (a
/// product an operator adds) stays Japanese: add it here with the product.
const CATALOGUE_EN: &[(&str, &str)] = &[
    ("インターネット 300Mコース", "Internet 300M plan"),
    ("インターネット 1Gコース", "Internet 1G plan"),
    ("インターネット 10Gコース", "Internet 10G plan"),
    ("テレビ ライトプラン", "TV Light plan"),
    ("テレビ スタンダードプラン", "TV Standard plan"),
    ("テレビ プレミアムプラン", "TV Premium plan"),
    ("ケーブルプラス電話", "Cable Plus Phone"),
    ("ケーブルプラス電話 かけ放題", "Cable Plus Phone, unlimited calls"),
    ("マルチデバイスセキュリティ with Norton Security", "Multi-device security with Norton Security"),
    ("シネマプラス", "Cinema Plus"),
    ("スポーツワイド", "Sports Wide"),
    ("キッズアニメチャンネル", "Kids Anime Channel"),
    ("ジャズ＆クラシック", "Jazz & Classics"),
    ("ドキュメンタリーワールド", "Documentary World"),
    ("映画", "Movies"),
    ("スポーツ", "Sports"),
    ("アニメ・キッズ", "Anime and kids"),
    ("音楽", "Music"),
    ("ドキュメンタリー", "Documentaries"),
    ("STBレンタル料", "STB rental"),
    ("Hit potレンタル料", "Hit pot rental"),
    ("モデムレンタル料", "Modem rental"),
    ("通話料", "Call charges"),
    ("調整", "Adjustment"),
    ("お友だち紹介特典", "Friend referral reward"),
    ("契約解除料（不課税）", "Early termination fee (non-taxable)"),
];

/// A line of a later invoice correcting a month already issued, as the database keeps
/// it (`ご契約変更による差額（2026年10月分）`), and in English.
const CORRECTION: (&str, &str, &str) =
    ("ご契約変更による差額（", "分）", "Difference from a contract change");

/// Opening hours as configured (`9:30～18:00`), as the locale writes them: English
/// with a dash (the full-width tilde is Japanese).
pub fn hours(locale: Locale, configured: &str) -> String {
    match locale {
        Locale::En => configured.replace('～', "–"),
        Locale::Ja => configured.to_string(),
    }
}

/// The customer center's number and hours as a text in `locale` names them (every text
/// that names the center takes these two).
pub fn center(support: &crate::domain::support::SupportContacts, locale: Locale) -> (String, String) {
    (support.general_phone.clone(), hours(locale, &support.general_hours))
}

/// The line of a later invoice that corrects `month` (YYYY-MM), issued already, as the
/// invoice keeps it (in Japanese; [`catalogue_name`] shows it in English).
pub fn correction_line(month: &str) -> String {
    month_line(CORRECTION, month)
}

/// The line of the next invoice that carries over `month`'s credit (its total below
/// ¥0), as the invoice keeps it: `繰越金額（2026年10月分）`.
const CARRIED: (&str, &str, &str) = ("繰越金額（", "分）", "Credit carried over");

/// The line that carries `month`'s credit (YYYY-MM) over to the next invoice.
pub fn carried_line(month: &str) -> String {
    month_line(CARRIED, month)
}

fn month_line((before, after, _): (&str, &str, &str), month: &str) -> String {
    format!("{before}{}{after}", format_month(Locale::Ja, month))
}

/// A catalogue name (plan, add-on, genre, invoice item) as the locale shows it.
pub fn catalogue_name(locale: Locale, ja: &str) -> String {
    match locale {
        Locale::En => {
            // A line of a month (2026年10月), the month back to 2026-10 for the English one.
            let of_month = [CORRECTION, CARRIED].into_iter().find_map(|(before, after, en)| {
                let m = ja.strip_prefix(before)?.strip_suffix(after)?;
                let (y, m) = m.strip_suffix('月')?.split_once('年')?;
                Some((en, format!("{y}-{:02}", m.parse::<u8>().ok()?)))
            });
            match of_month {
                Some((en, month)) => format!("{en} ({})", format_month(Locale::En, &month)),
                None => CATALOGUE_EN.iter().find(|(j, _)| *j == ja).map_or(ja, |(_, en)| en).to_string(),
            }
        }
        Locale::Ja => ja.to_string(),
    }
}

/// "6,380円" or "¥6,380".
pub fn format_yen(texts: &Texts, yen: crate::domain::Yen) -> String {
    // The sign before a prefix: -¥2,200, not ¥-2,200 (-2,200円 as before).
    let sign = if yen.0 < 0 { "-" } else { "" };
    let digits = crate::domain::Yen(yen.0.saturating_abs()).grouped();
    format!("{sign}{}{digits}{}", texts.yen_prefix, texts.yen_suffix)
}

/// "2026年11月27日" or "27 Nov 2026" from "2026-11-27".
pub fn format_date(locale: Locale, yyyy_mm_dd: &str) -> String {
    match yyyy_mm_dd.rsplit_once('-').map(|(ym, d)| (ym, d.parse::<u8>())) {
        Some((ym, Ok(day))) => match locale {
            Locale::Ja => format!("{}{day}日", format_month(locale, ym)),
            Locale::En => format!("{day} {}", format_month(locale, ym)),
        },
        _ => yyyy_mm_dd.to_string(),
    }
}

/// What stands between two sentences of one paragraph: nothing after 。, a space after
/// an English full stop. None in Japanese: an empty text is rendered as a space (a text
/// node hydration can find).
pub fn sentence_gap(tx: &Texts) -> Option<&'static str> {
    (!tx.sentence_gap.is_empty()).then_some(tx.sentence_gap)
}

/// "2026年10月" or "Oct 2026" from "2026-10".
pub fn format_month(locale: Locale, yyyy_mm: &str) -> String {
    const EN_MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let Some((y, m)) = yyyy_mm.split_once('-') else {
        return yyyy_mm.to_string();
    };
    let Ok(month) = m.parse::<usize>() else {
        return yyyy_mm.to_string();
    };
    match locale {
        Locale::Ja => format!("{y}年{month}月"),
        Locale::En => match EN_MONTHS.get(month.wrapping_sub(1)) {
            Some(name) => format!("{name} {y}"),
            None => yyyy_mm.to_string(),
        },
    }
}

/// A service's kind in the shell's words (インターネット, テレビ, 電話): the contract's
/// pages, its PDF and mails, and the referrals name services so.
pub fn service_kind_name(tx: &'static Texts, kind: &str) -> &'static str {
    match kind {
        "internet" => tx.service_internet,
        "tv" => tx.service_tv,
        "addon" => tx.service_addon,
        _ => tx.service_phone,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Yen;

    #[test]
    fn field_messages_give_the_message_of_each_listed_error_in_the_locale() {
        use crate::domain::{itscom_id::ItscomId, FieldError};
        let ja = field_messages(Locale::Ja.texts(), "itscom_id", ItscomId::ERRORS);
        let en = field_messages(Locale::En.texts(), "itscom_id", ItscomId::ERRORS);
        for &e in ItscomId::ERRORS {
            assert_eq!(message_in(&ja, e), Some(field_message(Locale::Ja.texts(), "itscom_id", e).as_str()));
            assert_eq!(message_in(&en, e), Some(field_message(Locale::En.texts(), "itscom_id", e).as_str()));
        }
        assert_eq!(message_in(&ja, FieldError::TooShort { min: 4 }), Some("4文字以上で入力してください。"));
        assert_ne!(message_in(&ja, FieldError::Required), message_in(&en, FieldError::Required));
        // Not a rule of this field, or another bound: nothing.
        assert_eq!(message_in(&ja, FieldError::Reserved), None);
        assert_eq!(message_in(&ja, FieldError::TooShort { min: 5 }), None);
    }

    /// Every table is a `texts!` table, whose tests read its English values for
    /// Japanese left in one.
    #[test]
    fn every_table_is_written_with_texts() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![src.join("i18n/texts.rs")];
        for entry in std::fs::read_dir(src.join("features")).unwrap() {
            let texts = entry.unwrap().path().join("texts.rs");
            if texts.exists() {
                files.push(texts);
            }
        }
        assert!(files.len() > 10, "{files:?}");
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            assert!(text.contains("crate::texts! {"), "{} is not a texts! table", file.display());
        }
    }

    #[test]
    fn catalogue_names_are_english_in_english_and_unknown_names_stay() {
        assert_eq!(catalogue_name(Locale::En, "インターネット 1Gコース"), "Internet 1G plan");
        assert_eq!(catalogue_name(Locale::Ja, "インターネット 1Gコース"), "インターネット 1Gコース");
        assert_eq!(catalogue_name(Locale::En, "新しいプラン"), "新しいプラン");
        assert_eq!(
            catalogue_name(Locale::En, "ご契約変更による差額（2026年10月分）"),
            "Difference from a contract change (Oct 2026)"
        );
        assert_eq!(
            catalogue_name(Locale::En, "ご契約変更による差額（2026年X月分）"),
            "ご契約変更による差額（2026年X月分）"
        );
        assert_eq!(correction_line("2026-10"), "ご契約変更による差額（2026年10月分）");
        assert_eq!(carried_line("2026-11"), "繰越金額（2026年11月分）");
        assert_eq!(catalogue_name(Locale::En, &carried_line("2026-11")), "Credit carried over (Nov 2026)");
        assert_eq!(catalogue_name(Locale::En, "契約解除料（不課税）"), "Early termination fee (non-taxable)");
        for (ja, en) in CATALOGUE_EN {
            assert!(!ja.is_empty() && en.is_ascii(), "{ja} → {en}");
        }
    }

    #[test]
    fn hours_are_written_with_a_dash_in_english() {
        assert_eq!(hours(Locale::En, "9:30～18:00"), "9:30–18:00");
        assert_eq!(hours(Locale::Ja, "9:30～18:00"), "9:30～18:00");
    }

    #[test]
    fn a_negative_amount_is_signed_before_its_currency() {
        assert_eq!(format_yen(Locale::En.texts(), Yen(-2_200)), "-¥2,200");
        assert_eq!(format_yen(Locale::Ja.texts(), Yen(-2_200)), "-2,200円");
        assert_eq!(format_yen(Locale::En.texts(), Yen(1_234_567)), "¥1,234,567");
    }

    #[test]
    fn dates_are_written_per_locale() {
        assert_eq!(format_date(Locale::Ja, "2026-11-27"), "2026年11月27日");
        assert_eq!(format_date(Locale::En, "2026-11-07"), "7 Nov 2026");
        assert_eq!(format_date(Locale::Ja, "garbage"), "garbage");
    }

    #[test]
    fn the_lang_cookie_chooses_the_locale_and_japanese_is_the_default() {
        assert_eq!(Locale::from_cookie_header(None), Locale::Ja);
        assert_eq!(Locale::from_cookie_header(Some("a=b; lang=en")), Locale::En);
        assert_eq!(Locale::from_cookie_header(Some("lang=ja")), Locale::Ja);
        assert_eq!(Locale::from_cookie_header(Some("lang=fr")), Locale::Ja);
        assert_eq!(Locale::from_cookie_header(Some("xlang=en")), Locale::Ja);
    }

    #[test]
    fn texts_with_values_write_every_value_in_both_languages() {
        for locale in Locale::ALL {
            let tx = locale.texts();
            let (reg, acc) = (
                crate::features::registration::texts::of(locale),
                crate::features::account::texts::of(locale),
            );
            assert!((tx.err_too_short)(6).contains('6'));
            assert!((tx.err_too_long)(32).contains("32"));
            assert!((reg.held_notice)("2026年11月28日 14:05").contains("2026年11月28日 14:05"));
            assert!((reg.pending_body)("X-AT").contains("X-AT"));
            assert!((acc.pending)("new@example.com").contains("new@example.com"));
            let count = (crate::features::mailboxes::texts::of(locale).count)(2, 5);
            assert!(count.contains('2') && count.contains('5'), "{count}");
            for text in [(tx.err_too_short)(6), count, (acc.pending)("a@b.c")] {
                assert!(!text.contains('{'), "no placeholder left: {text}");
            }
        }
        assert_eq!(
            field_message(Locale::Ja.texts(), "password", crate::domain::FieldError::TooShort { min: 6 }),
            "6文字以上で入力してください。"
        );
    }

    #[test]
    fn money_and_months_are_formatted_per_locale() {
        assert_eq!(format_yen(Locale::Ja.texts(), Yen(6380)), "6,380円");
        assert_eq!(format_yen(Locale::En.texts(), Yen(6380)), "¥6,380");
        assert_eq!(format_month(Locale::Ja, "2026-10"), "2026年10月");
        assert_eq!(format_month(Locale::En, "2026-10"), "Oct 2026");
        assert_eq!(format_month(Locale::En, "2026-13"), "2026-13");
    }

    #[test]
    fn moments_are_written_in_japan_time() {
        // 2026-11-25 05:05 UTC is 14:05 in Japan; 15:00 UTC is already the next day there.
        assert_eq!(format_datetime(Locale::Ja, 1_795_583_100), "2026年11月25日 14:05");
        assert_eq!(format_datetime(Locale::En, 1_795_583_100), "25 Nov 2026 14:05 JST");
        assert_eq!(format_datetime(Locale::Ja, 1_795_618_800), "2026年11月26日 00:00");
        // A leap day and the epoch.
        assert_eq!(format_datetime(Locale::En, 1_709_164_800), "29 Feb 2024 09:00 JST");
        assert_eq!(format_datetime(Locale::Ja, 0), "1970年1月1日 09:00");
    }
}
