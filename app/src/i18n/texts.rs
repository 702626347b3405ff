//! The texts of the shell and the words several features share (errors, labels),
//! each in Japanese and English.

crate::texts! {
    /// Every text on every screen, grouped by screen in `texts.toml`; a new text is one row, in both languages.
    /// A text with values in it is a function of them (`|n| format!(…)`), so a missing
    /// or misspelt value is a build error, not a `{n}` shown to the customer. The
    /// Japanese is the wording of the provider's printed guide (SPEC §2).
    pub struct Texts in "texts.toml" {
        /// The locale this table is for.
        locale: super::Locale =
            super::Locale::Ja,
            super::Locale::En;
        support_hours: fn(&str) -> String =
            |h| format!("（受付時間 {h}）"),
            |h| format!("(open {})", h.replace('～', "–"));
    }
}
