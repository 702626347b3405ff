//! The words of the account screens, Japanese and English, in `texts.toml`,
//! in the wording of the provider's printed guide (SPEC). A text with values in it is a
//! function of them, so a missing value is a compile error. Words shared by several
//! features (errors, labels) are in `crate::i18n`.

crate::texts! {
    pub struct AccountTexts in "texts.toml" {}
}
