use super::texts::t;
use crate::components::card::DataTable;
use leptos::prelude::*;

/// `/accessibility`: the policy, before or after login, printable.
#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let ta = t();
    view! {
        <h1 class="page-title">{crate::i18n::t().accessibility_policy}</h1>
        <div class="max-w-3xl space-y-4">
            <section class="card" aria-labelledby="a11y-policy">
                <h2 id="a11y-policy" class="card-title">{ta.policy_title}</h2>
                {ta.policy.iter().map(|p| view! { <p class="mb-2">{*p}</p> }).collect_view()}
            </section>
            <section class="card" aria-labelledby="a11y-target">
                <h2 id="a11y-target" class="card-title">{ta.target_title}</h2>
                <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
                    <dt class="font-bold">{ta.standard}</dt><dd data-testid="a11y-standard">"JIS X 8341-3:2016"</dd>
                    <dt class="font-bold">{ta.level}</dt><dd data-testid="a11y-level">{ta.level_value}</dd>
                    <dt class="font-bold">{ta.degree}</dt><dd>{ta.degree_value}</dd>
                    <dt class="font-bold">{ta.scope}</dt><dd>{ta.scope_value}</dd>
                    <dt class="font-bold">{ta.date}</dt><dd>{ta.date_value}</dd>
                </dl>
            </section>
            <section class="card" aria-labelledby="a11y-results">
                <h2 id="a11y-results" class="card-title">{ta.results_title}</h2>
                <p class="mb-3">{ta.results_lead}</p>
                <DataTable testid="a11y-results"
                    columns=vec![(ta.col_test, false), (ta.col_scope, false), (ta.col_result, false)]>
                            {ta.results.iter().map(|(test, scope, result)| view! {
                                <tr>
                                    <th scope="row" class="py-2 pr-2 text-left font-normal">{*test}</th>
                                    <td class="py-2 pr-2">{*scope}</td>
                                    <td class="whitespace-nowrap py-2">{*result}</td>
                                </tr>
                            }).collect_view()}
                </DataTable>
                <p class="mt-3 text-sm" data-testid="a11y-screens">{(ta.screens)(super::texts::SCREENS)}</p>
            </section>
            <section class="card" aria-labelledby="a11y-known">
                <h2 id="a11y-known" class="card-title">{ta.known_title}</h2>
                <ul class="list-disc space-y-1 pl-6">
                    {ta.known.iter().map(|p| view! { <li>{*p}</li> }).collect_view()}
                </ul>
            </section>
            <section class="card" aria-labelledby="a11y-contact">
                <h2 id="a11y-contact" class="card-title">{ta.contact_title}</h2>
                <p>{ta.contact}</p>
            </section>
        </div>
    }
}
