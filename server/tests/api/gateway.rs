//! The payment gateway chosen by configuration (issue 24, 1): the test gateway only in
//! development, none in production unless one is configured (the page then says a
//! card change is not online), and GMO-PG's リンクタイプPlus card edit against a local
//! stand-in that speaks its protocol, with no card number ever in the portal.

use crate::common::gmo::{self, GmoStandin};
use crate::common::*;

const CARD: &str = "4242424242424242";

/// The app with demo data, pointed at a fresh GMO-PG stand-in.
async fn app_with_gmo(backend: Backend) -> (TestApp, GmoStandin) {
    let standin = gmo::start().await;
    let settings = standin.settings();
    let extra: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    (spawn_app_with_demo_data_and(backend, &extra).await, standin)
}

/// From お支払い方法の確認・変更 to the stand-in's card page: its URL.
async fn to_gateway(app: &TestApp, c: &reqwest::Client, standin: &GmoStandin) -> String {
    let res = app.post_with(c, "/api/billing/payment/start", &[HTML], &[("password", "")]).await;
    assert_eq!(res.status(), 302);
    let url = location(&res);
    assert!(url.starts_with(&format!("{}/v1/plus/{}/member/", standin.base, gmo::SHOP_ID)), "{url}");
    let page = c.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200, "the stand-in took the request's hash");
    url
}

/// The card entered on the stand-in's page: the signed result its auto-submitting form
/// posts, and where to.
async fn enter(standin: &GmoStandin, number: &str) -> (String, String) {
    // The stand-in's card form posts to /pay/{sid}, its latest page's.
    let year = card_year().0;
    let card = [("number", number), ("exp_month", "12"), ("exp_year", &year), ("cvc", "123")];
    posted_result(&on_the_pay_page(standin, "", &card).await)
}

/// What the stand-in's latest card page answers a POST of `form` to its path and
/// `then` (its card form, or `/cancel`).
async fn on_the_pay_page(standin: &GmoStandin, then: &str, form: &[(&str, &str)]) -> String {
    let url = format!("{}{}{then}", standin.base, standin.last_pay_path());
    reqwest::Client::new().post(url).form(form).send().await.unwrap().text().await.unwrap()
}

