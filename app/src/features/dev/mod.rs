//! Development-only pages. In production their server functions answer 404.

mod api;
mod page;
pub use api::{get_preview_summary, list_demo_customers};
pub use page::{DevIndexPage, DevPreviewPage};
