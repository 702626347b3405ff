//! Reading one cookie out of a `Cookie` request header (both builds use it).

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
    use super::find;

    #[test]
    fn finds_the_named_cookie_only() {
        assert_eq!(find(Some("a=1; lang=en"), "lang"), Some("en"));
        assert_eq!(find(Some("xlang=en"), "lang"), None);
        assert_eq!(find(Some("lang="), "lang"), Some(""));
        assert_eq!(find(None, "lang"), None);
    }
}
