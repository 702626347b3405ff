use crate::error::AppError;
use crate::i18n::t;
use leptos::prelude::*;

/// Shown while data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="flex items-center gap-2 text-slate-600" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {t().loading}
        </p>
    }
}

/// A failed load, in words the customer can act on.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let tx = t();
    // A page whose thing does not exist (or is another customer's) answers 404.
    #[cfg(feature = "ssr")]
    if matches!(error, AppError::NotFound) {
        crate::ssr::set_status(404);
    }
    let message = match error {
        AppError::NotFound => tx.page_not_found,
        _ => tx.error_generic,
    };
    view! { <p class="alert alert-error" role="alert">{message}</p> }
}
