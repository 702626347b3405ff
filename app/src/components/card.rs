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

/// A table of records, as every list of the portal shows one: headings `(label, figures)`
/// (a column of figures is right-aligned), the rows as `children`, scrolling sideways
/// on a narrow screen. `stacked`: the rows lay their cells out themselves on a phone
/// ([`STACKED_ROW`]), and the headings are there for screen readers only.
#[component]
pub fn DataTable(
    testid: &'static str,
    columns: Vec<(&'static str, bool)>,
    #[prop(optional)] stacked: bool,
    children: Children,
) -> impl IntoView {
    let last = columns.len().saturating_sub(1);
    view! {
        <div class="overflow-x-auto">
            <table class="w-full text-sm" data-testid=testid>
                <thead class=stacked.then_some("sr-only sm:not-sr-only")>
                    <tr class="border-b border-slate-300 text-left">
                        {columns.into_iter().enumerate().map(|(i, (label, figures))| {
                            let class = match (i == last, figures) {
                                (false, false) => "py-1 pr-2",
                                (false, true) => "py-1 pr-2 text-right",
                                (true, false) => "py-1",
                                (true, true) => "py-1 text-right",
                            };
                            view! { <th scope="col" class=class>{label}</th> }
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-200">{children()}</tbody>
            </table>
        </div>
    }
}

/// A row of a `stacked` [`DataTable`] with a date, a text and a state: on a phone the
/// date and the state share a line and the text has the width below them (a long text,
/// a mail address, breaks where words do instead of at any letter of a narrow column);
/// from `sm` a table row. Its cells: [`STACKED_FIRST`], [`STACKED_TEXT`],
/// [`STACKED_LAST`].
pub const STACKED_ROW: &str = "grid grid-cols-[1fr_auto] gap-x-2 py-2 sm:table-row sm:py-0";
pub const STACKED_FIRST: &str = "whitespace-nowrap align-top sm:py-2 sm:pr-2";
pub const STACKED_TEXT: &str = "col-span-2 row-start-2 align-top sm:py-2 sm:pr-2";
pub const STACKED_LAST: &str = "col-start-2 row-start-1 whitespace-nowrap align-top sm:py-2";

/// A flow's last screen: its heading, a card (titled when `title` is given) saying what
/// happened (`children`, in a paragraph marked `testid`) and the way on (`to`: a path
/// and its label).
#[component]
pub fn Outcome(
    heading: &'static str,
    #[prop(optional)] title: Option<&'static str>,
    testid: &'static str,
    to: (&'static str, &'static str),
    children: Children,
) -> impl IntoView {
    view! {
        <h1 class="page-title">{heading}</h1>
        <section class="card max-w-2xl">
            {title.map(|title| view! { <h2 class="card-title">{title}</h2> })}
            <p class="mb-4 leading-relaxed" data-testid=testid>{children()}</p>
            <a class="btn" href=to.0>{to.1}</a>
        </section>
    }
}

/// A sentence that names the support centre's number `phone`: the number in it is a
/// `tel:` link (a tap calls it on a phone) and never wraps inside itself.
pub fn with_tel(text: String, phone: &str) -> impl IntoView {
    match text.find(phone).filter(|_| !phone.is_empty()) {
        Some(at) => {
            let (before, rest) = text.split_at(at);
            let after = rest[phone.len()..].to_string();
            let link = view! {
                <a class="link whitespace-nowrap" href=crate::domain::support::tel(phone)>{phone.to_string()}</a>
            };
            view! { {before.to_string()}{link}{after} }.into_any()
        }
        None => text.into_any(),
    }
}
