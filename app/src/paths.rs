//! A page's path is written once, as a constant in its feature's `routes.rs`: its
//! links, redirects and mails use the constant, and so does the route table, through
//! [`PagePath`], which matches the same text (each `/`-separated part a static
//! segment, `:name` a parameter) as leptos_router's `path!` would the literal.

use leptos_router::{ParamSegment, PartialPathMatch, PathSegment, PossibleRouteMatch, StaticSegment};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagePath(pub &'static str);

/// The page of a link the portal mails (`/register/confirm`, `/account/id/cancel`…),
/// written once as a constant in its feature's `routes.rs`. The mail carries it with
/// its token (`?token=…`, through `Settings::mailed_link` on the server), the link's
/// form post goes back to that page when it is refused (`ssr::link_action`), and it
/// says `?done=1` once its action is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailedLink(pub &'static str);

impl MailedLink {
    /// The path, for the route table.
    pub const fn path(self) -> PagePath {
        PagePath(self.0)
    }

    /// The page of `token`. A token is hex, as the portal makes them; anything else a
    /// form posts is percent-encoded, so it stays the token's value and cannot add to
    /// the page's query.
    pub fn page(self, token: &str) -> String {
        format!("{}?token={}", self.0, encode(token))
    }

    /// The page once the link's action is taken.
    pub fn done(self) -> String {
        format!("{}?done=1", self.0)
    }
}

/// `value` for a query (a token, a path as `?next=`): unreserved characters and `/` as
/// they are, every other byte percent-encoded, so it cannot add to the query.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl PagePath {
    fn parts(&self) -> impl Iterator<Item = &'static str> {
        self.0.split('/').filter(|part| !part.is_empty())
    }
}

impl PossibleRouteMatch for PagePath {
    fn optional(&self) -> bool {
        false
    }

    fn test<'a>(&self, path: &'a str) -> Option<PartialPathMatch<'a>> {
        let (mut rest, mut matched, mut params) = (path, 0, Vec::new());
        for part in self.parts() {
            let found = match part.strip_prefix(':') {
                Some(name) => ParamSegment(name).test(rest)?,
                None => StaticSegment(part).test(rest)?,
            };
            rest = found.remaining();
            matched += found.matched().len();
            params.extend(found.params());
        }
        Some(PartialPathMatch::new(rest, params, &path[..matched]))
    }

    fn generate_path(&self, path: &mut Vec<PathSegment>) {
        for part in self.parts() {
            match part.strip_prefix(':') {
                Some(name) => ParamSegment(name).generate_path(path),
                None => StaticSegment(part).generate_path(path),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Match = (String, String, Vec<(String, String)>);

    fn matches(route: &'static str, path: &str) -> Option<Match> {
        PagePath(route).test(path).map(|m| {
            let (rest, matched) = (m.remaining().to_string(), m.matched().to_string());
            let params = m.params().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            (matched, rest, params)
        })
    }

    #[test]
    fn a_mailed_link_is_its_page_with_the_token() {
        const LINK: MailedLink = MailedLink("/register/confirm");
        assert_eq!(LINK.page("abc-123_x"), "/register/confirm?token=abc-123_x");
        assert_eq!(
            LINK.page("a b?x=1&error=é\n"),
            "/register/confirm?token=a%20b%3Fx%3D1%26error%3D%C3%A9%0A"
        );
        assert_eq!(LINK.done(), "/register/confirm?done=1");
        assert_eq!(LINK.path(), PagePath("/register/confirm"));
    }

    #[test]
    fn a_constant_matches_as_its_literal_would() {
        assert_eq!(matches("/account/id", "/account/id"), Some(("/account/id".into(), "".into(), vec![])));
        assert_eq!(matches("/account/id", "/account/id/verify").unwrap().1, "/verify", "a parent's prefix");
        assert_eq!(matches("/account/id", "/account/idx"), None);
        assert_eq!(matches("/account/id", "/account"), None);
        assert_eq!(matches("/", "/billing").unwrap().0, "", "the top page matches nothing of a longer path");
        let (_, rest, params) = matches("/dev/preview/:customer_no", "/dev/preview/100000002").unwrap();
        assert_eq!((rest.as_str(), params), ("", vec![("customer_no".into(), "100000002".into())]));
        let mut segments = Vec::new();
        PagePath("/dev/preview/:customer_no").generate_path(&mut segments);
        assert_eq!(segments.len(), 3);
        // The same segments as the macro writes for the literal.
        let mut by_macro = Vec::new();
        leptos_router::path!("/dev/preview/:customer_no").generate_path(&mut by_macro);
        assert_eq!(segments, by_macro);
    }
}
