//! Shared UI pieces.

pub mod card;
pub mod form;
pub mod layout;
pub mod link;
pub mod nav;
pub mod status;
pub mod step;