/// The action and `result` of the auto-submitting form a gateway page answers with.
fn posted_result(body: &str) -> (String, String) {
    let action = body.split("action=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
    let result =
        body.split("name=\"result\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
    (action, result)
}

/// The result posted back by the browser from the gateway's page: a cross-site form,
/// which brings no session cookie (SameSite=Lax). Where it is sent on.
async fn post_result(app: &TestApp, action: &str, result: &str, standin: &GmoStandin) -> (u16, String) {
    let path = action.strip_prefix("http://127.0.0.1:3000").expect("the portal's PUBLIC_URL");
    assert_eq!(path, "/billing/payment/result");
    let headers = [HTML, ("Sec-Fetch-Site", "cross-site"), ("Origin", &standin.base)];
    let res = app.post_with(&app.new_browser(), path, &headers, &[("result", result)]).await;
    (res.status().as_u16(), location(&res))
}

async fn card_of(app: &TestApp, customer_no: &str) -> Option<(String, String, i64, i64, String)> {
    sqlx::query_as(
        "SELECT card_brand, card_last4, card_exp_month, card_exp_year, card_token FROM payment_methods
         WHERE customer_no = $1 AND kind = 'card'",
    )
    .bind(customer_no)
    .fetch_optional(app.db.pool())
    .await
    .unwrap()
}

async fn a_card_change_through_gmo_linkplus_keeps_the_card_number_out_of_the_portal(backend: Backend) {
    let (app, standin) = app_with_gmo(backend).await;
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    // Pages may lead a form to the gateway's card page (CSP form-action).
    let res = c.get(app.url("/billing/payment")).send().await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains(&format!("form-action 'self' {};", standin.base)), "{csp}");
    to_gateway(&app, &c, &standin).await;
    let edits = standin.edits();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].member_id, "MP100000003", "the customer's member ID at the gateway");
    assert_eq!(edits[0].ret_url, "http://127.0.0.1:3000/billing/payment/result");
    assert_eq!(edits[0].lang, "ja");
    let (action, result) = enter(&standin, CARD).await;
    let (status, next) = post_result(&app, &action, &result, &standin).await;
    assert_eq!(status, 303, "the cross-site result post is taken (not refused as cross-site)");
    assert!(next.starts_with("/billing/payment/return?ref="), "{next}");
    // Settled by the gateway's post alone (the card is the gateway's from now on, whether
    // or not the browser comes back).
    let (brand, last4, m, y, token) = card_of(&app, "100000003").await.expect("a card now");
    assert_eq!((brand.as_str(), last4.as_str(), m, y), ("Visa", "4242", 12, card_year().1));
    assert_eq!(token, format!("gmo:MP100000003:0"));
    // Only the session that opened the setup is told how it went.
    let stranger = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    assert_eq!(
        location(&stranger.get(app.url(&next)).send().await.unwrap()),
        "/billing/payment?error=expired"
    );
    assert_eq!(location(&c.get(app.url(&next)).send().await.unwrap()), "/billing/payment?changed=1");
    // A signed result in the return's query is not taken (GMO-PG posts it; a result in
    // a URL would be logged on the way).
    let in_query = format!("{next}&result={}", "x".repeat(8));
    assert_eq!(location(&c.get(app.url(&in_query)).send().await.unwrap()), "/billing/payment?changed=1");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM account_events WHERE kind = 'billing.payment_method_changed'")
            .await,
        1
    );
    // The card number never reached the portal: not in the database, not in the logs.
    let everything = all_text_in_the_database(&app).await;
    let logs = logs();
    for number in [CARD, "4242 4242 4242 4242", "4242-4242-4242-4242"] {
        assert!(!everything.contains(number), "{number} stored");
        assert!(!logs.contains(number), "{number} logged");
    }
    assert!(
        !everything.contains(gmo::SHOP_PASS) && !logs.contains(gmo::SHOP_PASS),
        "the shop password is a secret"
    );
}

