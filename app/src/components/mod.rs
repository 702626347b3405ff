//! Shared UI pieces.

pub mod card;
pub mod layout;
pub mod nav;
pub mod status;
