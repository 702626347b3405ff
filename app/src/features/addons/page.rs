use super::api::{get_addon_quote, get_addons, ApplyAddon, CancelAddon};
use super::texts::AddonTexts;
use super::{routes, Addon, AddonStep, Subscription};
use crate::components::form::{field_error, form_error, form_message, FormAlert, PasswordAgain, Submit};
use crate::components::status::{ErrorNotice, Loaded};
use crate::error::AppError;
use crate::features::login::{MemberPage, RequireLogin};
use crate::i18n::{catalogue_name, format_date, format_yen, t, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the last apply or cancel did (`?applied=…`, `?cancelled=1`, `?error=…`).
#[component]
fn Outcome(addons: Vec<Addon>) -> impl IntoView {
    let ta = super::texts::t();
    let query = use_query_map();
    let error = form_error();
    let applied = query.read_untracked().get("applied");
    let cancelled = query.read_untracked().get("cancelled").is_some();
    let applied = applied.and_then(|code| {
        addons.iter().find(|a| a.code == code).map(|a| (ta.applied)(&catalogue_name(use_locale(), &a.name)))
    });
    view! {
        {applied.map(|m| view! { <p class="alert alert-info" role="status" data-testid="addon-applied">{m}</p> })}
        {cancelled.then(|| view! { <p class="alert alert-info" role="status" data-testid="addon-cancelled">{ta.cancelled}</p> })}
        {move || error.get().map(|e| view! {
            <p class="alert alert-error" role="alert" data-testid="addon-error">
                {match e {
                    AppError::Pending => ta.err_already,
                    AppError::FlowExpired => ta.err_cancel,
                    AppError::Forbidden => ta.err_not_eligible,
                    e => form_message(t(), &e).unwrap_or(t().error_generic),
                }}
            </p>
        })}
    }
}

/// The cancel of a subscription, behind a disclosure that says when it ends and what
/// it still costs (no JavaScript needed).
#[component]
fn CancelBox(sub: Subscription, kind: String, label: String) -> impl IntoView {
    let ta = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let action = ServerAction::<CancelAddon>::new();
    let end = format_date(locale, &sub.cancel_end);
    let cost = (sub.cancel_cost.0 > 0).then(|| format_yen(tx, sub.cancel_cost));
    view! {
        <details class="mt-3 print:hidden">
            <summary class="btn-ghost cursor-pointer" aria-label=label data-testid="addon-cancel-open">{ta.cancel}</summary>
            <ActionForm action=action attr:class="mt-2 space-y-2">
                <input type="hidden" name="id" value=sub.id.clone()/>
                <input type="hidden" name="kind" value=kind/>
                <input type="hidden" name="ends" value=sub.cancel_end.clone()/>
                <p data-testid="addon-cancel-confirm">{(ta.cancel_confirm)(&end, cost.as_deref(), sub.ends_with_service)}</p>
                <Submit label=ta.cancel_button/>
            </ActionForm>
        </details>
    }
}

fn state_badge(ta: &'static AddonTexts, sub: &Subscription, locale: crate::i18n::Locale) -> impl IntoView {
    match (&sub.step, &sub.ended_on) {
        (AddonStep::Cancelled, Some(end)) => view! {
            <span class="badge badge-warn" data-testid="addon-state">{(ta.ends_on)(&format_date(locale, end))}</span>
        }.into_any(),
        _ => view! { <span class="badge badge-ok" data-testid="addon-state">{ta.subscribed}</span> }.into_any(),
    }
}

/// `/settings/security`: インターネットセキュリティサービスの設定・変更. What it is, its
/// fee and devices; for a subscriber the subscription, the licence key, the install
/// guide per OS and the cancel; for a customer without internet, why not.
#[component]
pub fn SecurityPage() -> impl IntoView {
    let ta = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let overview = Resource::new(|| (), |_| get_addons("security".into()));
    view! {
        <MemberPage title=tx.menu_settings_security>
            <Loaded resource=overview children=move |o| {
                let addon = o.addons.first().cloned();
                view! {
                    <div class="max-w-3xl space-y-4">
                        <Outcome addons=o.addons.clone()/>
                        {addon.map(|a| {
                            let sub = a.subscription.clone();
                            view! {
                                <section class="card" data-testid="addon" data-code=a.code.clone()>
                                    <h2 class="card-title flex flex-wrap items-center gap-2">
                                        <span>{ta.security_name}</span>
                                        {sub.as_ref().map(|s| state_badge(ta, s, locale))}
                                    </h2>
                                    <p class="mb-3">{ta.security_lead}</p>
                                    <dl class="mb-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                                        <dt class="font-bold">{ta.fee}</dt>
                                        <dd class="tabular-nums" data-testid="addon-fee">{format_yen(tx, a.monthly_fee)}</dd>
                                        <dt class="font-bold">{ta.devices}</dt>
                                        <dd data-testid="addon-devices">{(ta.devices_n)(a.devices)}</dd>
                                        {sub.as_ref().map(|s| view! {
                                            <dt class="font-bold">{ta.started_on}</dt>
                                            <dd>{format_date(locale, &s.started_on)}</dd>
                                        })}
                                    </dl>
                                    <p class="text-sm">{ta.os_title}</p>
                                    {match (sub.clone(), o.eligible) {
                                        (Some(s), _) => view! {
                                            <div class="mt-3 rounded border border-slate-300 p-3">
                                                <p class="font-bold">{ta.licence_key}</p>
                                                <p class="break-words font-mono text-lg tracking-wider" data-testid="licence-key">
                                                    {s.licence_key.clone().unwrap_or_default()}
                                                </p>
                                                <p class="text-xs text-slate-600">{ta.licence_help}</p>
                                            </div>
                                            {(s.step == AddonStep::Active).then(|| view! {
                                                <CancelBox sub=s.clone() kind=a.kind.clone() label=format!("{} {}", ta.security_name, ta.cancel)/>
                                            })}
                                        }.into_any(),
                                        (None, true) => view! {
                                            <a class="btn mt-3" href=routes::apply(&a.code) data-testid="addon-apply">{ta.apply}</a>
                                        }.into_any(),
                                        (None, false) => view! {
                                            <p class="alert alert-info mt-3" data-testid="addon-not-eligible">{ta.security_not_eligible}</p>
                                        }.into_any(),
                                    }}
                                </section>
                                <section class="card">
                                    <h2 class="card-title">{ta.security_features_title}</h2>
                                    <ul class="list-disc space-y-1 pl-6">
                                        {ta.security_features.iter().map(|f| view! { <li>{*f}</li> }).collect_view()}
                                    </ul>
                                    <p class="mt-2 text-sm text-slate-600">{ta.security_os_note}</p>
                                </section>
                                {sub.is_some().then(|| view! {
                                    <section class="card" data-testid="install-guide">
                                        <h2 class="card-title">{ta.install_title}</h2>
                                        {ta.install.iter().map(|(os, steps)| view! {
                                            <h3 class="mt-3 font-bold">{*os}</h3>
                                            <ol class="list-decimal space-y-1 pl-6 text-sm">
                                                {steps.iter().map(|s| view! { <li>{*s}</li> }).collect_view()}
                                            </ol>
                                        }).collect_view()}
                                    </section>
                                })}
                            }
                        })}
                    </div>
                }.into_any()
            }/>
        </MemberPage>
    }
}

/// `/contract/channels`: オプションチャンネル. The catalogue with genre, fee and minimum
/// term, each channel's state, apply and cancel; for a customer without TV, why not.
#[component]
pub fn ChannelsPage() -> impl IntoView {
    let ta = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let overview = Resource::new(|| (), |_| get_addons("channel".into()));
    view! {
        <MemberPage title=tx.menu_contract_option_channels>
            <Loaded resource=overview children=move |o| view! {
                <div class="max-w-3xl space-y-4">
                    <Outcome addons=o.addons.clone()/>
                    <p>{ta.channels_lead}</p>
                    {(!o.eligible).then(|| view! {
                        <p class="alert alert-info" data-testid="addon-not-eligible">{ta.channels_not_eligible}</p>
                    })}
                    <ul class="space-y-3">
                        {o.addons.iter().map(|a| {
                            let sub = a.subscription.clone();
                            view! {
                                <li class="card" data-testid="addon" data-code=a.code.clone()>
                                    <h2 class="card-title flex flex-wrap items-center gap-2">
                                        <span>{catalogue_name(locale, &a.name)}</span>
                                        {sub.as_ref().map(|s| state_badge(ta, s, locale))}
                                    </h2>
                                    <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                                        <dt class="font-bold">{ta.genre}</dt><dd>{catalogue_name(locale, &a.genre)}</dd>
                                        <dt class="font-bold">{ta.fee}</dt><dd class="tabular-nums">{format_yen(tx, a.monthly_fee)}</dd>
                                        <dt class="font-bold">{ta.min_term}</dt>
                                        <dd>{if a.min_months > 0 { (ta.min_term_n)(a.min_months) } else { ta.no_min_term.to_string() }}</dd>
                                        {sub.as_ref().map(|s| view! {
                                            <dt class="font-bold">{ta.started_on}</dt><dd>{format_date(locale, &s.started_on)}</dd>
                                        })}
                                    </dl>
                                    {match sub {
                                        Some(s) if s.step == AddonStep::Active => view! {
                                            <CancelBox sub=s kind=a.kind.clone() label=format!("{} {}", catalogue_name(locale, &a.name), ta.cancel)/>
                                        }.into_any(),
                                        Some(_) => ().into_any(),
                                        None if o.eligible => view! {
                                            <a class="btn-ghost mt-3 inline-flex" href=routes::apply(&a.code)
                                                aria-label=format!("{} {}", catalogue_name(locale, &a.name), ta.apply) data-testid="addon-apply">{ta.apply}</a>
                                        }.into_any(),
                                        None => ().into_any(),
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }/>
        </MemberPage>
    }
}

/// `/addons/apply?code=…`: the terms and `利用規約に同意する` (a plain GET form), then
/// (`&agree=1`) the summary: fee, start, first month, minimum term, `申し込む`.
#[component]
pub fn AddonApplyPage() -> impl IntoView {
    let ta = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let query = use_query_map();
    let code = move || query.read().get("code").unwrap_or_default();
    let agreed = move || query.read().get("agree").as_deref() == Some("1");
    let quote = Resource::new(code, get_addon_quote);
    let action = ServerAction::<ApplyAddon>::new();
    let error = form_error();
    view! {
        <RequireLogin>
            {move || quote.get().map(|r| match r {
                Ok(q) => {
                    let a = q.addon.clone();
                    let home = routes::home(&a.kind);
                    let agree_error = field_error(tx, error, "agree");
                    view! {
                        <h1 class="page-title">{(ta.apply_title)(&catalogue_name(use_locale(), &a.name))}</h1>
                        <div class="max-w-2xl space-y-4">
                            {if agreed() {
                                let (days, of_days) = q.first_month_days;
                                view! {
                                    <section class="card">
                                        <h2 class="card-title">{ta.summary_title}</h2>
                                        <dl class="summary mb-4" data-testid="addon-summary">
                                            <dt class="font-bold">{ta.fee}</dt><dd class="tabular-nums">{format_yen(tx, a.monthly_fee)}</dd>
                                            {(a.devices > 0).then(|| view! {
                                                <dt class="font-bold">{ta.devices}</dt><dd>{(ta.devices_n)(a.devices)}</dd>
                                            })}
                                            <dt class="font-bold">{ta.starts_on}</dt><dd>{format_date(locale, &q.starts_on)}</dd>
                                            <dt class="font-bold">{ta.first_month}</dt>
                                            <dd class="tabular-nums">
                                                {format_yen(tx, q.first_month)}
                                                {(days < of_days).then(|| view! { <span class="ml-2 text-xs text-slate-600">{(crate::features::billing::texts::t().prorated)(days, of_days)}</span> })}
                                            </dd>
                                            <dt class="font-bold">{ta.min_term}</dt>
                                            <dd>{if a.min_months > 0 { (ta.min_term_n)(a.min_months) } else { ta.no_min_term.to_string() }}</dd>
                                            {q.earliest_end.clone().map(|e| view! {
                                                <dt class="font-bold">{ta.earliest_end}</dt><dd>{format_date(locale, &e)}</dd>
                                            })}
                                        </dl>
                                        {q.ends_with_service.clone().map(|e| view! {
                                            <p class="mb-4 text-sm font-bold" data-testid="addon-ends-with-service">{(ta.ends_with_service)(&format_date(locale, &e))}</p>
                                        })}
                                        <FormAlert error=error/>
                                        <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                                            <input type="hidden" name="code" value=a.code.clone()/>
                                            <input type="hidden" name="key" value=q.submit_key.clone()/>
                                            <input type="hidden" name="agree" value="1"/>
                                            <input type="hidden" name="starts_on" value=q.starts_on.clone()/>
                                            <input type="hidden" name="quoted" value=q.quoted.clone()/>
                                            <PasswordAgain needed=q.needs_password lead=ta.password_lead error=error/>
                                            <div class="flex flex-wrap items-center gap-4">
                                                <Submit label=ta.apply/>
                                                <a class="link link-action" href=routes::apply(&a.code)>{tx.back}</a>
                                            </div>
                                        </ActionForm>
                                    </section>
                                }.into_any()
                            } else {
                                view! {
                                    <section class="card">
                                        <h2 class="card-title">{ta.terms_title}</h2>
                                        <div class="mb-4 max-h-64 space-y-2 overflow-y-auto rounded border border-slate-300 p-3 text-sm" tabindex="0"
                                            role="region" aria-label=ta.terms_title data-testid="addon-terms">
                                            {ta.terms.iter().map(|s| view! { <p>{*s}</p> }).collect_view()}
                                        </div>
                                        <form method="get" action=routes::APPLY class="space-y-4">
                                            <input type="hidden" name="code" value=a.code.clone()/>
                                            <label class="flex min-h-11 cursor-pointer items-center gap-3">
                                                <input type="checkbox" name="agree" value="1" required
                                                    aria-invalid=move || agree_error.get().map(|_| "true")/>
                                                <span>{ta.agree}</span>
                                            </label>
                                            {move || agree_error.get().map(|_| view! {
                                                <p class="text-sm font-bold text-red-700" role="alert">{ta.agree_required}</p>
                                            })}
                                            <div class="flex flex-wrap items-center gap-4">
                                                <button type="submit" class="btn">{tx.next}</button>
                                                <a class="link link-action" href=home>{tx.back}</a>
                                            </div>
                                        </form>
                                    </section>
                                }.into_any()
                            }}
                        </div>
                    }.into_any()
                }
                Err(e) => {
                    let message = match e {
                        AppError::Pending => Some(ta.err_already),
                        AppError::Forbidden => Some(ta.err_not_eligible),
                        _ => None,
                    };
                    match message {
                        Some(m) => view! {
                            <h1 class="page-title">{tx.menu_contract_option_channels}</h1>
                            <p class="alert alert-error max-w-2xl" role="alert" data-testid="addon-error">{m}</p>
                        }.into_any(),
                        None => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                }
            })}
        </RequireLogin>
    }
}
