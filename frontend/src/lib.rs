//! The WASM entry point: hydrates the page's islands (the interactive parts of the
//! server-rendered page) and registers the service worker (PWA: offline page,
//! installability, and the new-release notice).
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate_islands();
    register_service_worker();
}

fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    let container = window.navigator().service_worker();
    // A page that a worker already controls is told when another one takes over: a new
    // release's worker (it activates at once and claims the open pages). A page's first
    // visit is claimed too, which is no news: only listen when controlled already.
    if container.controller().is_some() {
        let on_change = Closure::<dyn FnMut()>::new(show_update_banner);
        container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
        on_change.forget();
    }
    // This release's worker, as the page names it (app::worker_url). Fire and forget: a
    // browser without service workers still gets the page.
    let worker = window
        .document()
        .and_then(|d| d.get_element_by_id("update-banner"))
        .and_then(|b| b.get_attribute("data-worker"))
        .filter(|url| url.starts_with("/sw.js"))
        .unwrap_or_else(|| "/sw.js".into());
    let _ = container.register(&worker);
}

/// 新しいバージョンがあります: the shell's banner (its words rendered by the server in
/// the page's language), whose button reloads the page onto the new release.
fn show_update_banner() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(banner) = document.get_element_by_id("update-banner") {
        let _ = banner.remove_attribute("hidden");
    }
    if let Some(button) =
        document.get_element_by_id("update-reload").and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let reload = Closure::<dyn FnMut()>::new(|| {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
        button.set_onclick(Some(reload.as_ref().unchecked_ref()));
        reload.forget();
    }
}
