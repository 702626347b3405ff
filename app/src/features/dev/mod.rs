//! Development-only pages. In production their server functions answer 404.

mod api;
mod mailbox;
mod page;
pub mod routes;
pub use api::{get_preview_summary, list_demo_customers, list_dev_mail};
pub use mailbox::DevMailboxPage;
pub use page::{DevIndexPage, DevPreviewPage};

/// A mail as the development mailbox shows it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DevMail {
    pub topic: String,
    pub sent_at: Option<i64>,
    pub mail: DevMailBody,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DevMailBody {
    pub to: String,
    pub subject: String,
    pub text: String,
}
