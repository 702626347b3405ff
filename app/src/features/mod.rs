//! One folder per flow or menu: its pages, its server functions (api.rs) and state.

pub mod accessibility;
pub mod account;
pub mod addons;
pub mod billing;
pub mod contract;
pub mod dev;
pub mod help;
pub mod login;
pub mod mailboxes;
pub mod preferences;
pub mod recovery;
pub mod referral;
pub mod registration;
pub mod speedtest;
pub mod top;
