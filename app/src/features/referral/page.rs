use super::api::{get_invite, get_referrals};
use super::texts::ReferralTexts;
use super::{Referral, ReferralState};
use crate::components::status::Loaded;
use crate::features::login::MemberPage;
use crate::i18n::service_kind_name as kind_name;
use crate::i18n::{format_date, format_yen, t, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn state_label(tr: &'static ReferralTexts, s: ReferralState) -> (&'static str, &'static str) {
    match s {
        ReferralState::Applied => (tr.state_applied, "badge badge-info"),
        ReferralState::Connected => (tr.state_connected, "badge badge-warn"),
        ReferralState::Rewarded => (tr.state_rewarded, "badge badge-ok"),
    }
}

/// `/contract/referral`: お友だち紹介. The code, the link and its QR code (an SVG drawn
/// on the server), how it works, and the referrals with their state and reward.
#[component]
pub fn ReferralPage() -> impl IntoView {
    let tr = super::texts::t();
    let tx = t();
    let overview = Resource::new(|| (), |_| get_referrals());
    view! {
        <MemberPage title=tx.menu_contract_referral>
            <Loaded resource=overview children=move |o| view! {
                <div class="max-w-3xl space-y-4">
                    <p>{tr.lead}</p>
                    <section class="card grid gap-4 sm:grid-cols-[1fr_auto]">
                        <div class="min-w-0 space-y-3">
                            <div>
                                <h2 class="card-title">{tr.code}</h2>
                                <p class="font-mono text-2xl font-bold tracking-widest" data-testid="referral-code">{o.code.clone()}</p>
                            </div>
                            <div>
                                <h2 class="card-title">{tr.link}</h2>
                                <p><a class="link inline-block min-h-11 py-2.5" href=o.link.clone() data-testid="referral-link">{link_text(&o.link)}</a></p>
                            </div>
                        </div>
                        <figure class="justify-self-center text-center">
                            <div class="h-48 w-48 [&>svg]:h-full [&>svg]:w-full" inner_html=o.qr_svg.clone()></div>
                            <figcaption class="mt-1 max-w-48 text-xs text-slate-600">{tr.qr_help}</figcaption>
                        </figure>
                    </section>
                    <section class="card">
                        <h2 class="card-title">{tr.how_title}</h2>
                        <ol class="list-decimal space-y-1 pl-6">
                            {(tr.how)(&format_yen(tx, o.reward_each)).into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                        </ol>
                    </section>
                    <section class="card">
                        <h2 class="card-title">{tr.list_title}</h2>
                        {if o.referrals.is_empty() {
                            view! { <p>{tr.none}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="divide-y divide-slate-200" data-testid="referrals">
                                    {o.referrals.iter().map(|r| view! { <ReferralRow referral=r.clone()/> }).collect_view()}
                                </ul>
                                <p class="mt-3 font-bold" data-testid="referral-total">{(tr.total)(&format_yen(tx, o.rewarded_total))}</p>
                            }.into_any()
                        }}
                    </section>
                </div>
            }/>
        </MemberPage>
    }
}

#[component]
fn ReferralRow(referral: Referral) -> impl IntoView {
    let tr = super::texts::t();
    let tx = t();
    let locale = use_locale();
    let r = referral;
    let (label, class) = state_label(tr, r.state);
    let reward = match &r.rewarded_on {
        Some(d) if r.state == ReferralState::Rewarded => {
            (tr.reward_given)(&format_yen(tx, r.reward), &format_date(locale, d))
        }
        _ => format!(
            "{}{}",
            format_yen(tx, r.reward),
            crate::i18n::parenthesized(use_locale(), tr.reward_after)
        ),
    };
    view! {
        <li class="grid gap-1 py-3 sm:grid-cols-[9rem_1fr_auto] sm:items-start sm:gap-4" data-testid="referral">
            <p class="text-sm text-slate-700">
                <span class="sr-only">{tr.col_applied} </span>{format_date(locale, &r.applied_on)}
            </p>
            <div>
                <p class="font-bold"><span lang="ja">{r.friend.clone()}</span> <span class="font-normal">{crate::i18n::parenthesized(use_locale(), kind_name(tx, &r.service_kind))}</span></p>
                <p class="text-sm"><span class="text-slate-700">{tr.col_reward} ": "</span>{reward}</p>
            </div>
            <p><span class=class>{label}</span></p>
        </li>
    }
}

/// `/invite?code=XXXX-XXXX`: the public page a referral link opens. It explains the
/// offer and how to apply; it never names the referrer.
#[component]
pub fn InvitePage() -> impl IntoView {
    let prefs = crate::context::PagePrefs::current();
    let tr = super::texts::t();
    let query = use_query_map();
    let invite = Resource::new(move || query.read().get("code").unwrap_or_default(), get_invite);
    view! {
        <h1 class="page-title">{tr.invite_title}</h1>
        <Suspense fallback=|| view! { <crate::components::status::Loading/> }>
        {move || invite.get().map(|r| match r {
            Ok(code) => view! {
                <section class="card max-w-2xl space-y-3">
                    <p data-testid="invite-lead">{(tr.invite_lead)(&code)}</p>
                    <p>{tr.invite_how}</p>
                    <p class="font-bold">{(tr.invite_contact)(&prefs.support_phone, &prefs.support_hours)}</p>
                </section>
            }.into_any(),
            Err(_) => {
                #[cfg(feature = "ssr")]
                crate::ssr::set_status(404);
                view! { <p class="alert alert-error max-w-2xl" role="alert">{tr.invite_unknown}</p> }.into_any()
            }
        })}
        </Suspense>
    }
}

/// A referral link as shown: it may wrap before its query (a narrow phone), never inside
/// the code.
fn link_text(link: &str) -> impl IntoView {
    let (path, query) = link.split_at(link.find('?').unwrap_or(link.len()));
    view! { {path.to_string()}<wbr/><span class="whitespace-nowrap">{query.to_string()}</span> }
}
