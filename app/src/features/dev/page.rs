use super::api::{get_preview_summary, list_demo_customers};
use crate::components::card::Card;
use crate::components::status::{Loaded, Loading};
use crate::features::top::TopSummaryView;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/dev`: the demo customers, each linking to its top-page preview.
#[component]
pub fn DevIndexPage() -> impl IntoView {
    let tx = t();
    let customers = Resource::new(|| (), |_| list_demo_customers());
    view! {
        <h1 class="page-title">{tx.dev_preview_title}</h1>
        <p class="mb-4">{tx.dev_preview_body}</p>
        <Card title=tx.customer_number>
            <Suspense fallback=|| view! { <Loading/> }>
                <Loaded resource=customers children=move |list| view! {
                    <ul class="divide-y divide-slate-200">
                        {list.into_iter().map(|(no, name)| view! {
                            <li class="py-2">
                                <a class="link inline-block min-h-11 py-2" href=super::routes::preview(&no)>
                                    {no.clone()} " " {name}
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }/>
            </Suspense>
        </Card>
    }
}

/// `/dev/preview/:customer_no`: the top page as that customer would see it.
#[component]
pub fn DevPreviewPage() -> impl IntoView {
    let params = use_params_map();
    let customer_no = move || params.read().get("customer_no").unwrap_or_default();
    let summary = Resource::new(customer_no, get_preview_summary);
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            <Loaded resource=summary children=move |s| view! { <TopSummaryView summary=s/> }/>
        </Suspense>
    }
}
