//! A screen of a multi-step flow, shown only at its step ([`AtStep`]).

use crate::error::AppError;
use crate::flow::{HasStep, Step};
use leptos::prelude::*;

/// Renders `children` with the flow's view only when the flow of this browser or
/// session is at `step`, as `current` reports (`Ok(None)`: no flow under way). Any other
/// request, a step skipped, replayed, or expired, is sent to `restart` with the
/// "expired or out of order" message (a 302: the routes render `SsrMode::Async`; its
/// body says so too, with a link back). A server error shows its notice.
#[component]
pub fn AtStep<S, T, V>(
    step: S,
    restart: &'static str,
    current: Resource<Result<Option<T>, AppError>>,
    children: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    S: Step,
    T: HasStep<S> + Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    use crate::components::status::{ErrorNotice, Loading};
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || current.get().map(|r| match r {
                Ok(Some(flow)) if flow.step() == step => children.with_value(|c| c(flow)).into_any(),
                Ok(_) => {
                    #[cfg(feature = "ssr")]
                    crate::ssr::redirect_page(&format!("{restart}?error={}", AppError::FlowExpired.query_code()));
                    // The redirect's own page says it too, with the way back.
                    let tx = crate::i18n::t();
                    view! {
                        <p class="alert alert-error" role="alert">{tx.err_flow_expired}</p>
                        <p class="mt-4"><a class="link link-action" href=restart>{tx.start_over}</a></p>
                    }.into_any()
                }
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

/// A flow's screen as most are: the flow's heading, and at `step` (else as [`AtStep`])
/// a card titled `title` around `children`.
#[component]
pub fn StepCard<S, T>(
    heading: &'static str,
    title: &'static str,
    step: S,
    restart: &'static str,
    current: Resource<Result<Option<T>, AppError>>,
    children: ChildrenFn,
) -> impl IntoView
where
    S: Step,
    T: HasStep<S> + Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    view! {
        <h1 class="page-title">{heading}</h1>
        <AtStep step=step restart=restart current=current let:_flow>
            <section class="card max-w-2xl">
                <h2 class="card-title">{title}</h2>
                {children()}
            </section>
        </AtStep>
    }
}
