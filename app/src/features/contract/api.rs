use super::{ContractOverview, History};
use crate::error::AppError;
use leptos::prelude::*;

/// ご契約情報確認・変更: the logged-in customer's services, terms and devices.
#[server(endpoint = "contract/overview")]
pub async fn get_contract() -> Result<ContractOverview, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let mut conn = state.db.conn().await?;
    let today = crate::domain::billing::Date::of_unix_jst(crate::ssr::now());
    super::store::overview(&mut conn, &account.customer_no, today)
        .await?
        .ok_or_else(|| AppError::internal("an account without its customer"))
}

/// サービス加入・変更履歴, optionally for one of the customer's services.
#[server(endpoint = "contract/history")]
pub async fn get_history(service: Option<String>) -> Result<History, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let mut conn = state.db.conn().await?;
    let filter = service.filter(|s| !s.trim().is_empty());
    let today = crate::domain::billing::Date::of_unix_jst(crate::ssr::now());
    let history =
        super::store::history(&mut conn, &account.customer_no, &account.account_id, filter, today).await?;
    // A service that is not the customer's is not found, as any other.
    if history.filter.as_ref().is_some_and(|f| !history.services.iter().any(|(id, ..)| id == f)) {
        return Err(AppError::NotFound);
    }
    Ok(history)
}

/// The page of a plan change step, for its service (and chosen plan).
pub fn change_page(service: &str, plan: Option<&str>) -> String {
    let enc = crate::paths::encode;
    match plan {
        Some(p) => format!("{}?service={}&plan={}", super::routes::CHANGE, enc(service), enc(p)),
        None => format!("{}?service={}", super::routes::CHANGE, enc(service)),
    }
}

/// The quote as the confirmation page carries it back: its date, the new plan's
/// monthly fee and the 契約解除料. A catalogue fee changed since the page was shown is
/// a quote changed: the customer confirms the fee they are billed.
pub fn quote_key(quote: &crate::domain::contract::PlanChangeQuote, new_fee: crate::domain::Yen) -> String {
    format!("{}:{}:{}", quote.effective_on, new_fee.0, quote.termination_fee.0)
}

/// プラン変更のお申し込み: the customer's service `service`, the plans it may change to
/// and, with `plan`, the quote (new fee, effective date, first month, 契約解除料). Another
/// customer's service, or one not in force, is `NotFound`.
#[server(endpoint = "contract/plan")]
pub async fn get_plan_change(service: String, plan: Option<String>) -> Result<super::PlanChange, AppError> {
    use crate::domain::billing::Date;
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let today = Date::of_unix_jst(t);
    let mut conn = state.db.conn().await?;
    let service = super::store::services(&mut conn, &account.customer_no, today)
        .await?
        .into_iter()
        .find(|s| s.id == service)
        .ok_or(AppError::NotFound)?;
    let options = super::store::plan_options(&mut conn, &service.kind, &service.plan_code).await?;
    // The choice's form sends an empty plan before the chosen one: sent alone, none was.
    let no_plan = plan.as_deref().is_some_and(|p| p.trim().is_empty());
    let plan = plan.filter(|p| !p.trim().is_empty());
    let chosen = plan.as_ref().and_then(|p| options.iter().find(|o| &o.code == p)).cloned().map(|o| {
        let quote = service.quote(&o, today);
        (o, quote)
    });
    Ok(super::PlanChange {
        invalid_plan: plan.is_some() && chosen.is_none(),
        no_plan,
        submit_key: if chosen.is_some() { crate::ssr::auth::random_token() } else { String::new() },
        needs_password: crate::ssr::auth::needs_password(&account, t),
        service,
        options,
        chosen,
    })
}

