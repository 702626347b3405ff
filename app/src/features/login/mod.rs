//! Login and logout (SPEC §1.2), and the current user of a page.

mod api;
mod page;

#[cfg(feature = "ssr")]
pub use api::failed_login;
pub use api::{current_user, login, logout, CurrentUser, Login, Logout, UserBrief};
pub use page::{LoginPage, LogoutButton, RequireLogin};

/// Why a login was refused, as carried in `/login?error=…` after a plain form post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginFailure {
    /// Unknown ID or wrong password: one message for both.
    Credentials,
    /// Throttled: even the right password is refused during the wait.
    Throttled,
    /// 100 failures in a row: login needs a password reset first.
    Locked,
}

impl LoginFailure {
    pub fn code(self) -> &'static str {
        match self {
            LoginFailure::Credentials => "credentials",
            LoginFailure::Throttled => "throttled",
            LoginFailure::Locked => "locked",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "credentials" => Some(LoginFailure::Credentials),
            "throttled" => Some(LoginFailure::Throttled),
            "locked" => Some(LoginFailure::Locked),
            _ => None,
        }
    }
}

/// Percent-encode a path for a query value.
pub fn encode_query_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `/login?next=…` for a page that needs login.
pub fn login_url(next: &str) -> String {
    format!("/login?next={}", encode_query_value(next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_url_carries_the_page_encoded() {
        assert_eq!(login_url("/"), "/login?next=/");
        assert_eq!(login_url("/billing?m=2026-10&x=1"), "/login?next=/billing%3Fm%3D2026-10%26x%3D1");
    }

    #[test]
    fn failure_codes_round_trip() {
        for f in [LoginFailure::Credentials, LoginFailure::Throttled, LoginFailure::Locked] {
            assert_eq!(LoginFailure::from_code(f.code()), Some(f));
        }
        assert_eq!(LoginFailure::from_code("other"), None);
    }
}
