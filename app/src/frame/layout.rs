//! The page frame: header with brand, desktop side navigation, phone menu, footer.

use super::nav::MenuList;
use crate::context::{PagePrefs, UserResource};
use crate::features::login::LogoutButton;
use crate::features::preferences::{FontSizeControl, LanguageSwitch};
use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let tx = t();
    let prefs = expect_context::<PagePrefs>();
    let worker = use_context::<crate::app::WorkerUrl>().map_or("/sw.js", |w| w.0);
    let user = expect_context::<UserResource>().0;
    // The menus are a member's (every screen they lead to asks for a login): a page
    // seen logged out (the login, a registration, a recovery) shows none.
    let member = move || user.get().and_then(|r| r.ok()).flatten().is_some();
    // The page's path, read now: the menus' Transitions may resolve after the router of
    // a page that answered otherwise (a redirect) is gone.
    let path = StoredValue::new(leptos_router::hooks::use_location().pathname.get_untracked());
    view! {
        <a href="#main" class="skip-link">{tx.skip_to_content}</a>
        <header class="site-header">
            <div class="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-2">
                <a href=crate::features::top::routes::TOP class="brand" aria-label=format!("{} {} {}", prefs.brand, tx.brand_suffix, tx.top_page)>
                    <span class="brand-name">{prefs.brand.clone()}</span>
                    <span class="brand-suffix">{tx.brand_suffix}</span>
                </a>
                <div class="flex flex-wrap items-center justify-end gap-2">
                    <FontSizeControl/>
                    <LanguageSwitch/>
                    <Transition fallback=|| ()>
                        {move || user.get().and_then(|r| r.ok()).flatten().map(|u| view! {
                            <span class="hidden text-sm text-slate-700 md:inline" data-testid="user-name">
                                <span lang="ja">{u.name}</span> " " {tx.honorific}
                            </span>
                            <LogoutButton who=u.owner_tag/>
                        })}
                    </Transition>
                </div>
            </div>
            // Phone: a disclosure that works without JavaScript.
            <Transition fallback=|| ()>
                {move || member().then(|| view! {
                    <details class="phone-menu md:hidden">
                        <summary class="phone-menu-button">
                            <span aria-hidden="true" class="hamburger"></span>
                            {tx.open_menu}
                        </summary>
                        <nav aria-label=tx.main_menu class="px-4 pb-4">
                            <MenuList path=path.get_value()/>
                        </nav>
                    </details>
                })}
            </Transition>
        </header>
        <div class="mx-auto flex w-full max-w-6xl flex-1 gap-8 px-4 py-6">
            <Transition fallback=|| ()>
                {move || member().then(|| view! {
                    <nav aria-label=tx.main_menu class="side-nav hidden md:block">
                        <MenuList path=path.get_value()/>
                    </nav>
                })}
            </Transition>
            <main id="main" tabindex="-1" class="min-w-0 flex-1">
                {children()}
            </main>
        </div>
        // Shown by the WASM entry when a new release's service worker takes over this
        // page (frontend/src/lib.rs): the page keeps running the old code until reloaded.
        // It registers the worker this banner names: this release's.
        <div id="update-banner" class="update-banner" role="status" data-testid="update-banner" hidden
            data-worker=worker>
            <p>{tx.update_available}</p>
            <button type="button" id="update-reload" class="btn">{tx.update_reload}</button>
        </div>
        <footer class="site-footer">
            <p>{tx.footer_note}</p>
            <p><a class="link link-action" href=crate::features::accessibility::routes::POLICY>{tx.accessibility_policy}</a></p>
            <p>"© " {prefs.brand.clone()}</p>
        </footer>
    }
}
