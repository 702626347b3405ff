use super::{SpeedOverview, SpeedTicket};
use crate::error::AppError;
use leptos::prelude::*;

/// 通信速度測定: the plan in force, the customer's results and, for `result` (one of
/// theirs; another customer's is NotFound), its comparisons.
#[server(endpoint = "speedtest/overview")]
pub async fn get_speed_overview(result: Option<String>) -> Result<SpeedOverview, AppError> {
    use crate::domain::speedtest::change_from_history;
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let today = crate::domain::billing::Date::of_unix_jst(crate::ssr::now());
    let mut conn = state.db.conn().await?;
    let plan = super::store::plan(&mut conn, &account.customer_no, today).await?;
    let history = super::store::results(&mut conn, &account.customer_no, super::HISTORY).await?;
    let shown = match result.filter(|r| !r.is_empty()) {
        Some(id) => Some(
            super::store::result(&mut conn, &account.customer_no, &id).await?.ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    // Against the tests before it (newest first: those after it in the list).
    let change = shown.as_ref().and_then(|s| {
        let earlier: Vec<i64> = history
            .iter()
            .filter(|h| h.finished_ms < s.finished_ms)
            .map(|h| h.measured.download_kbps)
            .collect();
        change_from_history(s.measured.download_kbps, &earlier)
    });
    let (plan_name, plan_mbps) = match plan {
        Some((name, mbps)) => (Some(name), mbps),
        None => (None, None),
    };
    let meter = super::endpoints::meter_files(&state.leptos_options);
    let min_seconds = state.settings.speedtest_min_seconds as u32;
    Ok(SpeedOverview {
        plan_name,
        plan_mbps,
        history,
        shown,
        change_from_history: change,
        meter,
        min_seconds,
    })
}

/// `測定開始`: a ticket for the measuring endpoints. One running test per account
/// (`Pending`, 409, while another runs), 10 an hour (`TooManyAttempts`, 429), and
/// `SPEEDTEST_MAX_RUNNING` in the cluster (`ServiceUnavailable`, 503: try in a few
/// minutes; it costs no start of the hour).
#[server(endpoint = "speedtest/start")]
pub async fn start_speed_test() -> Result<SpeedTicket, AppError> {
    use crate::ssr::auth::throttle;
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let today = crate::domain::billing::Date::of_unix_jst(t);
    let mut conn = state.db.conn().await?;
    // A test running in another session is refused before it costs a place in the
    // hour's budget (this session's own is replaced by the new one).
    if super::store::running_elsewhere(&mut conn, &account, t).await? {
        return refuse(AppError::Pending);
    }
    let cap = state.settings.speedtest_max_running;
    if super::store::cluster_full(&mut conn, cap, &account.session_hash, t).await? {
        return refuse(AppError::ServiceUnavailable);
    }
    if throttle::reserve(&mut conn, &super::store::TESTS_PER_ACCOUNT, &account.account_id, t).await?
        != throttle::Verdict::Go
    {
        return refuse(AppError::TooManyAttempts);
    }
    // The plan (for the comparison) only for a test that starts.
    let plan = super::store::plan(&mut conn, &account.customer_no, today).await?;
    drop(conn);
    match super::store::start(&state.db, &account, plan, t).await? {
        super::store::Started::Ticket(ticket) => Ok(SpeedTicket { ticket }),
        super::store::Started::Busy => refuse(AppError::Pending),
    }
}

/// The figures of a finished test (`ticket` the one `start_speed_test` gave): stored
/// for the customer's history; the id of the result. Figures out of range are
/// refused (422), a ticket not the account's or expired is `FlowExpired` (409).
#[server(endpoint = "speedtest/finish")]
pub async fn finish_speed_test(
    ticket: String,
    download_kbps: i64,
    upload_kbps: i64,
    ping_us: i64,
    jitter_us: i64,
    loaded_us: Option<i64>,
) -> Result<String, AppError> {
    use crate::domain::speedtest::Measured;
    use crate::domain::FieldError;
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let Some(measured) = (Measured { download_kbps, upload_kbps, ping_us, jitter_us, loaded_us }).check()
    else {
        return refuse(AppError::invalid("measured", FieldError::InvalidFormat));
    };
    let least = state.settings.speedtest_min_seconds;
    let done =
        super::store::finish(&state.db, &account.account_id, &ticket, measured, least, crate::ssr::now())
            .await?;
    super::endpoints::forget(&ticket);
    match done {
        Some(id) => Ok(id),
        None => refuse(AppError::FlowExpired),
    }
}

/// A refusal to the measuring code (a fetch): its status, and the error.
#[cfg(feature = "ssr")]
fn refuse<T>(e: AppError) -> Result<T, AppError> {
    crate::ssr::set_status(e.status());
    Err(e)
}