async fn a_replayed_tampered_declined_or_cancelled_gmo_result_changes_nothing(backend: Backend) {
    let (app, standin) = app_with_gmo(backend).await;
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    to_gateway(&app, &c, &standin).await;
    let (action, result) = enter(&standin, CARD).await;
    // Tampered: another card in the same envelope, the hash left as it was.
    let (text, hash) = result.rsplit_once('.').unwrap();
    let mut json: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE, text).unwrap(),
    )
    .unwrap();
    json["memberresult"]["CardNo"] = "555555******4444".into();
    let forged = format!(
        "{}.{hash}",
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE, json.to_string())
    );
    assert_eq!(
        post_result(&app, &action, &forged, &standin).await,
        (303, "/billing/payment?error=expired".into())
    );
    // Signed with another shop's password.
    let other = format!("{text}.{}", "0".repeat(64));
    assert_eq!(post_result(&app, &action, &other, &standin).await.1, "/billing/payment?error=expired");
    assert_eq!(post_result(&app, &action, "garbage", &standin).await.1, "/billing/payment?error=expired");
    assert!(card_of(&app, "100000003").await.is_none(), "nothing changed");
    // The real result once; the same result posted again (a replay, the gateway's page
    // sent twice) changes nothing more, and goes to the same return, which tells the
    // session that opened the setup how it went (it said the change had expired) and
    // any other that it expired.
    let (_, next) = post_result(&app, &action, &result, &standin).await;
    assert!(next.starts_with("/billing/payment/return?ref="));
    assert_eq!(post_result(&app, &action, &result, &standin).await.1, next);
    assert_eq!(location(&c.get(app.url(&next)).send().await.unwrap()), "/billing/payment?changed=1");
    let stranger = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    assert_eq!(
        location(&stranger.get(app.url(&next)).send().await.unwrap()),
        "/billing/payment?error=expired"
    );
    // Another card entered on the same gateway page afterwards (Back): not this change's
    // result, so not its return (which would say the first card was changed): expired.
    let (_, other_card) = enter(&standin, "5555555555554444").await;
    assert_ne!(other_card, result);
    assert_eq!(post_result(&app, &action, &other_card, &standin).await.1, "/billing/payment?error=expired");
    assert_eq!(card_of(&app, "100000003").await.unwrap().1, "4242");
    // A result for a setup that never was (signed, but naming no setup of ours).
    let stray = gmo::sign(
        &serde_json::json!({"memberresult": {"MemberID": "MP100000003", "Cardeditno": "nosuchsetup",
        "CardSeq": "1", "CardNo": "555555******4444", "Expire": "3012", "Brand": "MASTER"}}),
    );
    assert_eq!(post_result(&app, &action, &stray, &standin).await.1, "/billing/payment?error=expired");
    assert_eq!(card_of(&app, "100000003").await.unwrap().1, "4242");
    // Declined by the card company, then cancelled on the gateway's page: the card stays.
    to_gateway(&app, &c, &standin).await;
    let (action, declined) = enter(&standin, server::test_gateway::DECLINED_CARD).await;
    let (_, next) = post_result(&app, &action, &declined, &standin).await;
    assert_eq!(location(&c.get(app.url(&next)).send().await.unwrap()), "/billing/payment?error=declined");
    to_gateway(&app, &c, &standin).await;
    let body = on_the_pay_page(&standin, "/cancel", &[]).await;
    let (action, cancelled) = posted_result(&body);
    let (_, next) = post_result(&app, &action, &cancelled, &standin).await;
    assert_eq!(location(&c.get(app.url(&next)).send().await.unwrap()), "/billing/payment");
    assert_eq!(card_of(&app, "100000003").await.unwrap().1, "4242");
    assert_eq!(standin.refused(), 0, "every request the portal made carried a valid hash");
}

async fn a_gmo_result_for_another_customer_or_an_expired_setup_changes_nothing(backend: Backend) {
    let (app, standin) = app_with_gmo(backend).await;
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    to_gateway(&app, &c, &standin).await;
    let edit = standin.edits().pop().unwrap();
    // Signed by the gateway, for this setup, but naming another customer's member ID.
    let foreign = gmo::sign(
        &serde_json::json!({"memberresult": {"MemberID": "MP100000002", "Cardeditno": edit.cardeditno,
        "CardSeq": "0", "CardNo": "555555******4444", "Expire": "3012", "Brand": "MASTER"}}),
    );
    let action = edit.ret_url.clone();
    assert_eq!(post_result(&app, &action, &foreign, &standin).await.1, "/billing/payment?error=expired");
    assert!(card_of(&app, "100000003").await.is_none());
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'billing.card_not_applied'").await, 0);
    // The setup's own result, once the setup has expired: nothing either.
    let (action, result) = enter(&standin, CARD).await;
    exec_at(&app, "UPDATE payment_setups SET expires_at = $1", app::ssr::now() - 1).await;
    // (The maintenance task has run since: an expired setup waits a day for such a result.)
    maintenance_at(&app, app::ssr::now()).await;
    // (Another customer's result for it, expired, tells no one.)
    assert_eq!(post_result(&app, &action, &foreign, &standin).await.1, "/billing/payment?error=expired");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'billing.card_not_applied'").await, 0);
    assert_eq!(post_result(&app, &action, &result, &standin).await.1, "/billing/payment?error=expired");
    assert!(card_of(&app, "100000003").await.is_none());
    // But its owner is told: the gateway may hold the card now.
    let told = outbox_mails_to(&app, "billing.card_not_applied", &contact_of(&app, "100000003").await).await;
    assert_eq!(told.len(), 1);
    assert!(told[0].text.contains("お手続きの期限が過ぎていたか"), "{}", told[0].text);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM account_events WHERE kind = 'billing.card_not_applied'").await,
        1
    );
}