/// `申し込む`: (the password again after 5 minutes) the request for `service` to
/// change to `plan`, with the quote computed again here. A second submit of the same
/// confirmation (`key`) finds the request the first made; a service with an open
/// request, a plan not offered for it, or a service not the customer's is refused.
#[server(endpoint = "contract/plan/request")]
pub async fn request_plan_change(
    service: String,
    plan: String,
    key: String,
    quoted: Option<String>,
    password: Option<String>,
) -> Result<String, AppError> {
    use super::plan_change::{write, NewRequest, Written};
    use crate::domain::billing::Date;
    use crate::ssr::{refuse, respond};
    let page = change_page(&service, Some(&plan));
    respond(&page, async {
        let (account, state) = crate::ssr::auth::signed_in().await?;
        let t = crate::ssr::now();
        let today = Date::of_unix_jst(t);
        let done = |id: &str| format!("{}?requested={id}", super::routes::CONTRACT);
        if key.len() < 16 || key.len() > 64 {
            return refuse(&change_page(&service, None), AppError::FlowExpired);
        }
        let (svc, option) = changeable(&state, &account, &service, &plan, password, t).await?;
        let quote = svc.quote(&option, today);
        // What the customer confirmed is what is requested: a quote that changed
        // meanwhile (past midnight at a month's end, a new catalogue fee) is shown again.
        if quoted.as_deref() != Some(quote_key(&quote, option.monthly_fee).as_str()) {
            return refuse(&change_page(&service, Some(&plan)), AppError::FlowExpired);
        }
        let client = crate::ssr::auth::client_address();
        let request = NewRequest {
            customer_no: &account.customer_no,
            account_id: &account.account_id,
            service_id: &svc.id,
            from_plan: &svc.plan_code,
            to_plan: &option.code,
            monthly_fee: option.monthly_fee.0,
            effective_on: quote.effective_on,
            termination_fee: quote.termination_fee.0,
            submit_key: &key,
        };
        match write(&state.db, &state.settings, request, &client, t).await? {
            Written::New(id) => Ok(done(&id)),
            // The same confirmation again: its request, unless cancelled since (a Back
            // to the old confirmation): then the confirmation has expired, not 受け付けました.
            Written::Again(id) => {
                let mut conn = state.db.conn().await?;
                if super::store::is_cancelled(&mut conn, &id, &account.customer_no).await? {
                    return refuse(&change_page(&service, None), AppError::FlowExpired);
                }
                Ok(done(&id))
            }
            Written::Open => refuse(super::routes::CONTRACT, AppError::Pending),
            // The service's change page says the completed change must start first.
            Written::Scheduled => refuse(&change_page(&service, None), AppError::Pending),
            Written::Throttled => refuse(&change_page(&service, Some(&plan)), AppError::TooManyAttempts),
        }
    })
    .await
}

/// The customer's service `service` (in force on the day of `t`) and its plan option
/// `plan`, once the password is given again (after 5 minutes). Refused: a service not
/// the customer's, one with a completed change not yet in force, a plan not offered.
#[cfg(feature = "ssr")]
async fn changeable(
    state: &crate::ssr::AppState,
    account: &crate::ssr::auth::CurrentAccount,
    service: &str,
    plan: &str,
    password: Option<String>,
    t: i64,
) -> Result<(super::ContractService, super::PlanOption), crate::ssr::Refusal> {
    use crate::domain::FieldError;
    use crate::ssr::refuse;
    let today = crate::domain::billing::Date::of_unix_jst(t);
    let mut conn = state.db.conn().await?;
    let found = super::store::services(&mut conn, &account.customer_no, today)
        .await?
        .into_iter()
        .find(|s| s.id == service);
    let Some(svc) = found else { return refuse(super::routes::CONTRACT, AppError::NotFound) };
    // A completed change not yet in force: the next change waits for it (it
    // would start from a plan the service will no longer have). The service's change
    // page says so (the contract page's words are those of a request under way).
    if svc.takes_no_change() {
        return refuse(&change_page(service, None), AppError::Pending);
    }
    let options = super::store::plan_options(&mut conn, &svc.kind, &svc.plan_code).await?;
    let Some(option) = options.into_iter().find(|o| o.code == plan) else {
        return refuse(&change_page(service, None), AppError::invalid("plan", FieldError::InvalidFormat));
    };
    drop(conn);
    crate::ssr::auth::confirm_password(&state.db, account, password, t).await?;
    Ok((svc, option))
}

/// `お申し込みを取り消す`: the customer's request `id`, while it is 受付.
#[server(endpoint = "contract/plan/cancel")]
pub async fn cancel_plan_request(id: String) -> Result<String, AppError> {
    use crate::ssr::{refuse, respond};
    respond(super::routes::CONTRACT, async {
        let (account, state) = crate::ssr::auth::signed_in().await?;
        let client = crate::ssr::auth::client_address();
        let cancelled = super::plan_change::cancel(&state, &account, &id, &client, crate::ssr::now()).await?;
        // Cancelled already by this customer (a double click): the same answer.
        let mut conn = state.db.conn().await?;
        let already = super::store::is_cancelled(&mut conn, &id, &account.customer_no).await?;
        if cancelled || already {
            Ok(format!("{}?cancelled=1", super::routes::CONTRACT))
        } else {
            refuse(super::routes::CONTRACT, AppError::FlowExpired)
        }
    })
    .await
}
