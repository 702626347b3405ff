//! The WASM entry point: hydrates the page's islands (the interactive parts of the
//! server-rendered page) and registers the service worker (PWA: offline page,
//! installability).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate_islands();
    register_service_worker();
}

fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let container = window.navigator().service_worker();
        // Fire and forget: a browser without service workers still gets the page.
        let _ = container.register("/sw.js");
    }
}
