//! イッツコム 通信速度測定's rules: the `speedtest-rules` crate (`app/speedtest-rules`),
//! shared with the speed test's own WASM module (`frontend/meter`), which must not link
//! the portal.

pub use speedtest_rules::*;
