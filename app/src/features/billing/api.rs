use super::{BillingOverview, PaymentOverview};
use crate::error::AppError;
use leptos::prelude::*;

/// ご請求明細の確認: the logged-in customer's last 12 months and the statement of
/// `month` (`YYYY-MM`; the newest when empty). A month that is not one of theirs, or
/// not a month at all, is `NotFound`: the same answer as another customer's.
#[server(endpoint = "billing/overview")]
pub async fn get_billing(month: Option<String>) -> Result<BillingOverview, AppError> {
    use crate::domain::billing::{Date, Month};
    let account = crate::ssr::auth::require_login().await?;
    let month = match month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        None => None,
        Some(m) => Some(Month::parse(m).ok_or(AppError::NotFound)?),
    };
    let state = crate::ssr::state()?;
    let mut conn = state.db.conn().await?;
    let today = Date::of_unix_jst(crate::ssr::now());
    super::store::overview(&mut conn, &account.customer_no, month, today).await?.ok_or(AppError::NotFound)
}

/// お支払い方法の確認・変更: the logged-in customer's payment method.
#[server(endpoint = "billing/payment")]
pub async fn get_payment() -> Result<PaymentOverview, AppError> {
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let mut conn = state.db.conn().await?;
    Ok(PaymentOverview {
        method: super::store::payment_method(&mut conn, &account.customer_no).await?,
        needs_password: crate::ssr::auth::needs_password(&account, crate::ssr::now()),
        card_online: state.payment_gateway.is_some(),
        support_phone: state.settings.support.general_phone.clone(),
        support_hours: state.settings.support.general_hours.clone(),
    })
}

/// `クレジットカードを登録する`: (the password again after 5 minutes) opens the
/// gateway's card page for a new setup bound to this session, and sends the customer
/// there. No card data passes here.
#[server(endpoint = "billing/payment/start")]
pub async fn start_card_change(password: Option<String>) -> Result<String, AppError> {
    use crate::ssr::respond;
    respond(super::routes::PAYMENT, async move {
        let (account, state) = crate::ssr::auth::signed_in().await?;
        // No gateway configured: no change to a card online (the page says so).
        let gateway = state.payment_gateway.clone().ok_or(AppError::ServiceUnavailable)?;
        let t = crate::ssr::now();
        crate::ssr::auth::confirm_password(&state.db, &account, password, t).await?;
        let mut conn = state.db.conn().await?;
        use crate::ssr::auth::throttle;
        let budget =
            throttle::reserve(&mut conn, &super::payment::SETUPS_PER_ACCOUNT, &account.account_id, t).await?;
        if budget != throttle::Verdict::Go {
            return Err(AppError::TooManyAttempts.into());
        }
        let idle_secs = state.settings.session.idle_secs;
        let Some(setup) = super::payment::open_setup(&mut conn, &account, idle_secs, t).await? else {
            // The session ends in a few minutes, before a card could be entered: it ends
            // now, and the login (which says so) leads back here.
            let cookie = crate::ssr::auth::session::cookie_name(&state.settings);
            if let Some(token) = crate::ssr::auth::request_cookie(cookie) {
                crate::ssr::auth::session::delete(&mut conn, &token).await?;
            }
            return Err(AppError::Unauthorized.into());
        };
        drop(conn);
        let url = |path: &str| {
            state.settings.public_url.join(path).map_err(|e| AppError::internal(format!("return URL: {e}")))
        };
        let (return_url, result_url) =
            (url(super::routes::PAYMENT_RETURN)?, url(super::routes::PAYMENT_RESULT)?);
        let locale = crate::ssr::auth::request_cookie(crate::i18n::Locale::COOKIE)
            .and_then(|c| crate::i18n::Locale::from_code(&c))
            .unwrap_or_default();
        let setup = crate::ssr::payment::Setup {
            reference: &setup,
            customer_no: &account.customer_no,
            return_url: return_url.as_str(),
            result_url: result_url.as_str(),
            locale,
        };
        let page = gateway.begin(setup).await.map_err(|e| {
            tracing::error!(error = %e, "payment gateway: could not open its card page");
            AppError::ServiceUnavailable
        })?;
        Ok(page)
    })
    .await
}
