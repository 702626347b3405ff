use super::TopSummary;
use crate::error::AppError;
use leptos::prelude::*;

/// The logged-in customer's top-page summary.
#[server(endpoint = "top/summary")]
pub async fn get_top_summary() -> Result<TopSummary, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let mut conn = state.db.conn().await?;
    crate::features::top::store::top_summary(&mut conn, &account.customer_no)
        .await?
        .ok_or_else(|| AppError::internal("an account without its customer"))
}
