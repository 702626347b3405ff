use super::api::{
    get_mailbox_draft, get_mailbox_list, get_mailbox_reissue, take_mailbox_completion, ChooseSubdomain,
    ChooseVirusCheck, MoreCandidates, RegisterMailbox, ReissueMailboxPassword, SetVirusCheck, StartMailbox,
};
use super::{routes, MailboxDraftView, MailboxRow, MailboxStep};
use crate::components::form::{
    field_error, form_error, Field, FormAlert, LiveChecks, PasswordAgain, PrintButton, Submit,
};
use crate::components::status::ErrorNotice;
use crate::components::step::AtStep;
use crate::domain::mailbox::LocalPart;
use crate::features::login::MemberPage;
use crate::i18n::{field_messages, t};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn on_off(tf: &'static super::texts::MailboxTexts, on: bool) -> &'static str {
    if on {
        tf.on
    } else {
        tf.off
    }
}

/// `/mail`: メールアドレス, the list with the virus check switch and 新規登録.
#[component]
pub fn MailboxListPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let list = Resource::new(|| (), |_| get_mailbox_list());
    let toggle = ServerAction::<SetVirusCheck>::new();
    let toggle_error = form_error();
    view! {
        <MemberPage title=tf.title>
            {move || list.get().map(|r| match r {
                Ok(l) if l.contracts.is_empty() => view! {
                    <p class="alert alert-info max-w-2xl" data-testid="not-eligible">{tf.not_eligible}</p>
                }.into_any(),
                Ok(l) => {
                    // Each contract its own card, named when there is more than one.
                    let named = l.contracts.len() > 1;
                    let limit = l.limit;
                    let cards = l.contracts.into_iter().map(|(contract, mailboxes)| {
                        let n = mailboxes.len() as i64;
                        let new = if named { super::routes::new_for(Some(&contract.service_id)) } else { super::routes::NEW.to_string() };
                        let title = (tf.contract)(&contract.plan_name, &contract.installation_address);
                        // Each 新規登録 says for which contract, where there are several.
                        let new_label = named.then(|| format!("{} {}", title, tf.new));
                        view! {
                            <section class="card max-w-3xl mb-6" data-testid="mailbox-contract">
                                {named.then(|| view! {
                                    <h2 class="mb-2 text-lg font-bold break-words">{title.clone()}</h2>
                                })}
                                <p class="mb-3 text-sm text-slate-700" data-testid="mailbox-count">
                                    {(tf.count)(n, limit)}
                                </p>
                                {if mailboxes.is_empty() {
                                    view! { <p class="mb-4">{tf.none}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="mb-4 divide-y divide-slate-200" data-testid="mailboxes">
                                            {mailboxes.into_iter().map(|m| view! { <MailboxItem mailbox=m action=toggle/> }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                {if n >= limit {
                                    view! { <p class="alert alert-info" data-testid="mailbox-limit">{tx.mb_limit_reached}</p> }.into_any()
                                } else {
                                    view! { <a class="btn" href=new aria-label=new_label>{tf.new}</a> }.into_any()
                                }}
                            </section>
                        }
                    }).collect_view();
                    // What a mail app is set up with, for a new phone long after the
                    // completion (only the password is never shown again).
                    let servers = view! {
                        <section class="card max-w-3xl mb-6" data-testid="mail-servers">
                            <h2 class="card-title">{tf.servers_title}</h2>
                            <p class="mb-3 text-sm text-slate-700">{tf.servers_lead}</p>
                            <dl class="summary"><ServerRows servers=l.servers/></dl>
                        </section>
                    };
                    view! { <FormAlert error=toggle_error/> {cards} {servers} }.into_any()
                }
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </MemberPage>
    }
}

/// The incoming and outgoing servers with their ports, as rows of a `<dl>`.
#[component]
fn ServerRows(servers: super::MailServers) -> impl IntoView {
    let tf = super::texts::t();
    view! {
        <dt class="font-bold">{tf.incoming}</dt>
        <dd class="break-words">
            {servers.incoming_server}
            {servers.incoming_ports.split(" / ").map(|p| view! {
                <span class="block text-sm">{tf.port} ": " <span class="whitespace-nowrap">{p.to_string()}</span></span>
            }).collect_view()}
        </dd>
        <dt class="font-bold">{tf.outgoing}</dt>
        <dd class="break-words">
            {servers.outgoing_server}
            <span class="block text-sm">{tf.port} ": " <span class="whitespace-nowrap">{servers.outgoing_port}</span></span>
        </dd>
    }
}

/// One mailbox: its address and virus check, with the switch and パスワード再発行.
#[component]
fn MailboxItem(mailbox: MailboxRow, action: ServerAction<SetVirusCheck>) -> impl IntoView {
    let tf = super::texts::t();
    let next = if mailbox.virus_check { "off" } else { "on" };
    let label = if mailbox.virus_check { tf.turn_off } else { tf.turn_on };
    let reissue = super::routes::reissue(&mailbox.id);
    let reissue_label = format!("{} {}", mailbox.address, tf.reissue);
    view! {
        <li class="flex flex-wrap items-center justify-between gap-3 py-3">
            <div class="min-w-0">
                <p class="break-all font-bold" data-testid="mailbox-address">{mailbox.address.clone()}</p>
                <p class="text-sm text-slate-700">
                    {tf.virus} ": "
                    <span class=if mailbox.virus_check { "badge badge-ok" } else { "badge badge-warn" } data-testid="virus-state">
                        {on_off(tf, mailbox.virus_check)}
                    </span>
                </p>
            </div>
            <div class="flex flex-wrap items-center gap-2">
                <ActionForm action=action>
                    <input type="hidden" name="mailbox_id" value=mailbox.id.clone()/>
                    <input type="hidden" name="virus_check" value=next/>
                    <button type="submit" class="btn-ghost" disabled=move || action.pending().get()
                        aria-label=format!("{} {} {}", mailbox.address, tf.virus, label)>
                        {tf.virus} " " {label}
                    </button>
                </ActionForm>
                <a class="btn-ghost" href=reissue data-testid="mailbox-reissue" aria-label=reissue_label>
                    {tf.reissue}
                </a>
            </div>
        </li>
    }
}

/// `/mail/new`: step 1, `メールアドレス` (the part before @), checked as typed.
#[component]
pub fn MailboxNewPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let action = ServerAction::<StartMailbox>::new();
    let error = form_error();
    let server = field_error(tx, error, "local_part");
    // The internet contract, for a customer with more than one (the list's link).
    let service = StoredValue::new(use_query_map().with_untracked(|q| q.get("service")).unwrap_or_default());
    view! {
        <MemberPage title=tf.new_title>
            <section class="card max-w-2xl">
                <p class="mb-4">{tf.step1_lead}</p>
                <FormAlert error=error/>
                <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                    <input type="hidden" name="service" value=service.get_value()/>
                    // A box of its own: its island takes none, and the form's space-y parts boxes.
                    <div><LocalPartField error=server.get_untracked()/></div>
                    <div class="flex flex-wrap items-center gap-4">
                        <Submit label=tx.next/>
                        <a class="link link-action" href=super::routes::LIST>{tx.back}</a>
                    </div>
                </ActionForm>
            </section>
        </MemberPage>
    }
}

/// The local part, checked as typed by the same rules as the server ([`LiveChecks`]);
/// the server's message of a failed post shows until the field is typed in.
#[component]
pub fn LocalPartField(error: Option<String>) -> impl IntoView {
    let tf = super::texts::t();
    let messages = field_messages(t(), "local_part", LocalPart::ERRORS);
    view! {
        <LiveChecks>
            <Field id="local_part" label=tf.address hint=tf.local_hint autocomplete="off" maxlength="64"
                keep=true error=Signal::stored(error) check=("local_part", messages)/>
        </LiveChecks>
    }
}

/// `/mail/new/subdomain`: step 2, three candidates, more on request.
#[component]
pub fn MailboxSubdomainPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let draft = Resource::new(|| (), |_| get_mailbox_draft());
    let choose = ServerAction::<ChooseSubdomain>::new();
    let more = ServerAction::<MoreCandidates>::new();
    // Errors of either form (and of a lost race) come back in the URL and show at the list.
    let error = form_error();
    let sub_error = field_error(tx, error, "subdomain");
    view! {
        <MemberPage title=tf.new_title><AtStep step=MailboxStep::Subdomain restart=routes::NEW current=draft children=move |d: MailboxDraftView| {
            let none = d.offered.is_empty();
            view! {
                <section class="card max-w-2xl">
                    <p class="mb-4">{tf.step2_lead}</p>
                    <FormAlert error=error/>
                    {none.then(|| view! { <p class="alert alert-error mb-4" role="alert">{tf.no_candidates}</p> })}
                    <ActionForm action=choose attr:class="space-y-4">
                        <fieldset aria-describedby=move || sub_error.get().map(|_| "subdomain-error")>
                            <legend class="field-label">{tf.candidates}</legend>
                            {d.offered.iter().map(|s| {
                                let address = format!("{}@{}.{}", d.local_part, s, d.domain);
                                view! {
                                    <label class="flex min-h-11 cursor-pointer items-center gap-2 break-all">
                                        <input type="radio" name="subdomain" value=s.clone() class="h-5 w-5 shrink-0"/>
                                        <span data-testid="candidate">{address}</span>
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                        {move || sub_error.get().map(|m| view! {
                            <p id="subdomain-error" class="text-sm font-bold text-red-700" role="alert">{m}</p>
                        })}
                        // Beside the candidates, but it submits the other form (`form=`).
                        <button type="submit" form="more-candidates" class="btn-ghost"
                            disabled=move || more.pending().get()>{tf.more}</button>
                        <div><Submit label=tx.next/></div>
                    </ActionForm>
                    <ActionForm action=more attr:id="more-candidates"><span hidden></span></ActionForm>
                    <p class="mt-4"><a class="link link-action" href=super::routes::NEW>{tx.start_over}</a></p>
                </section>
            }.into_any()
        }/></MemberPage>
    }
}

/// `/mail/new/terms`: step 3, 契約約款 and the virus check.
#[component]
pub fn MailboxTermsPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let draft = Resource::new(|| (), |_| get_mailbox_draft());
    let action = ServerAction::<ChooseVirusCheck>::new();
    let error = form_error();
    let virus_error = field_error(tx, error, "virus_check");
    view! {
        <MemberPage title=tf.new_title><AtStep step=MailboxStep::Terms restart=routes::NEW current=draft children=move |_d: MailboxDraftView| view! {
            <section class="card max-w-2xl">
                <p class="mb-4">{tf.step3_lead}</p>
                <FormAlert error=error/>
                <h2 class="card-title">{tf.terms_title}</h2>
                <div class="mb-4 max-h-48 space-y-2 overflow-y-auto rounded border border-slate-300 p-3 text-sm leading-relaxed"
                    tabindex="0" role="region" aria-label=tf.terms_title data-testid="terms">
                    <p>{tf.terms_1}</p><p>{tf.terms_2}</p><p>{tf.terms_3}</p><p>{tf.terms_4}</p>
                </div>
                <ActionForm action=action attr:class="space-y-4">
                    <fieldset aria-describedby=move || virus_error.get().map(|_| "virus_check-error")>
                        <legend class="field-label">{tf.virus}</legend>
                        <div class="flex gap-6">
                            <label class="flex min-h-11 cursor-pointer items-center gap-2">
                                <input type="radio" name="virus_check" value="on" class="h-5 w-5"/>{tf.on}
                            </label>
                            <label class="flex min-h-11 cursor-pointer items-center gap-2">
                                <input type="radio" name="virus_check" value="off" class="h-5 w-5"/>{tf.off}
                            </label>
                        </div>
                        <p class="text-sm text-slate-600">{tf.virus_note}</p>
                    </fieldset>
                    {move || virus_error.get().map(|m| view! {
                        <p id="virus_check-error" class="text-sm font-bold text-red-700">{m}</p>
                    })}
                    <Submit label=tx.confirm/>
                </ActionForm>
            </section>
        }/></MemberPage>
    }
}

/// `/mail/new/confirm`: step 4, the summary, `登録`.
#[component]
pub fn MailboxConfirmPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let draft = Resource::new(|| (), |_| get_mailbox_draft());
    let action = ServerAction::<RegisterMailbox>::new();
    let error = form_error();
    view! {
        <MemberPage title=tf.new_title><AtStep step=MailboxStep::Confirm restart=routes::NEW current=draft children=move |d: MailboxDraftView| view! {
            <section class="card max-w-2xl">
                <p class="mb-4">{tf.step4_lead}</p>
                // The password is this page's field; an address another window changed
                // since is said above the form.
                <FormAlert error=error fields=&["password"]/>
                <dl class="summary mb-4">
                    <dt class="font-bold">{tf.address}</dt>
                    <dd class="break-words" data-testid="summary-address">
                        {format!("{}@{}.{}", d.local_part, d.subdomain.clone().unwrap_or_default(), d.domain)}
                    </dd>
                    <dt class="font-bold">{tf.virus}</dt>
                    <dd data-testid="summary-virus">{on_off(tf, d.virus_check.unwrap_or(false))}</dd>
                    {d.contract.clone().map(|(plan, address)| view! {
                        <dt class="font-bold">{tf.contract_label}</dt>
                        <dd class="break-words" data-testid="summary-contract">{(tf.contract)(&plan, &address)}</dd>
                    })}
                </dl>
                <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                    // The address shown: another tab's draft since is not registered for it.
                    <input type="hidden" name="address" value=format!("{}@{}.{}", d.local_part, d.subdomain.clone().unwrap_or_default(), d.domain)/>
                    <PasswordAgain needed=d.needs_password lead=tx.password_again_lead error=error/>
                    <Submit label=tx.register/>
                </ActionForm>
                <p class="mt-4"><a class="link link-action" href=super::routes::NEW>{tx.start_over}</a></p>
            </section>
        }/></MemberPage>
    }
}

/// `/mail/password?mailbox=`: メールパスワードの再発行, what it does and `再発行する`
/// (the password again after 5 minutes).
#[component]
pub fn MailboxReissuePage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let query = use_query_map();
    let mailbox = move || query.read().get("mailbox").unwrap_or_default();
    let reissue = Resource::new(mailbox, get_mailbox_reissue);
    let action = ServerAction::<ReissueMailboxPassword>::new();
    let error = form_error();
    view! {
        <MemberPage title=tf.reissue_title>
            {move || reissue.get().map(|r| match r {
                Ok(v) => view! {
                    <section class="card max-w-2xl">
                        <p class="mb-4">{tf.reissue_lead}</p>
                        <FormAlert error=error fields=&["password"]/>
                        <dl class="summary mb-4">
                            <dt class="font-bold">{tf.address}</dt>
                            <dd class="break-words" data-testid="reissue-address">{v.address.clone()}</dd>
                        </dl>
                        <p class="alert alert-info mb-4 font-bold" data-testid="reissue-warning">{tf.reissue_warning}</p>
                        <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                            <input type="hidden" name="mailbox" value=v.mailbox_id.clone()/>
                            <input type="hidden" name="key" value=v.key.clone()/>
                            <PasswordAgain needed=true lead=tx.password_again_lead error=error/>
                            <Submit label=tf.reissue_submit/>
                        </ActionForm>
                        <p class="mt-4"><a class="link link-action" href=super::routes::LIST>{tf.to_list}</a></p>
                    </section>
                }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </MemberPage>
    }
}

/// `/mail/new/done`: step 5, the completion, shown once; `印刷画面へ`.
#[component]
pub fn MailboxDonePage() -> impl IntoView {
    view! { <Completion title=super::texts::t().new_title/> }
}

/// `/mail/password/done`: the password issued again, shown once, as a completion.
#[component]
pub fn MailboxReissueDonePage() -> impl IntoView {
    view! { <Completion title=super::texts::t().reissue_title/> }
}

/// A completion: the address with its password (new, or issued again), shown once.
#[component]
fn Completion(title: &'static str) -> impl IntoView {
    let tf = super::texts::t();
    let done = Resource::new(|| (), |_| take_mailbox_completion());
    view! {
        <MemberPage title=title>
            {move || done.get().map(|r| match r {
                Ok(Some(c)) => view! {
                    <section class="card max-w-2xl print-sheet">
                        <h2 class="card-title">{if c.reissued { tf.reissued_title } else { tf.done_title }}</h2>
                        <p class="alert alert-error mb-4 font-bold" role="alert" data-testid="done-warning">{tf.done_warning}</p>
                        <dl class="summary mb-4">
                            <dt class="font-bold">{tf.address}</dt>
                            <dd class="break-words" data-testid="done-address">{c.address.clone()}</dd>
                            <dt class="font-bold">{if c.reissued { tf.new_password } else { tf.password }}</dt>
                            <dd class="whitespace-nowrap font-mono text-lg tracking-wider" data-testid="done-password">{c.password.clone()}</dd>
                            <ServerRows servers=c.servers/>
                            <dt class="font-bold">{tf.virus}</dt>
                            <dd data-testid="done-virus">{on_off(tf, c.virus_check)}</dd>
                        </dl>
                        {c.more.then(|| view! {
                            // A page of its own: the next visit opens the next one.
                            <p class="no-print alert alert-info mb-4" data-testid="done-more">
                                {tf.done_more} " "
                                <a class="link link-action" href=super::routes::DONE rel="external">{tf.done_next}</a>
                            </p>
                        })}
                        <div class="no-print flex flex-wrap items-center gap-4">
                            <PrintButton>{tf.print}</PrintButton>
                            <a class="link link-action" href=super::routes::LIST>{tf.to_list}</a>
                        </div>
                    </section>
                }.into_any(),
                Ok(None) => view! {
                    <p class="alert alert-info" data-testid="done-gone">{tf.done_gone}</p>
                    <p class="mt-4"><a class="link link-action" href=super::routes::LIST>{tf.to_list}</a></p>
                }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </MemberPage>
    }
}
