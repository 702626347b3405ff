//! Credentials: password hashing now; sessions and throttling arrive with login.

pub mod password;
