//! Shared UI pieces.

pub mod card;
pub mod form;
pub mod link;
pub mod status;
pub mod step;
