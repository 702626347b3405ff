//! The top page's path.

/// The top page (after login): this month's bill, the services, the notices, the menus.
pub const TOP: &str = "/";
