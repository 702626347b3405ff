use leptos::prelude::*;

/// A titled section of a page.
#[component]
pub fn Card(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="card">
            <h2 class="card-title">{title}</h2>
            {children()}
        </section>
    }
}
