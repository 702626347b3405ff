use super::{ContractOverview, History};
use crate::error::AppError;
use leptos::prelude::*;

/// ご契約情報確認・変更: the logged-in customer's services, terms and devices.
#[server(endpoint = "contract/overview")]
pub async fn get_contract() -> Result<ContractOverview, AppError> {
    let account = crate::ssr::auth::require_login().await?;
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let today = crate::domain::billing::Date::of_unix_jst(crate::ssr::now());
    super::store::overview(&mut conn, &account.customer_no, today)
        .await?
        .ok_or_else(|| AppError::internal("an account without its customer"))
}

/// サービス加入・変更履歴, optionally for one of the customer's services.
#[server(endpoint = "contract/history")]
pub async fn get_history(service: Option<String>) -> Result<History, AppError> {
    let account = crate::ssr::auth::require_login().await?;
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool().acquire().await?;
    let filter = service.filter(|s| !s.trim().is_empty());
    let history = super::store::history(&mut conn, &account.customer_no, &account.account_id, filter).await?;
    // A service that is not the customer's is not found, as any other.
    if history.filter.as_ref().is_some_and(|f| !history.services.iter().any(|(id, ..)| id == f)) {
        return Err(AppError::NotFound);
    }
    Ok(history)
}