/// A card page ends a minute before its session could (idle, or at its absolute end),
/// whose idle clock starts again as the customer leaves for it: a customer long at the
/// gateway's page is told her change expired, not refused as if her session had been
/// ended.
async fn a_card_page_ends_before_its_session_could(backend: Backend) {
    let standin = gmo::start().await;
    let settings = standin.settings();
    let mut extra: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    extra.push(("SESSION_IDLE_MINUTES", "10"));
    let app = spawn_app_with_demo_data_and(backend, &extra).await;
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    let before = app::ssr::now();
    exec_at(&app, "UPDATE sessions SET last_seen_at = $1", before - 50).await;
    to_gateway(&app, &c, &standin).await;
    let (created, expires): (i64, i64) = sqlx::query_as("SELECT created_at, expires_at FROM payment_setups")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(expires - created, 10 * 60 - 60, "ten minutes idle, less one");
    assert!(
        scalar(&app, "SELECT MIN(last_seen_at) FROM sessions").await >= before,
        "the idle clock starts again"
    );
}

/// A card page is not opened for a session that ends before a card could be entered
/// (its 12 hours nearly over): the card would reach the gateway, and the portal would
/// tell the customer her change had expired. The session ends, and the login says so
/// and leads back to the payment page. With five minutes left it opens.
async fn no_card_page_opens_in_a_sessions_last_minutes(backend: Backend) {
    let (app, standin) = app_with_gmo(backend).await;
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    let now = app::ssr::now();
    let left = app::features::billing::payment::SETUP_AT_LEAST_SECS;
    // A minute is kept between the card page's end and the session's.
    exec_at(&app, "UPDATE sessions SET expires_at = $1", now + left + 60 - 10).await;
    let res = app.post_with(&c, "/api/billing/payment/start", &[HTML], &[("password", "")]).await;
    assert_eq!(location(&res), "/login?error=session&next=/billing/payment");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payment_setups").await, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 0, "the session ended");
    assert!(standin.edits().is_empty(), "nothing opened at the gateway");
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    exec_at(&app, "UPDATE sessions SET expires_at = $1", app::ssr::now() + left + 60 + 30).await;
    to_gateway(&app, &c, &standin).await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payment_setups").await, 1);
}

