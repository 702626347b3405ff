//! Reading one cookie out of a `Cookie` request header (both builds use it), and the
//! text-size preference's cookie and class (the page's context reads them; the
//! preferences feature writes them).

/// The cookie holding the text size: `large` or absent.
pub const FONT_SIZE_COOKIE: &str = "fs";
/// The `<html>` class that enlarges the root font size.
pub const FONT_LARGE_CLASS: &str = "font-large";

/// Whether a `Cookie` header asks for large text.
pub fn font_large_from_cookie_header(header: Option<&str>) -> bool {
    find(header, FONT_SIZE_COOKIE) == Some("large")
}

/// The value of cookie `name` in a `Cookie` header (`a=1; b=2`).
pub fn find<'a>(header: Option<&'a str>, name: &str) -> Option<&'a str> {
    header?
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_fs_equals_large_asks_for_large_text() {
        assert!(font_large_from_cookie_header(Some("lang=ja; fs=large")));
        assert!(!font_large_from_cookie_header(Some("fs=")));
        assert!(!font_large_from_cookie_header(Some("xfs=large")));
        assert!(!font_large_from_cookie_header(None));
    }

    #[test]
    fn finds_the_named_cookie_only() {
        assert_eq!(find(Some("a=1; lang=en"), "lang"), Some("en"));
        assert_eq!(find(Some("xlang=en"), "lang"), None);
        assert_eq!(find(Some("lang="), "lang"), Some(""));
        assert_eq!(find(None, "lang"), None);
    }
}
