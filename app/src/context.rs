//! What every page's components may ask for: the page's preferences and the
//! logged-in user. Features depend on this module, not on each other.

#[cfg(not(feature = "ssr"))]
use crate::cookies::FONT_LARGE_CLASS;
use crate::error::AppError;
use crate::features::login::{current_user, UserBrief};
use crate::i18n::Locale;
use leptos::prelude::*;

/// What the page is rendered with: chosen per request on the server and written into
/// `<html>`, read back from there when the WASM hydrates, so both renders agree.
#[derive(Debug, Clone, PartialEq)]
pub struct PagePrefs {
    pub locale: Locale,
    pub font_large: bool,
    pub brand: String,
    /// The customer center's number and hours the texts name (configuration; the hours
    /// as the locale writes them). On the server only: no island names them.
    pub support_phone: String,
    pub support_hours: String,
}

impl PagePrefs {
    #[cfg(feature = "ssr")]
    fn from_request() -> Self {
        let cookies = use_context::<http::request::Parts>().and_then(|p| {
            p.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(str::to_owned)
        });
        let state = use_context::<crate::ssr::AppState>();
        let brand = state.as_ref().map(|s| s.settings.brand.clone()).unwrap_or_else(|| "iTSCOM".into());
        let locale = Locale::from_cookie_header(cookies.as_deref());
        let (support_phone, support_hours) = match &state {
            Some(s) => crate::i18n::center(&s.settings.support, locale),
            None => crate::i18n::center(&Default::default(), locale),
        };
        Self {
            locale,
            font_large: crate::cookies::font_large_from_cookie_header(cookies.as_deref()),
            brand,
            support_phone,
            support_hours,
        }
    }

    #[cfg(not(feature = "ssr"))]
    fn from_document() -> Self {
        let root = document().document_element();
        let attr = |name: &str| root.as_ref().and_then(|r| r.get_attribute(name));
        Self {
            locale: attr("lang").and_then(|l| Locale::from_code(&l)).unwrap_or_default(),
            font_large: root.as_ref().is_some_and(|r| r.class_list().contains(FONT_LARGE_CLASS)),
            brand: attr("data-brand").unwrap_or_else(|| "iTSCOM".into()),
            // Named by server-rendered pages only (no island shows them).
            support_phone: String::new(),
            support_hours: String::new(),
        }
    }

    /// The preferences of this render: from the request on the server, from the
    /// document in the browser.
    pub fn current() -> Self {
        if let Some(p) = use_context::<PagePrefs>() {
            return p;
        }
        #[cfg(feature = "ssr")]
        return Self::from_request();
        #[cfg(not(feature = "ssr"))]
        return Self::from_document();
    }
}

/// The logged-in user of the page (one look-up a page, shared by the header and the
/// page content).
#[derive(Clone, Copy)]
pub struct UserResource(pub Resource<Result<Option<UserBrief>, AppError>>);

impl UserResource {
    pub fn new() -> Self {
        Self(Resource::new(|| (), |_| current_user()))
    }
}

impl Default for UserResource {
    fn default() -> Self {
        Self::new()
    }
}
