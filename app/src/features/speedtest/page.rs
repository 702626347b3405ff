use super::api::get_speed_overview;
use super::{SpeedOverview, SpeedResult};
use crate::components::card::DataTable;
use crate::components::status::ErrorNotice;
use crate::domain::speedtest::{bufferbloat_grade, format_mbps, format_ms, share_of_plan};
use crate::features::login::MemberPage;
use crate::i18n::{catalogue_name, format_datetime, t, use_locale, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A plan's nominal speed for people: `1Gbps`, `300Mbps`.
fn plan_speed(mbps: i64) -> String {
    if mbps >= 1_000 && mbps % 1_000 == 0 {
        format!("{}Gbps", mbps / 1_000)
    } else {
        format!("{mbps}Mbps")
    }
}

/// `/help/speedtest`: イッツコム 通信速度測定. The plan, the measuring island, the
/// result asked for (`?result=`) with its comparisons, and the history with a chart.
/// `?duration=N` (2–15 s a direction, never below `SPEEDTEST_MIN_SECONDS`) shortens the
/// test, for the end-to-end suite.
#[component]
pub fn SpeedTestPage() -> impl IntoView {
    let ts = super::texts::t();
    let query = use_query_map();
    let overview = Resource::new(move || query.read().get("result"), get_speed_overview);
    let asked = query.read_untracked().get("duration").and_then(|d| d.parse::<u32>().ok());
    view! {
        <MemberPage title=ts.title>
            {move || overview.get().map(|r| match r {
                Ok(o) => {
                    let seconds = crate::domain::speedtest::test_seconds(asked, o.min_seconds);
                    view! { <Overview o=o seconds=seconds/> }.into_any()
                }
                Err(crate::error::AppError::NotFound) => {
                    #[cfg(feature = "ssr")]
                    crate::ssr::set_status(404);
                    view! {
                        <p class="alert alert-error max-w-3xl" role="alert" data-testid="speed-unknown">{ts.unknown_result}</p>
                        <a class="link link-action" href=super::routes::SPEEDTEST>{ts.title}</a>
                    }.into_any()
                }
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </MemberPage>
    }
}

#[component]
fn Overview(o: SpeedOverview, seconds: u32) -> impl IntoView {
    let ts = super::texts::t();
    let locale = use_locale();
    let plan = match (&o.plan_name, o.plan_mbps) {
        (Some(name), mbps) => (ts.plan_value)(&catalogue_name(locale, name), mbps.map(plan_speed).as_deref()),
        (None, _) => ts.no_plan.to_string(),
    };
    view! {
        <div class="max-w-3xl space-y-4">
            <p>{ts.lead}</p>
            <p><span class="font-bold">{ts.plan} ": "</span><span data-testid="speed-plan">{plan}</span></p>
            {o.shown.clone().map(|s| view! { <ResultCard result=s change=o.change_from_history/> })}
            <section class="card print:hidden" aria-labelledby="meter-title">
                <h2 id="meter-title" class="card-title">{ts.meter_title}</h2>
                <noscript><p class="alert alert-error" role="alert" data-testid="speed-noscript">{ts.noscript}</p></noscript>
                <MeterView seconds=seconds scale_mbps=o.plan_mbps.unwrap_or(1_000) available=o.meter.is_some()/>
                {o.meter.clone().map(|m| view! { <MeterScript js=m.js wasm=m.wasm/> })}
                <p class="mt-3 text-sm text-slate-600">{ts.note}</p>
            </section>
            <History history=o.history.clone() locale=locale/>
        </div>
    }
}

/// One result: the figures, against the plan and against the customer's own history,
/// and the link that attaches it to an inquiry.
#[component]
fn ResultCard(result: SpeedResult, change: Option<i64>) -> impl IntoView {
    let ts = super::texts::t();
    let locale = use_locale();
    let m = result.measured;
    let vs_plan = match (&result.plan_name, result.plan_mbps) {
        (Some(name), Some(mbps)) => {
            Some((ts.vs_plan)(&catalogue_name(locale, name), share_of_plan(m.download_kbps, mbps)))
        }
        _ => None,
    };
    let vs_history = match change {
        None => ts.vs_history_none.to_string(),
        Some(p) if p >= 5 => (ts.vs_history_faster)(p),
        Some(p) if p <= -5 => (ts.vs_history_slower)(-p),
        Some(_) => ts.vs_history_same.to_string(),
    };
    let grade = m.loaded_us.map(|l| bufferbloat_grade(m.ping_us as f64 / 1_000.0, l as f64 / 1_000.0));
    view! {
        <section class="card" data-testid="speed-result" aria-labelledby="speed-result-title">
            <h2 id="speed-result-title" class="card-title">{(ts.result_title)(&format_datetime(locale, result.finished_at))}</h2>
            <dl class="grid grid-cols-2 gap-3 sm:grid-cols-4">
                <Figure label=ts.download value=format_mbps(m.download_kbps) unit=ts.mbps testid="result-download"/>
                <Figure label=ts.upload value=format_mbps(m.upload_kbps) unit=ts.mbps testid="result-upload"/>
                <Figure label=ts.ping value=format_ms(m.ping_us) unit=ts.ms testid="result-ping"/>
                <Figure label=ts.jitter value=format_ms(m.jitter_us) unit=ts.ms testid="result-jitter"/>
            </dl>
            {m.loaded_us.zip(grade).map(|(l, g)| view! {
                <div class="mt-3 rounded border border-slate-300 p-3">
                    <p>
                        <span class="font-bold">{ts.loaded} ": "</span>
                        <span data-testid="result-loaded">{format_ms(l)} " " {ts.ms}</span>
                        " — " {ts.grade} " "
                        <span class="badge badge-info" data-testid="result-grade">{g}</span>
                    </p>
                    <p class="text-sm">{(ts.grade_help)(g)}{crate::i18n::sentence_gap(crate::i18n::t())}{ts.loaded_help}</p>
                </div>
            })}
            {vs_plan.map(|v| view! {
                <p class="mt-3 font-bold" data-testid="result-vs-plan">{v}</p>
                <p class="text-xs text-slate-600">{ts.vs_plan_note}</p>
            })}
            <p class="mt-2" data-testid="result-vs-history">{vs_history}</p>
            {if result.verified {
                view! {
                    <p class="mt-3 print:hidden">
                        <a class="btn-ghost" href=super::routes::attach_to_inquiry(&result.id) data-testid="result-attach">{ts.attach}</a>
                    </p>
                }.into_any()
            } else {
                view! { <p class="alert mt-3" data-testid="result-unverified">{ts.unverified}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Figure(label: &'static str, value: String, unit: &'static str, testid: &'static str) -> impl IntoView {
    view! {
        <div>
            <dt class="text-sm text-slate-700">{label}</dt>
            <dd class="text-2xl font-bold tabular-nums"><span data-testid=testid>{value}</span> <span class="text-sm font-normal">{unit}</span></dd>
        </div>
    }
}

/// The customer's results: a chart (download and upload bars, oldest left) drawn as
/// SVG on the server, and the table beside it.
#[component]
fn History(history: Vec<SpeedResult>, locale: Locale) -> impl IntoView {
    let ts = super::texts::t();
    if history.is_empty() {
        return view! {
            <section class="card">
                <h2 class="card-title">{ts.history_title}</h2>
                <p data-testid="speed-history-none">{ts.history_none}</p>
            </section>
        }
        .into_any();
    }
    let chart = chart_svg(&history);
    view! {
        <section class="card">
            <h2 class="card-title">{ts.history_title}</h2>
            <figure class="mb-3">
                <div role="img" aria-label=ts.chart_label class="w-full overflow-hidden" inner_html=chart></div>
                <figcaption class="mt-1 flex gap-4 text-xs">
                    <span><span class="inline-block h-2 w-3 bg-teal-700" aria-hidden="true"></span> {ts.download}</span>
                    <span><span class="inline-block h-2 w-3 bg-amber-500" aria-hidden="true"></span> {ts.upload}</span>
                </figcaption>
            </figure>
            <DataTable testid="speed-history"
                columns=vec![(ts.col_when, false), (ts.col_down, true), (ts.col_up, true), (ts.col_ping, true)]>
                        {history.into_iter().map(|h| view! {
                            <tr data-testid="speed-history-row">
                                // Each word of the date and time on one line: 2026年12月7日 and 01:49 never split
                                // inside themselves (the time may go under the date).
                                <td class="py-1 pr-2"><a class="link inline-flex min-h-11 flex-wrap items-center gap-x-3" href=super::routes::result(&h.id)>
                                    {format_datetime(locale, h.finished_at).split(' ').map(|w| view! { <span class="whitespace-nowrap">{w.to_string()}</span> }).collect_view()}
                                </a></td>
                                <td class="whitespace-nowrap py-1 pr-2 text-right tabular-nums">{format_mbps(h.measured.download_kbps)} " " {ts.mbps}</td>
                                <td class="whitespace-nowrap py-1 pr-2 text-right tabular-nums">{format_mbps(h.measured.upload_kbps)} " " {ts.mbps}</td>
                                <td class="whitespace-nowrap py-1 text-right tabular-nums">{format_ms(h.measured.ping_us)} " " {ts.ms}</td>
                            </tr>
                        }).collect_view()}
            </DataTable>
        </section>
    }
    .into_any()
}

/// Bars of download and upload per result, oldest left, scaled to the largest.
fn chart_svg(history: &[SpeedResult]) -> String {
    let (w, h, pad) = (600.0_f64, 160.0_f64, 4.0_f64);
    let max = history
        .iter()
        .map(|r| r.measured.download_kbps.max(r.measured.upload_kbps))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let n = history.len() as f64;
    let slot = (w - 2.0 * pad) / n;
    let bar = (slot / 2.0 - 2.0).clamp(1.0, 24.0);
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" height="{h}" preserveAspectRatio="none" aria-hidden="true" focusable="false"><line x1="0" y1="{y}" x2="{w}" y2="{y}" stroke="#94a3b8"/>"##,
        y = h - pad
    );
    for (i, r) in history.iter().rev().enumerate() {
        let x = pad + i as f64 * slot + slot / 2.0 - bar;
        for (k, (kbps, color)) in [(r.measured.download_kbps, "#0f766e"), (r.measured.upload_kbps, "#f59e0b")]
            .into_iter()
            .enumerate()
        {
            let bh = ((kbps as f64 / max) * (h - 2.0 * pad)).max(1.0);
            out.push_str(&format!(
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{color}"/>"#,
                x + k as f64 * bar,
                h - pad - bh,
                bar,
                bh
            ));
        }
    }
    out.push_str("</svg>");
    out
}

/// The meter as the server renders it: the gauge, a progress bar per phase, the live
/// figures and the start button (disabled until the measuring module enables it). Its
/// words and settings are `data-*` attributes the module reads.
#[component]
fn MeterView(seconds: u32, scale_mbps: i64, available: bool) -> impl IntoView {
    let ts = super::texts::t();
    let tx = t();
    let figure = |label: &'static str, unit: &'static str, id: &'static str| {
        view! {
            <div>
                <dt class="text-sm text-slate-700">{label}</dt>
                <dd class="text-xl font-bold tabular-nums">
                    <span id=id data-testid=id>"–"</span> " " <span class="text-sm font-normal">{unit}</span>
                </dd>
            </div>
        }
    };
    let bar = |label: &'static str, id: &'static str| {
        view! {
            <div>
                <p class="text-sm" id=format!("{id}-label")>{label}</p>
                <progress id=id class="meter" max="100" value="0" aria-labelledby=format!("{id}-label")></progress>
            </div>
        }
    };
    view! {
        // Without JavaScript nothing here works: only the <noscript> message shows.
        <div id="speedtest" class="js-only" data-testid="speedtest" data-seconds=seconds.to_string() data-scale=scale_mbps.to_string()
            data-phase-ping=ts.phase_ping data-phase-download=ts.phase_download data-phase-upload=ts.phase_upload
            data-phase-saving=ts.phase_saving data-err-busy=ts.err_busy data-err-throttled=ts.err_throttled data-err-full=ts.err_full data-err-unavailable=ts.err_unavailable data-err-session=tx.err_session_ended
            data-err-failed=ts.err_failed data-err-load=ts.err_load>
            <div class="grid items-center gap-4 sm:grid-cols-[14rem_1fr]">
                <figure class="text-center">
                    <svg viewBox="0 0 200 110" class="mx-auto w-56 max-w-full" aria-hidden="true" focusable="false">
                        <path d="M 10 100 A 90 90 0 0 1 190 100" fill="none" stroke="#e2e8f0" stroke-width="16" stroke-linecap="round"/>
                        <path id="speed-gauge-fill" d="M 10 100 A 90 90 0 0 1 190 100" fill="none" stroke="#0f766e" stroke-width="16"
                            stroke-linecap="round" pathLength="100" stroke-dasharray="0 200"/>
                    </svg>
                    <figcaption>
                        <span class="sr-only">{ts.gauge_label} </span>
                        <span class="text-3xl font-bold tabular-nums" id="speed-now" data-testid="speed-now">"0.0"</span>
                        " " {ts.mbps}
                    </figcaption>
                </figure>
                <div class="space-y-2">
                    <p class="min-h-6 font-bold" id="speed-phase" role="status" aria-live="polite" data-testid="speed-phase"></p>
                    {bar(ts.ping, "progress-ping")}
                    {bar(ts.download, "progress-download")}
                    {bar(ts.upload, "progress-upload")}
                </div>
            </div>
            <dl class="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-5">
                {figure(ts.download, ts.mbps, "live-download")}
                {figure(ts.upload, ts.mbps, "live-upload")}
                {figure(ts.ping, ts.ms, "live-ping")}
                {figure(ts.jitter, ts.ms, "live-jitter")}
                {figure(ts.loaded, ts.ms, "live-loaded")}
            </dl>
            // Without the module (not built) the page says so at once, as when it
            // cannot be fetched.
            <p id="speed-error" class="alert alert-error mt-3" role="alert" data-testid="speed-error" hidden=available>
                {(!available).then_some(ts.err_load)}
            </p>
            <button type="button" id="speed-start" class="btn js-only mt-4" data-testid="speed-start" disabled>{ts.start}</button>
        </div>
    }
}

/// Loads the measuring module (this page only), with this response's CSP nonce.
#[component]
fn MeterScript(js: String, wasm: String) -> impl IntoView {
    // Paths the build wrote (content-hashed names): nothing a customer sent. A module
    // that cannot be fetched says so at the meter (the button stays disabled).
    let code = format!(
        "import(\"{js}\").then(m=>m.default({{module_or_path:\"{wasm}\"}})).catch(()=>{{\
         const e=document.getElementById(\"speed-error\");\
         e.textContent=document.getElementById(\"speedtest\").dataset.errLoad;e.hidden=false;}});"
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce() inner_html=code></script> }
}
