use super::ReferralOverview;
use crate::error::AppError;
use leptos::prelude::*;

/// お友だち紹介: the logged-in customer's code (made on first use), link, QR code and
/// referrals.
#[server(endpoint = "referral/overview")]
pub async fn get_referrals() -> Result<ReferralOverview, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let mut conn = state.db.conn().await?;
    let code = super::store::code_of(&mut conn, &account.customer_no, crate::ssr::now()).await?;
    let link = state
        .settings
        .public_url
        .join(&super::routes::invite(&code))
        .map_err(|e| AppError::internal(format!("referral link: {e}")))?
        .to_string();
    let qr_svg = super::store::qr_svg(&link, super::texts::t().qr_label).map_err(AppError::internal)?;
    let referrals = super::store::referrals(&mut conn, &account.customer_no).await?;
    let rewarded_total =
        referrals.iter().filter(|r| r.state == super::ReferralState::Rewarded).map(|r| r.reward).sum();
    Ok(ReferralOverview {
        code: super::print_code(&code),
        link,
        qr_svg,
        referrals,
        reward_each: super::REWARD,
        rewarded_total,
    })
}

/// The public invitation: whether `code` is a referral code (it never says whose).
#[server(endpoint = "referral/invite")]
pub async fn get_invite(code: String) -> Result<String, AppError> {
    let code = super::normalize_code(&code).ok_or(AppError::NotFound)?;
    let state = crate::ssr::state()?;
    let mut conn = state.db.conn().await?;
    if super::store::code_exists(&mut conn, &code).await? {
        Ok(super::print_code(&code))
    } else {
        Err(AppError::NotFound)
    }
}