/// A card page opened by a session that has since ended (他の端末をすべてログアウト, a
/// logout, a password reset) changes nothing: what a stolen session started ends with
/// it, as every other flow of the account does.
async fn a_gmo_result_for_a_setup_whose_session_ended_changes_nothing(backend: Backend) {
    let (app, standin) = app_with_gmo(backend).await;
    let stolen = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    to_gateway(&app, &stolen, &standin).await;
    // The owner, told of the login from a new browser, ends the other sessions.
    let owner = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    let res = app
        .post_with(&owner, "/api/security/sessions/end-others", &[HTML, SAME_ORIGIN], &[("", ""); 0])
        .await;
    assert_eq!(res.status(), 302);
    assert!(location(&res).contains("done=others_ended"), "{}", location(&res));
    let (action, result) = enter(&standin, CARD).await;
    assert_eq!(post_result(&app, &action, &result, &standin).await.1, "/billing/payment?error=expired");
    assert!(card_of(&app, "100000003").await.is_none(), "nothing changed");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM account_events WHERE kind = 'billing.payment_method_changed'")
            .await,
        0
    );
    // The gateway may hold that card now: the owner is told (once, whatever the posts),
    // with whom to call, and the operator's log names the customer.
    assert_eq!(post_result(&app, &action, &result, &standin).await.1, "/billing/payment?error=expired");
    let contact = contact_of(&app, "100000003").await;
    let told = outbox_mails_to(&app, "billing.card_not_applied", &contact).await;
    assert_eq!(told.len(), 1, "once");
    assert!(told[0].subject.ends_with("お支払い方法は変更されていません"), "{}", told[0].subject);
    assert!(told[0].text.contains("4242") && told[0].text.contains("カスタマーセンター"), "{}", told[0].text);
    assert!(!told[0].text.contains(CARD), "never the card number");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM account_events WHERE kind = 'billing.card_not_applied'").await,
        1
    );
    let (reference,): (String,) =
        sqlx::query_as("SELECT id FROM payment_setups").fetch_one(app.db.pool()).await.unwrap();
    let logs = logs();
    let line = logs.lines().find(|l| l.contains(&reference) && l.contains("came after its setup ended"));
    assert!(line.is_some_and(|l| l.contains("100000003")), "the operator's line names the customer");
    // The owner's own change, from the session that goes on, still goes through.
    to_gateway(&app, &owner, &standin).await;
    let (action, result) = enter(&standin, CARD).await;
    let (_, next) = post_result(&app, &action, &result, &standin).await;
    assert_eq!(location(&owner.get(app.url(&next)).send().await.unwrap()), "/billing/payment?changed=1");
    assert_eq!(card_of(&app, "100000003").await.unwrap().1, "4242");
    // A card page whose session then logged out changes nothing either.
    to_gateway(&app, &owner, &standin).await;
    assert_eq!(
        app.post_with(&owner, "/api/logout", &[HTML, SAME_ORIGIN], &[("", ""); 0]).await.status(),
        302
    );
    let (action, result) = enter(&standin, "5555555555554444").await;
    assert_eq!(post_result(&app, &action, &result, &standin).await.1, "/billing/payment?error=expired");
    assert_eq!(card_of(&app, "100000003").await.unwrap().1, "4242");
    assert_eq!(outbox_mails_to(&app, "billing.card_not_applied", &contact).await.len(), 2);
}

/// The portal's own request to the gateway (its URL, in the customer's browser, is
/// signed with the same shop password) posted back as a result is refused as not the
/// gateway's: before, it read as a result without a card, a gateway failure logged at
/// error for every post.
async fn the_portals_own_request_posted_as_a_result_is_refused_quietly(backend: Backend) {
    let (app, standin) = app_with_gmo(backend).await;
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    let url = to_gateway(&app, &c, &standin).await;
    let signed = url.rsplit('/').next().unwrap().to_string();
    let result_url = "http://127.0.0.1:3000/billing/payment/result";
    for _ in 0..3 {
        assert_eq!(
            post_result(&app, result_url, &signed, &standin).await.1,
            "/billing/payment?error=expired"
        );
    }
    assert!(card_of(&app, "100000003").await.is_none());
    assert!(!logs().contains("without a card and without an error"));
}

/// A return whose reference is not one of ours in form (a NUL, which PostgreSQL refuses
/// outright) is an expired setup, not an internal error.
async fn a_malformed_return_reference_is_an_expired_setup(backend: Backend) {
    let (app, _standin) = app_with_gmo(backend).await;
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    for reference in ["%00", "abc", &"g".repeat(64), &format!("{}%00", "a".repeat(63))] {
        let res =
            c.get(app.url(&format!("/billing/payment/return?ref={reference}&x=1"))).send().await.unwrap();
        assert_eq!(location(&res), "/billing/payment?error=expired", "{reference}");
    }
}

