//! アクセシビリティ方針: the portal's accessibility policy (JIS X 8341-3:2016, level AA),
//! its scope, and the results of the tests that check it (end2end/tests/platform.spec.ts
//! walks the screens this page counts, and fails when the count here is wrong).

mod page;
pub mod routes;
pub mod texts;

pub use page::AccessibilityPage;
