//! Login and logout (SPEC §1.2), and the current user of a page.

mod api;
#[cfg(feature = "ssr")]
pub mod mail;
mod page;
pub mod routes;
#[cfg(feature = "ssr")]
pub(crate) mod store;
pub mod texts;

#[cfg(feature = "ssr")]
pub(crate) use api::{account_by_id, login_budget, session_budget, start_session_in, Budget};
pub use api::{current_user, login, logout, CurrentUser, Login, Logout, UserBrief, DEVICE_COOKIE};
#[cfg(feature = "ssr")]
pub use api::{failed_login, forget_browsers, stamp_browsers};
pub use page::{LoginPage, LogoutButton, MemberPage, RequireLogin};

/// `/login?next=…` for a page that needs login.
pub fn login_url(next: &str) -> String {
    format!("{}?next={}", routes::LOGIN, crate::paths::encode(next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_url_carries_the_page_encoded() {
        assert_eq!(login_url("/"), "/login?next=/");
        assert_eq!(login_url("/billing?m=2026-10&x=1"), "/login?next=/billing%3Fm%3D2026-10%26x%3D1");
    }
}