async fn without_a_gateway_a_card_change_is_not_offered_and_no_test_page_exists(backend: Backend) {
    let app = spawn_app_with_demo_data_and(backend, &[("PAYMENT_GATEWAY", "none")]).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, body) = app.get_text_with(&c, "/billing/payment").await;
    assert!(body.contains("data-testid=\"payment-card-offline\""), "{body}");
    assert!(body.contains("オンラインではお受けしておりません") && body.contains("0120-109199"));
    assert!(!body.contains("カード情報の入力へ進む"), "no button to a card page");
    assert_eq!(
        post_from(&app, &c, "/api/billing/payment/start", &[]).await,
        "/billing/payment?error=service"
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payment_setups").await, 0);
    assert_eq!(
        app.get("/pgw/test/pay/anything").await.status(),
        404,
        "the test gateway's pages are not mounted"
    );
    // In development the test gateway is the default, and its pages exist.
    let dev = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&dev, "hanako@example.com", "Hanako_2024").await;
    assert!(post_from(&dev, &c, "/api/billing/payment/start", &[]).await.starts_with("/pgw/test/pay/"));
}

/// A verified result the portal cannot keep at its moment (the database away) is not
/// dropped with an error page, as it was while the gateway kept the card: a page asks
/// the customer to send it again, with a form that posts it as it came (no card entered
/// again), and the second post changes the method once.
async fn a_gmo_result_the_database_could_not_take_is_sent_again(backend: Backend) {
    let (app, standin) = app_with_gmo(backend).await;
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    to_gateway(&app, &c, &standin).await;
    let (action, result) = enter(&standin, CARD).await;
    let path = action.strip_prefix("http://127.0.0.1:3000").unwrap().to_string();
    let headers = [HTML, ("Sec-Fetch-Site", "cross-site"), ("Origin", &standin.base)];
    let (b, form) = (app.new_browser(), [("result", result.as_str())]);
    let sent = app.post_with(&b, &path, &headers, &form);
    let res = with_table_away(&app, "payment_setups", sent).await;
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["retry-after"], "10");
    let body = res.text().await.unwrap();
    assert!(
        body.contains("もう一度送信する") && body.contains("カード情報をもう一度入力する必要はありません"),
        "{body}"
    );
    assert!(body.contains(&format!("action=\"{path}\"")), "{body}");
    assert!(body.contains(&format!("name=\"result\" value=\"{result}\"")), "the result, as it came");
    assert!(card_of(&app, "100000003").await.is_none(), "not kept yet");
    // Sent again from that page (the portal's own origin), the database back.
    let again = app.post_with(&app.new_browser(), &path, &[HTML], &[("result", result.as_str())]).await;
    let next = location(&again);
    assert!(next.starts_with("/billing/payment/return?ref="), "{next}");
    assert_eq!(location(&c.get(app.url(&next)).send().await.unwrap()), "/billing/payment?changed=1");
    assert_eq!(card_of(&app, "100000003").await.unwrap().1, "4242");
    let changed = "SELECT COUNT(*) FROM account_events WHERE kind = 'billing.payment_method_changed'";
    assert_eq!(scalar(&app, changed).await, 1);
}

