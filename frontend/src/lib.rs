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
    // This release's worker, as the page names it, unless a later release's is in
    // charge: in a rolling restart a page may come from a process not yet restarted,
    // and that worker would take the newer pages back to the release before. Fire and
    // forget: a browser without service workers still gets the page.
    let own = this_release_worker();
    let in_charge = container.controller().map(|c| c.script_url());
    if !in_charge.is_some_and(|url| older(&own, &url)) {
        let _ = container.register(&own);
    }
}

/// Whether the worker `a` is of an earlier release than `b`, both naming their order
/// (app::app::worker_release); never for an address without one.
fn older(a: &str, b: &str) -> bool {
    matches!((app::app::worker_release(a), app::app::worker_release(b)), (Some(a), Some(b)) if a < b)
}

/// This page's release's worker, as the page frame names it (app::worker_url):
/// `/sw.js`, or `/sw.js?v=` and the release's order and hashes.
fn this_release_worker() -> String {
    let named = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("update-banner"))
        .and_then(|b| b.get_attribute("data-worker"));
    let release_ok = |v: &str| {
        !v.is_empty()
            && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'%'))
    };
    named
        .filter(|url| url == "/sw.js" || url.strip_prefix("/sw.js?v=").is_some_and(release_ok))
        .unwrap_or_else(|| "/sw.js".into())
}

/// 新しいバージョンがあります: the shell's banner (its words rendered by the server in
/// the page's language), whose button reloads the page onto the new release. Not on a
/// page of the release that took over (the first page loaded after a release, still
/// under the worker before: it runs the new code already). A worker of an earlier
/// release (registered by a page of the release before, in a rolling restart) is no
/// news either: this page registers its own again, which takes the pages back.
fn show_update_banner() {
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    let container = window.navigator().service_worker();
    let own = this_release_worker();
    let controller = container.controller().map(|c| c.script_url());
    if controller.as_deref().is_some_and(|url| url.ends_with(&own)) {
        return;
    }
    if controller.is_some_and(|url| older(&url, &own)) {
        let _ = container.register(&own);
        return;
    }
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
