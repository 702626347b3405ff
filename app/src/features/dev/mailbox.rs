//! `/dev/mailbox`: the mails in the outbox, readable in development when no SMTP
//! server is configured (like Phoenix's mailbox preview). Links are clickable.

use super::api::list_dev_mail;
use crate::components::status::{ErrorNotice, Loading};
use leptos::prelude::*;

/// Splits text into plain runs and http(s) links.
pub fn linkify(text: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("http://").into_iter().chain(rest.find("https://")).min() {
        if start > 0 {
            out.push((false, rest[..start].to_string()));
        }
        let end = rest[start..]
            .find(|c: char| c.is_whitespace() || c == '<' || c == '"')
            .map_or(rest.len(), |e| start + e);
        out.push((true, rest[start..end].to_string()));
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        out.push((false, rest.to_string()));
    }
    out
}

#[component]
pub fn DevMailboxPage() -> impl IntoView {
    let mails = Resource::new(|| (), |_| list_dev_mail());
    let title = || view! { <h1 class="page-title">"Mailbox (development)"</h1> };
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || mails.get().map(|r| match r {
                Ok(list) if list.is_empty() => view! { {title()} <p>"No mail yet."</p> }.into_any(),
                Ok(list) => view! {
                    {title()}
                    <ul class="space-y-3" data-testid="mailbox">
                        {list.into_iter().map(|m| view! {
                            <li class="card">
                                <details>
                                    <summary class="cursor-pointer min-h-11">
                                        <strong>{m.mail.subject.clone()}</strong>
                                        <span class="block text-sm text-slate-600">
                                            "To: " {m.mail.to.clone()} " · " {m.topic.clone()}
                                            {if m.sent_at.is_some() { " · sent" } else { " · in outbox" }}
                                        </span>
                                    </summary>
                                    <pre class="mt-3 whitespace-pre-wrap text-sm">
                                        {linkify(&m.mail.text).into_iter().map(|(link, s)| if link {
                                            view! { <a class="link" href=s.clone()>{s.clone()}</a> }.into_any()
                                        } else {
                                            s.into_any()
                                        }).collect_view()}
                                    </pre>
                                </details>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::linkify;

    #[test]
    fn links_are_split_out_of_text() {
        let parts = linkify("open https://a.example/x?y=1 now\nor http://b.example");
        assert_eq!(
            parts,
            vec![
                (false, "open ".into()),
                (true, "https://a.example/x?y=1".into()),
                (false, " now\nor ".into()),
                (true, "http://b.example".into()),
            ]
        );
        assert_eq!(linkify("no links"), vec![(false, "no links".into())]);
    }
}
