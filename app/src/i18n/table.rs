//! [`texts!`](crate::texts): a table of texts in which each text is written once, its
//! Japanese and its English side by side. The words are data: a feature's rows are in
//! its `texts.toml`, which `app/build.rs` writes into rows of this macro (its comment
//! gives the file's form), so a translator edits words without touching Rust and the
//! compiler still checks each one.

/// Declares a table of texts: its struct, one `pub` field a text, the `const` tables
/// `JA` and `EN`, and `of(locale)` (the table of a locale) and `t()` (the table of the
/// page being rendered). A table is declared with its data file,
/// `pub struct AddonTexts in "texts.toml" { … }` (the file beside the `texts.rs`, which
/// `app/build.rs` finds by this line), whose rows join the Rust rows written between
/// the braces: those are only the texts that need code (a `match`, a computed value).
/// A Rust row is a text: its name, its type unless it is `&'static str`, then its
/// Japanese and its English value, each on lines of its own:
/// ```ignore
/// crate::texts! {
///     /// The words of the add-on screens.
///     pub struct AddonTexts in "texts.toml" {
///         /// The cancel confirmation (last day, what the months after this one cost).
///         cancel_confirm: fn(&str, Option<&str>) -> String =
///             |end, cost| match cost {
///                 Some(cost) => format!("{end}までの料金（{cost}）がかかります。解約しますか？"),
///                 None => format!("{end}までご利用いただけます。解約しますか？"),
///             },
///             |end, cost| match cost {
///                 Some(cost) => format!("Cancelling still costs the fees to {end} ({cost}). Cancel?"),
///                 None => format!("You can use it until {end}. Cancel?"),
///             };
///     }
/// }
/// ```
/// A row's attributes (its doc comment, `#[cfg(…)]`) go on the field and on both of its
/// values. A closure value is the field's `fn` pointer, as in any `const`. In tests, the
/// table's English values, read as written, must hold no Japanese
/// (`assert_english` below).
#[macro_export]
macro_rules! texts {
    // A table whose rows are (also) in a data file, written into Rust by `app/build.rs`.
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident in $file:literal { $($rows:tt)* }
    ) => {
        include!(concat!(env!("OUT_DIR"), "/texts/", stringify!($name), ".rs"));
        texts_from_toml! { $(#[$meta])* $vis struct $name { $($rows)* } }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$attr:meta])*
                $field:ident $(: $ty:ty)? = $ja:expr, $en:expr;
            )*
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $(
                $(#[$attr])*
                pub $field: $crate::texts!(@type $($ty)?),
            )*
        }

        /// Japanese.
        #[allow(unused_doc_comments)]
        pub const JA: $name = $name { $($(#[$attr])* $field: $ja,)* };

        /// English.
        #[allow(unused_doc_comments)]
        pub const EN: $name = $name { $($(#[$attr])* $field: $en,)* };

        /// The texts of `locale`.
        pub fn of(locale: $crate::i18n::Locale) -> &'static $name {
            match locale {
                $crate::i18n::Locale::Ja => &JA,
                $crate::i18n::Locale::En => &EN,
            }
        }

        /// The texts of the page being rendered.
        pub fn t() -> &'static $name {
            of($crate::i18n::use_locale())
        }

        #[cfg(test)]
        #[test]
        fn the_english_table_holds_no_japanese() {
            $crate::i18n::table::assert_english(
                stringify!($name),
                &[$((stringify!($field), stringify!($en))),*],
            );
        }
    };
    (@type) => { &'static str };
    (@type $ty:ty) => { $ty };
}

/// Fails when an English value, as written (`(field, source)`), holds Japanese: a text
/// left untranslated fails whether or not a test walks its screen. The language switch
/// names Japanese in Japanese (rendered with `lang="ja"`), and the configured opening
/// hours' "～" is turned into "–".
#[cfg(test)]
pub fn assert_english(table: &str, rows: &[(&str, &str)]) {
    let japanese =
        |c: char| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}');
    let found: Vec<String> = rows
        .iter()
        .filter(|(field, source)| {
            let source = source.replace(".replace('～', \"–\")", "");
            let source =
                if *field == "switch_language" { source.replace("\"日本語\"", "") } else { source };
            source.chars().any(japanese)
        })
        .map(|(field, source)| format!("{table}.{field}: {source}"))
        .collect();
    assert!(found.is_empty(), "Japanese in English texts:\n{}", found.join("\n"));
}

#[cfg(test)]
mod tests {
    mod table {
        crate::texts! {
            /// A table.
            pub struct SampleTexts {
                // A section.
                count: fn(u32) -> String =
                    |n| format!("{n}件"),
                    |n| format!("{n} items");
                list: &'static [&'static str] =
                    &["一", "二"],
                    &["one", "two"];
                /// A plain text.
                title =
                    "題名",
                    "Title";
                #[cfg(any())]
                absent =
                    "なし",
                    "None";
            }
        }
    }
    use crate::i18n::Locale;

    #[test]
    fn a_table_gives_each_text_in_both_languages() {
        const TITLE: &str = table::JA.title;
        assert_eq!(TITLE, "題名");
        assert_eq!(table::EN.title, "Title");
        assert_eq!((table::of(Locale::Ja).count)(3), "3件");
        assert_eq!((table::of(Locale::En).count)(3), "3 items");
        assert_eq!(table::of(Locale::En).list, ["one", "two"]);
        // Outside a page, the default locale.
        assert_eq!(table::t().title, "題名");
    }

    #[test]
    #[should_panic(expected = "English texts:\nSample.title: \"題名\"")]
    fn japanese_in_an_english_value_fails() {
        let hours = "|h| format!(\"Open {}\", h.replace('～', \"–\"))";
        super::assert_english(
            "Sample",
            &[("switch_language", "\"日本語\""), ("hours", hours), ("title", "\"題名\"")],
        );
    }
}
