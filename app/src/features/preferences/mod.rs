//! Display preferences: language (server-side cookie, so the server renders it) and
//! text size (a cookie written by the browser, read by the server to render it).

use crate::error::AppError;
use crate::i18n::{t, use_locale, Locale};
use leptos::prelude::*;

#[cfg(not(feature = "ssr"))]
use crate::cookies::{FONT_LARGE_CLASS, FONT_SIZE_COOKIE};

/// Remember the chosen language: in this browser (a cookie) and, when logged in, for
/// the account, so its mails are in that language and its next login in another
/// browser opens in it. The form posts here and the server redirects back, which
/// renders every text anew.
#[server(endpoint = "preferences/locale")]
pub async fn set_locale(lang: String) -> Result<(), AppError> {
    let locale = Locale::from_code(&lang).ok_or_else(|| {
        crate::ssr::set_status(422);
        AppError::Invalid { field: "lang".into(), error: crate::domain::FieldError::InvalidFormat }
    })?;
    let state = crate::ssr::state()?;
    let cookie =
        crate::ssr::auth::cookie(&state.settings, Locale::COOKIE, locale.code(), Some(31_536_000), false);
    crate::ssr::auth::set_cookie(&cookie);
    if let Some(account) = crate::ssr::auth::current_account().await? {
        let mut conn = state.db.conn().await?;
        crate::features::login::store::set_locale(&mut conn, &account.account_id, locale.code()).await?;
    }
    Ok(())
}

/// A button switching between Japanese and English.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let tx = t();
    let other = match use_locale() {
        Locale::Ja => Locale::En,
        Locale::En => Locale::Ja,
    };
    let action = ServerAction::<SetLocale>::new();
    view! {
        <ActionForm action=action attr:class="inline">
            <input type="hidden" name="lang" value=other.code()/>
            <button type="submit" class="btn-ghost" lang=other.code()
                aria-label=format!("{}: {}", tx.language, tx.switch_language)>
                {tx.switch_language}
            </button>
        </ActionForm>
    }
}

/// 文字サイズ 標準 / 大きく, placed in the header.
#[component]
pub fn FontSizeControl() -> impl IntoView {
    view! { <FontSizeButtons/> }
}

/// The buttons themselves: an island, so the only code the browser runs for them. Needs
/// JavaScript: disabled until the WASM has hydrated them, hidden without it. It takes no
/// props and carries no words: the server renders them (the page's language, the
/// size its cookie asks for) and the browser keeps them as they are, reading the size
/// from `<html class>`.
#[island]
pub fn FontSizeButtons() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let (initial_large, group, normal, large_label) = {
        let tx = t();
        let large = use_context::<crate::context::PagePrefs>().is_some_and(|p| p.font_large);
        (large, tx.font_size, tx.font_size_normal, tx.font_size_large)
    };
    #[cfg(not(feature = "ssr"))]
    let (initial_large, group, normal, large_label) = (
        document().document_element().is_some_and(|html| html.class_list().contains(FONT_LARGE_CLASS)),
        "",
        "",
        "",
    );
    let hydrated = RwSignal::new(false);
    let large = RwSignal::new(initial_large);
    Effect::new(move |_| hydrated.set(true));
    let choose = move |want_large: bool| {
        large.set(want_large);
        #[cfg(feature = "hydrate")]
        apply_font_size(want_large);
    };
    let shown_group = group;
    view! {
        <div class="js-only flex items-center gap-1 text-sm" role="group" aria-label=group>
            <span class="hidden sm:inline text-slate-600 mr-1" aria-hidden="true">{shown_group}</span>
            <button type="button" class="btn-toggle" data-testid="font-normal"
                disabled=move || !hydrated.get()
                aria-pressed=move || (!large.get()).to_string()
                on:click=move |_| choose(false)>
                {normal}
            </button>
            <button type="button" class="btn-toggle" data-testid="font-large"
                disabled=move || !hydrated.get()
                aria-pressed=move || large.get().to_string()
                on:click=move |_| choose(true)>
                {large_label}
            </button>
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn apply_font_size(large: bool) {
    use wasm_bindgen::JsCast;
    let doc = document();
    if let Some(root) = doc.document_element() {
        let classes = root.class_list();
        let _ = if large { classes.add_1(FONT_LARGE_CLASS) } else { classes.remove_1(FONT_LARGE_CLASS) };
    }
    if let Ok(html) = doc.dyn_into::<web_sys::HtmlDocument>() {
        let cookie = if large {
            format!("{FONT_SIZE_COOKIE}=large; Path=/; Max-Age=31536000; SameSite=Lax")
        } else {
            format!("{FONT_SIZE_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax")
        };
        let _ = html.set_cookie(&cookie);
    }
}
