//! The accessibility policy's path.

/// アクセシビリティ方針, before or after login.
pub const POLICY: &str = "/accessibility";
