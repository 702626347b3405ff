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

/// What `resource` loaded, shown by `children`, or its error ([`ErrorNotice`]); inside
/// the page's `<Suspense>` (every page under `RequireLogin` has one), which shows
/// [`Loading`] meanwhile.
#[component]
pub fn Loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    children: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let children = StoredValue::new(children);
    move || {
        resource.get().map(|r| match r {
            Ok(data) => children.with_value(|c| c(data)).into_any(),
            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
        })
    }
}

/// A failed load, in words the customer can act on.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let tx = t();
    // A page whose thing does not exist (or is another customer's) answers 404; one
    // that cannot reach the database now, 503 with when to try again (a balancer or a
    // crawler reads the status, the customer the words).
    #[cfg(feature = "ssr")]
    match error {
        AppError::NotFound => crate::ssr::set_status(404),
        AppError::Busy => {
            crate::ssr::set_status(503);
            crate::ssr::set_retry_after(5);
        }
        _ => {}
    }
    let message = match error {
        AppError::NotFound => tx.page_not_found,
        AppError::Busy => tx.err_busy,
        _ => tx.error_generic,
    };
    view! { <p class="alert alert-error" role="alert">{message}</p> }
}

/// The support centre's general line and its hours (configuration), as a `tel:` link:
/// shown where only the support centre can help. Rendered on the server (pages are not
/// hydrated; the WASM never runs it).
#[component]
pub fn SupportLine() -> impl IntoView {
    let tx = t();
    #[cfg(feature = "ssr")]
    let line = crate::ssr::state()
        .ok()
        .map(|s| (s.settings.support.general_phone.clone(), s.settings.support.general_hours.clone()));
    #[cfg(not(feature = "ssr"))]
    let line: Option<(String, String)> = None;
    line.map(|(phone, hours)| {
        let href = crate::domain::support::tel(&phone);
        view! {
            <p class="mt-2" data-testid="support-line">
                {tx.support_centre} " " <a class="link link-action" href=href>{phone}</a> " " {(tx.support_hours)(&hours)}
            </p>
        }
    })
}