/// The gateway keeps the card from the moment it sends its result: a database failure
/// while the card is made the payment method delays the change, and loses nothing. The
/// result is kept as it arrives; the maintenance task (or the customer's return, if it
/// comes) settles it, once: a received result does not expire unsettled.
async fn a_gmo_result_the_database_failed_to_settle_is_settled_later_and_once(backend: Backend) {
    let (app, standin) = app_with_gmo(backend).await;
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    let changed = "SELECT COUNT(*) FROM account_events WHERE kind = 'billing.payment_method_changed'";
    let notices = "SELECT COUNT(*) FROM outbox WHERE topic = 'billing.payment_method_changed'";
    to_gateway(&app, &c, &standin).await;
    let (action, result) = enter(&standin, CARD).await;
    let (status, next) =
        with_table_away(&app, "payment_methods", post_result(&app, &action, &result, &standin)).await;
    assert_eq!((status, next.as_str()), (303, "/billing/payment?received=1"));
    let (_, body) = app.get_text_with(&c, &next).await;
    assert!(
        body.contains("data-testid=\"payment-received\"") && body.contains("カードの登録を受け付けました")
    );
    assert!(card_of(&app, "100000003").await.is_none(), "not settled yet");
    assert_eq!((scalar(&app, changed).await, scalar(&app, notices).await), (0, 0));
    // The same result posted again is a replay, received or not: it goes to the return.
    assert!(post_result(&app, &action, &result, &standin)
        .await
        .1
        .starts_with("/billing/payment/return?ref="));
    let now = app::ssr::now();
    assert_eq!(
        maintenance_at(&app, now).await.applied("card results received"),
        0,
        "its request's moment first"
    );
    // Past the setup's own 30 minutes, the database still failing at the card: kept.
    let later = now + app::features::billing::payment::SETUP_SECS + 60;
    let report = with_table_away(&app, "payment_methods", maintenance_at(&app, later)).await;
    assert_eq!(report.applied("card results received"), 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payment_setups WHERE outcome IS NOT NULL").await, 1);
    assert_eq!(maintenance_at(&app, later).await.applied("card results received"), 1);
    let (brand, last4, m, y, token) = card_of(&app, "100000003").await.expect("the card, settled");
    assert_eq!((brand.as_str(), last4.as_str(), m, y), ("Visa", "4242", 12, card_year().1));
    assert_eq!(token, "gmo:MP100000003:0");
    assert_eq!((scalar(&app, changed).await, scalar(&app, notices).await), (1, 1));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM payment_setups WHERE outcome IS NOT NULL").await,
        0,
        "the outcome is kept only until settled"
    );
    assert_eq!(maintenance_at(&app, later + 60).await.applied("card results received"), 0, "once");
    assert_eq!((scalar(&app, changed).await, scalar(&app, notices).await), (1, 1));
    // Settled, the setup expires as any other: half an hour on, it is deleted.
    maintenance_at(&app, later + app::features::billing::payment::SETUP_SECS).await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payment_setups").await, 0);
    // Another card, and the customer's return comes after the database is back: it
    // settles the result itself. (A new login: the task's run half an hour on ended the
    // idle session.)
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    to_gateway(&app, &c, &standin).await;
    let (action, result) = enter(&standin, "5555555555554444").await;
    let (_, next) = with_table_away(&app, "outbox", post_result(&app, &action, &result, &standin)).await;
    assert_eq!(next, "/billing/payment?received=1");
    assert_eq!(card_of(&app, "100000003").await.unwrap().1, "4242", "not yet");
    let reference: String = sqlx::query_scalar("SELECT id FROM payment_setups WHERE outcome IS NOT NULL")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let back =
        location(&c.get(app.url(&format!("/billing/payment/return?ref={reference}"))).send().await.unwrap());
    assert_eq!(back, "/billing/payment?changed=1");
    assert_eq!(card_of(&app, "100000003").await.unwrap().1, "4444");
    // A setup settled by the release before this one keeps a received one's expiry: it
    // goes a day after it began all the same.
    exec(&app, "UPDATE payment_setups SET expires_at = 9223372036854775807").await;
    assert_eq!(maintenance_at(&app, app::ssr::now() + 3600).await.applied("card results received"), 0);
    assert_eq!((scalar(&app, changed).await, scalar(&app, notices).await), (2, 2));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payment_setups").await, 1);
    maintenance_at(&app, app::ssr::now() + 86_400 + 3_600).await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payment_setups").await, 0);
}

/// `card` entered on the stand-in's page, its result posted while `payment_methods` is
/// away: received, not settled.
async fn received_unsettled(app: &TestApp, c: &reqwest::Client, standin: &GmoStandin, card: &str) {
    to_gateway(app, c, standin).await;
    let (action, result) = enter(standin, card).await;
    let (_, next) =
        with_table_away(app, "payment_methods", post_result(app, &action, &result, standin)).await;
    assert_eq!(next, "/billing/payment?received=1");
}

