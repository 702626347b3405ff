//! The page a mailed link opens (`?token=…`), written once: what the link is about,
//! read from the server without changing anything, in a card that says it and asks
//! before it acts; a link unknown, used or expired says so; `?done=1`, once it has
//! acted, shows what happened.

use crate::components::status::{ErrorNotice, Loading};
use crate::error::AppError;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `load` reads what the link of `?token=` is about (the server answers
/// `LinkInvalid` for a link unknown, used or expired, with a 404); `children` shows it
/// in the card, with the form that acts on it (it is given the token for the form's
/// hidden field). An invalid link says so, with `restart` (a path and its label) as a
/// way on when given; `?done=1` shows `done` instead.
#[component]
pub fn LinkPage<T, Fut, V>(
    title: &'static str,
    load: fn(String) -> Fut,
    children: impl Fn(T, String) -> V + Send + Sync + 'static,
    #[prop(optional)] restart: Option<(&'static str, &'static str)>,
    #[prop(optional, into)] done: Option<ViewFn>,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    V: IntoView + 'static,
{
    let tx = t();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let has_done = done.is_some();
    let is_done = move || has_done && query.read().get("done").is_some();
    let link = Resource::new(token, load);
    let children = StoredValue::new(children);
    let done = StoredValue::new(done);
    view! {
        <h1 class="page-title">{title}</h1>
        {move || if is_done() {
            done.with_value(|d| d.as_ref().map(|d| view! { <section class="card max-w-2xl">{d.run()}</section> }))
                .into_any()
        } else {
            view! {
                <Suspense fallback=|| view! { <Loading/> }>
                    {move || link.get().map(|r| match r {
                        Ok(about) => view! {
                            <section class="card max-w-2xl">{children.with_value(|c| c(about, token()))}</section>
                        }.into_any(),
                        Err(AppError::LinkInvalid) => view! {
                            <p class="alert alert-error" role="alert">{tx.err_link_invalid}</p>
                            {restart.map(|(href, label)| view! {
                                <p class="mt-4"><a class="link link-action" href=href>{label}</a></p>
                            })}
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    })}
                </Suspense>
            }.into_any()
        }}
    }
}
