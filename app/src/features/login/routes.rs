//! The login screen's path, for the pages' links, the server functions and the tests.

/// ログイン (`?next=…`: where to go after it; `?error=…`: why the last try failed).
pub const LOGIN: &str = "/login";