/// A card received and not settled (the database failed), then a later card settled at
/// once: the task passes the first over, as the gateway keeps the later one, and tells
/// nobody of it.
async fn a_card_received_before_a_later_change_does_not_replace_it(backend: Backend) {
    let (app, standin) = app_with_gmo(backend).await;
    let c = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    received_unsettled(&app, &c, &standin, CARD).await;
    // It came a little before the next one.
    exec(&app, "UPDATE payment_setups SET received_at = received_at - 10 WHERE outcome IS NOT NULL").await;
    to_gateway(&app, &c, &standin).await;
    let (action, later) = enter(&standin, "5555555555554444").await;
    let (_, next) = post_result(&app, &action, &later, &standin).await;
    assert_eq!(location(&c.get(app.url(&next)).send().await.unwrap()), "/billing/payment?changed=1");
    let at = app::ssr::now() + app::features::billing::payment::SETTLE_AFTER_SECS;
    assert_eq!(maintenance_at(&app, at).await.applied("card results received"), 1);
    assert_eq!(card_of(&app, "100000003").await.unwrap().1, "4444", "the later card stays");
    let changes = "SELECT COUNT(*) FROM account_events WHERE kind = 'billing.payment_method_changed'";
    assert_eq!(scalar(&app, changes).await, 1);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM outbox WHERE topic = 'billing.payment_method_changed'").await,
        1
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payment_setups WHERE step = 'cancelled'").await, 1);
    // Two cards that both wait (the database away for each), settled by the task an hour
    // on, in the order they came: the later one stands, as at the gateway. The order the
    // gateway sent them in decides, not the time they are settled at.
    for card in ["3530111333300000", CARD] {
        received_unsettled(&app, &c, &standin, card).await;
    }
    // The JCB came first, the Visa after it.
    exec(&app, "UPDATE payment_setups SET received_at = received_at + 5 WHERE outcome LIKE '%Visa%'").await;
    assert_eq!(maintenance_at(&app, app::ssr::now() + 3_600).await.applied("card results received"), 2);
    assert_eq!(card_of(&app, "100000003").await.unwrap().1, "4242", "the Visa, the gateway's last");
    assert_eq!(scalar(&app, changes).await, 3);
}

on_both_databases!(
    a_card_received_before_a_later_change_does_not_replace_it,
    a_gmo_result_the_database_failed_to_settle_is_settled_later_and_once,
    a_card_change_through_gmo_linkplus_keeps_the_card_number_out_of_the_portal,
    a_replayed_tampered_declined_or_cancelled_gmo_result_changes_nothing,
    a_gmo_result_for_another_customer_or_an_expired_setup_changes_nothing,
    a_gmo_result_for_a_setup_whose_session_ended_changes_nothing,
    a_malformed_return_reference_is_an_expired_setup,
    a_gmo_result_the_database_could_not_take_is_sent_again,
    no_card_page_opens_in_a_sessions_last_minutes,
    a_card_page_ends_before_its_session_could,
    the_portals_own_request_posted_as_a_result_is_refused_quietly,
    without_a_gateway_a_card_change_is_not_offered_and_no_test_page_exists,
);

/// `server` with `vars` (and nothing else of this process's environment): its exit
/// status and what it printed.
fn server_with(vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(vars.iter().copied())
        .arg("migrate")
        .output()
        .expect("run server");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn production_refuses_to_start_with_the_test_gateway_and_names_the_setting() {
    let (code, said) = server_with(&[("PAYMENT_GATEWAY", "test"), ("DATABASE_URL", "sqlite::memory:")]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("PAYMENT_GATEWAY") && said.contains("development"), "{said}");
}

#[test]
fn development_refuses_to_listen_beyond_the_loopback() {
    let (code, said) = server_with(&[
        ("MYPAGE_ENV", "development"),
        ("LEPTOS_SITE_ADDR", "0.0.0.0:3000"),
        ("DATABASE_URL", "sqlite::memory:"),
    ]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("LEPTOS_SITE_ADDR"), "{said}");
}
