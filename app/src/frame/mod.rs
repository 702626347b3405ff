//! The page frame, above the features: the layout (header, side navigation, phone
//! menu, footer) and the four menus. Both name the features' screens, so they sit
//! with `app.rs`, not in `components/` (shared pieces the features build with).

pub mod layout;
pub mod nav;
