//! Where to send the customer after login: only a path on this site.

/// A same-site path (`/…`), never `//host`, `/\host`, a scheme or control characters;
/// anything else becomes `/`.
pub fn safe_next(raw: Option<&str>) -> String {
    match raw.map(str::trim) {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.chars().any(|c| c.is_control() || c == '\\')
                && p.len() <= 512 =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn same_site_paths_are_kept() {
        assert_eq!(safe_next(Some("/billing?month=2026-10")), "/billing?month=2026-10");
        assert_eq!(safe_next(Some("/")), "/");
    }

    #[test]
    fn other_sites_and_odd_forms_become_the_top_page() {
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
            "billing",
            "/a\r\nLocation: x",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
