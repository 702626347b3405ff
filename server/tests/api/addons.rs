//! Add-ons (issue 14): the security service and option channels.

use crate::common::*;
use app::domain::billing::{Date, Month};

/// The summary page for `code`, its one-time key and the day it starts on.
async fn summary_key(app: &TestApp, c: &reqwest::Client, code: &str) -> (String, String, String) {
    let (status, body) = app.get_text_with(c, &format!("/addons/apply?code={code}&agree=1")).await;
    assert_eq!(status, 200, "{code}");
    let (key, starts_on) = (hidden(&body, "key"), hidden(&body, "starts_on"));
    (body, key, starts_on)
}

/// The cancel of subscription `id` of `kind` as `page` confirms it (the last day it
/// said); where it went.
async fn cancel_on(app: &TestApp, c: &reqwest::Client, page: &str, id: &str, kind: &str) -> String {
    let (_, body) = app.get_text_with(c, page).await;
    let ends = hidden(&body, "ends");
    post_from(app, c, "/api/addons/cancel", &[("id", id), ("kind", kind), ("ends", &ends)]).await
}

fn today() -> Date {
    Date::of_unix_jst(app::ssr::now())
}

async fn lines(app: &TestApp, customer_no: &str, month: Month) -> Vec<(String, i64)> {
    let mut conn = app.db.pool().acquire().await.unwrap();
    app::features::billing::store::compute_lines(&mut conn, customer_no, month)
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.line.description, l.line.amount.0))
        .collect()
}

const NORTON: &str = "マルチデバイスセキュリティ with Norton Security";

async fn the_security_service_is_applied_for_once_shown_to_its_owner_and_cancelled_at_the_month_end(
    backend: Backend,
) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (status, body) = app.get_text_with(&c, "/settings/security").await;
    assert_eq!(status, 200);
    assert!(body.contains("627円") && body.contains("3台まで") && body.contains("WEBカメラ保護"));
    assert!(body.contains("data-testid=\"addon-apply\"") && !body.contains("data-testid=\"licence-key\""));
    // The terms first; the summary quotes the first month from today.
    let (_, terms) = app.get_text_with(&c, "/addons/apply?code=norton").await;
    assert!(terms.contains("利用規約に同意する") && !terms.contains("name=\"key\""));
    let (summary, key, starts_on) = summary_key(&app, &c, "norton").await;
    let (first, _) = app::domain::addon::first_month(app::domain::Yen(627), today());
    assert!(summary.contains(&format!("{}円", first.grouped())), "first month {first:?}");
    // Without the consent: refused, nothing written.
    let to = post_from(&app, &c, "/api/addons/apply", &[("code", "norton"), ("key", &key)]).await;
    assert_eq!(to, "/addons/apply?code=norton&error=agree.required");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM addon_subscriptions").await, 0);
    // A double submit: one subscription.
    let form = [("code", "norton"), ("key", key.as_str()), ("agree", "1"), ("starts_on", &starts_on)];
    let answers = at_once(&app, &[c.clone(), c.clone()], "/api/addons/apply", &form).await;
    assert_eq!(answers, ["/settings/security?applied=norton", "/settings/security?applied=norton"]);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM addon_subscriptions").await, 1);
    assert_eq!(outbox_mails_to(&app, "addon.subscribed", "hanako@example.com").await.len(), 1);
    assert!(event_kinds(&app).await.contains(&"addon.subscribed".to_string()));
    let (_, body) = app.get_text_with(&c, "/settings/security").await;
    let (licence,): (String,) =
        sqlx::query_as("SELECT licence_key FROM addon_subscriptions").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(licence.len(), 29, "{licence}");
    assert!(body.contains(&licence) && body.contains("インストール方法") && body.contains("Android"));
    // A second subscription: no summary, no key.
    let (_, page) = app.get_text_with(&c, "/addons/apply?code=norton&agree=1").await;
    assert!(page.contains("すでにご利用中です") && !page.contains("name=\"key\""));
    // Nobody else sees the key; another customer cannot cancel it.
    let ichiro = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    let (_, theirs) = app.get_text_with(&ichiro, "/settings/security").await;
    assert!(!theirs.contains(&licence) && theirs.contains("data-testid=\"addon-apply\""));
    let (id,): (String,) =
        sqlx::query_as("SELECT id FROM addon_subscriptions").fetch_one(app.db.pool()).await.unwrap();
    let to = post_from(&app, &ichiro, "/api/addons/cancel", &[("id", &id), ("kind", "security")]).await;
    assert_eq!(to, "/settings/security?error=expired");
    // The fee is on this month's bill (prorated) and the next.
    let this = Month::of(today());
    assert!(lines(&app, "100000002", this).await.contains(&(NORTON.to_string(), first.0)));
    assert!(lines(&app, "100000002", this.plus(1)).await.contains(&(NORTON.to_string(), 627)));
    // Cancelled: in force to the end of this month, billed no more after.
    let (_, body) = app.get_text_with(&c, "/settings/security").await;
    assert!(body.contains("その後は料金がかかりません"));
    assert_eq!(
        cancel_on(&app, &c, "/settings/security", &id, "security").await,
        "/settings/security?cancelled=1"
    );
    let (ended,): (String,) =
        sqlx::query_as("SELECT ended_on FROM addon_subscriptions").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(ended, this.last().to_string());
    assert!(!lines(&app, "100000002", this.plus(1)).await.iter().any(|l| l.0 == NORTON));
    // A second click answers as the first, and changes nothing more.
    assert_eq!(
        post_from(&app, &c, "/api/addons/cancel", &[("id", &id), ("kind", "security")]).await,
        "/settings/security?cancelled=1"
    );
    assert_eq!(outbox_mails_to(&app, "addon.cancelled", "hanako@example.com").await.len(), 1);
    let (_, body) = app.get_text_with(&c, "/settings/security").await;
    assert!(body.contains("で解約予定"));
}

/// The security add-on is for internet subscribers (SPEC: マルチデバイスセキュリティ):
/// a customer with TV only is told why, offered no application, and refused one sent.
async fn the_security_add_on_is_for_internet_subscribers(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = tv_only_customer(&app).await;
    let (status, body) = app.get_text_with(&c, "/settings/security").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("インターネットサービスのご契約がないため")
            && !body.contains("data-testid=\"addon-apply\""),
        "{body}"
    );
    let form = [("code", "norton"), ("key", "0123456789abcdef0123"), ("agree", "1")];
    assert_eq!(post_from(&app, &c, "/api/addons/apply", &form).await, "/settings/security?error=forbidden");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM addon_subscriptions WHERE customer_no = '100000005'").await,
        0
    );
}

async fn option_channels_are_for_tv_subscribers_and_a_minimum_term_is_billed_to_its_end(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    // 鈴木 一郎 has no TV: told why, and refused.
    let ichiro = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    let (_, body) = app.get_text_with(&ichiro, "/contract/channels").await;
    assert!(
        body.contains("テレビサービスのご契約がないため") && !body.contains("data-testid=\"addon-apply\"")
    );
    let (_, body) = app.get_text_with(&ichiro, "/addons/apply?code=ch-sports&agree=1").await;
    assert!(body.contains("このサービスはお申し込みいただけません") && !body.contains("name=\"key\""));
    let form = [("code", "ch-sports"), ("key", "0123456789abcdef0123"), ("agree", "1")];
    assert_eq!(
        post_from(&app, &ichiro, "/api/addons/apply", &form).await,
        "/contract/channels?error=forbidden"
    );
    // Unknown add-on: not found.
    assert_eq!(app.get_text_with(&ichiro, "/addons/apply?code=nothing").await.0, 404);
    // 佐藤 花子: スポーツワイド, 6 months minimum.
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, body) = app.get_text_with(&c, "/contract/channels").await;
    assert_eq!(body.matches("data-testid=\"addon\"").count(), 5);
    let (summary, key, starts_on) = summary_key(&app, &c, "ch-sports").await;
    let this = Month::of(today());
    let term_end = this.plus(5).last();
    assert!(summary.contains("6か月"));
    let form = [("code", "ch-sports"), ("key", key.as_str()), ("agree", "1"), ("starts_on", &starts_on)];
    assert_eq!(post_from(&app, &c, "/api/addons/apply", &form).await, "/contract/channels?applied=ch-sports");
    // Cancelling now costs the five months after this one: said before, billed after.
    let (_, body) = app.get_text_with(&c, "/contract/channels").await;
    assert!(body.contains("6,600円"), "5 × 1,320円");
    let (id,): (String,) =
        sqlx::query_as("SELECT id FROM addon_subscriptions").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(
        cancel_on(&app, &c, "/contract/channels", &id, "channel").await,
        "/contract/channels?cancelled=1"
    );
    let (ended,): (String,) =
        sqlx::query_as("SELECT ended_on FROM addon_subscriptions").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(ended, term_end.to_string());
    assert!(lines(&app, "100000002", this.plus(5)).await.contains(&("スポーツワイド".to_string(), 1_320)));
    assert!(!lines(&app, "100000002", this.plus(6)).await.iter().any(|l| l.0 == "スポーツワイド"));
    // Still in force: not applied for again until it ends.
    let (_, body) = app.get_text_with(&c, "/addons/apply?code=ch-sports&agree=1").await;
    assert!(body.contains("すでにご利用中です"));
    // The history: started today, ending (予定) at the term's end, under the TV.
    let (_, history) = app.get_text_with(&c, "/contract/history?service=svc-100000002-tv").await;
    assert!(history.contains("オプションサービスのお申し込み（スポーツワイド）"));
    assert!(history.contains("オプションサービスの解約（スポーツワイド）") && history.contains("予定"));
}

/// The systems that switch an add-on on and off are told, once each, in the change's
/// transaction (an outbox event of topic `addon.provision`): the security vendor gets
/// the licence key the customer is shown, and the end the customer confirmed. Before,
/// nothing left the portal: the customer was billed for a key the vendor never knew.
async fn the_systems_that_provide_an_add_on_are_told_of_each_subscription_and_cancel(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, key, starts_on) = summary_key(&app, &c, "norton").await;
    let form = [("code", "norton"), ("key", key.as_str()), ("agree", "1"), ("starts_on", &starts_on)];
    let answers = at_once(&app, &[c.clone(), c.clone()], "/api/addons/apply", &form).await;
    assert_eq!(answers, ["/settings/security?applied=norton", "/settings/security?applied=norton"]);
    let events = || async {
        let rows: Vec<(String,)> =
            rows(&app, "SELECT payload FROM outbox WHERE topic = 'addon.provision' AND kind = 'event'").await;
        rows.into_iter()
            .map(|(p,)| serde_json::from_str::<serde_json::Value>(&p).unwrap())
            .collect::<Vec<_>>()
    };
    let (id, licence): (String, String) = sqlx::query_as("SELECT id, licence_key FROM addon_subscriptions")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let told = events().await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["event"], "addon.subscribed");
    assert_eq!(told[0]["customer_no"], "100000002");
    assert_eq!(told[0]["addon"], "norton");
    assert_eq!(told[0]["licence_key"], licence.as_str());
    assert_eq!(told[0]["starts_on"], today().to_string());
    // The same confirmation sent twice at once (a double click): one cancel told.
    let (_, page) = app.get_text_with(&c, "/settings/security").await;
    let ends = hidden(&page, "ends");
    let form = [("id", id.as_str()), ("kind", "security"), ("ends", ends.as_str())];
    let answers = at_once(&app, &[c.clone(), c.clone()], "/api/addons/cancel", &form).await;
    assert_eq!(answers, ["/settings/security?cancelled=1", "/settings/security?cancelled=1"]);
    let told = events().await;
    assert_eq!(told.len(), 2, "{told:?}");
    let cancelled: Vec<_> = told.iter().filter(|e| e["event"] == "addon.cancelled").collect();
    assert_eq!(cancelled.len(), 1, "{told:?}");
    assert_eq!(cancelled[0]["addon"], "norton");
    assert_eq!(cancelled[0]["ends_on"], Month::of(today()).last().to_string());
}

/// A subscription that outlived the service it goes with (the provider ended the TV)
/// is ended on the service's last day by the maintenance job, as a cancel on that day:
/// its page says so, the provider's system is told, the customer is mailed why. Not
/// while the end is ahead (it may be withdrawn), nor when a new TV runs on (a move);
/// once: the next run does nothing. An add-on of a service that goes on (the
/// internet's) is left as it is.
async fn an_add_on_ends_on_the_last_day_of_the_service_it_goes_with(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    for (code, page) in [("ch-sports", "/contract/channels"), ("norton", "/settings/security")] {
        let (_, key, starts_on) = summary_key(&app, &c, code).await;
        let form = [("code", code), ("key", key.as_str()), ("agree", "1"), ("starts_on", &starts_on)];
        assert_eq!(post_from(&app, &c, "/api/addons/apply", &form).await, format!("{page}?applied={code}"));
    }
    let step = |code: &'static str| {
        let sql = format!("SELECT step, ended_on FROM addon_subscriptions WHERE addon_code = '{code}'");
        let app = &app;
        async move { rows::<(String, Option<String>)>(app, &sql).await.remove(0) }
    };
    let job_ended = |report: app::ssr::maintenance::Report| {
        report.applied.iter().find(|(name, _)| *name == "add-ons ended with their service").map(|(_, n)| *n)
    };
    let active = ("active".to_string(), None);
    // The TV ends on the 15th of next month: ahead, nothing ends yet.
    let ends = Date { day: 15, ..Month::of(today()).plus(1).first() };
    exec(&app, &format!("UPDATE services SET ended_on = '{ends}' WHERE id = 'svc-100000002-tv'")).await;
    let (now, after) = (app::ssr::now(), app::ssr::now() + 60 * 86_400);
    assert_eq!(job_ended(maintenance_at(&app, now).await), None);
    assert_eq!(step("ch-sports").await, active, "the end may still be withdrawn");
    // A move: a new TV from the next day runs on, and keeps the channel.
    let new_tv = format!(
        "INSERT INTO services (id, customer_no, kind, plan_code, plan_name, monthly_fee, installation_address, started_on)
         VALUES ('svc-moved-tv', '100000002', 'tv', 'tv-standard', 'テレビ スタンダードプラン', 5478, '新居', '{}')",
        ends.next_day()
    );
    exec(&app, &new_tv).await;
    assert_eq!(job_ended(maintenance_at(&app, after).await), None);
    assert_eq!(step("ch-sports").await, active, "a move keeps it");
    // No TV after the 15th: the channel ended with it.
    exec(&app, "DELETE FROM services WHERE id = 'svc-moved-tv'").await;
    assert_eq!(job_ended(maintenance_at(&app, after).await), Some(1));
    assert_eq!(step("ch-sports").await, ("cancelled".to_string(), Some(ends.to_string())));
    assert_eq!(step("norton").await, active);
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, body) = app.get_text_with(&c, "/contract/channels").await;
    assert!(body.contains(&format!("{}年{}月{}日で解約予定", ends.year, ends.month, ends.day)), "{body}");
    let mailed = outbox_mails_to(&app, "addon.ended", "hanako@example.com").await;
    assert_eq!(mailed.len(), 1);
    let said = format!("スポーツワイド は{}年{}月{}日をもって終了しました", ends.year, ends.month, ends.day);
    assert!(mailed[0].text.contains(&said), "{}", mailed[0].text);
    let told: Vec<(String,)> = rows(&app, "SELECT payload FROM outbox WHERE topic = 'addon.provision'").await;
    let cancels: Vec<serde_json::Value> = told
        .iter()
        .map(|(p,)| serde_json::from_str::<serde_json::Value>(p).unwrap())
        .filter(|e| e["event"] == "addon.cancelled")
        .collect();
    assert_eq!(cancels.len(), 1, "{told:?}");
    assert_eq!(cancels[0]["addon"], "ch-sports");
    assert_eq!(cancels[0]["ends_on"], ends.to_string());
    assert_eq!(job_ended(maintenance_at(&app, after + 60).await), None, "once");
    assert_eq!(outbox_mails_to(&app, "addon.ended", "hanako@example.com").await.len(), 1);
}

/// A cancel within the minimum term costs the months to its end, but never past the
/// end of the services the add-on goes with (their ends set ahead): the channel ends
/// with the TV, and the page quotes what the engine will bill, to the day. Without the
/// TV's end, the term's end, as before.
async fn a_cancels_quote_stops_at_the_end_of_the_service_it_goes_with(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, key, starts_on) = summary_key(&app, &c, "ch-sports").await;
    let form = [("code", "ch-sports"), ("key", key.as_str()), ("agree", "1"), ("starts_on", &starts_on)];
    post_from(&app, &c, "/api/addons/apply", &form).await;
    let id: String = rows::<(String,)>(&app, "SELECT id FROM addon_subscriptions").await.remove(0).0;
    let this = Month::of(today());
    let (_, body) = app.get_text_with(&c, "/contract/channels").await;
    let term_end = this.plus(5).last();
    assert_eq!(hidden(&body, "ends"), term_end.to_string(), "six months, the TV running on");
    assert!(body.contains(&format!("{}円", app::domain::Yen(5 * 1_320).grouped())), "{body}");
    // The TV ends on the 15th of the month after next.
    let tv_ends = Date { day: 15, ..this.plus(2).first() };
    exec(&app, &format!("UPDATE services SET ended_on = '{tv_ends}' WHERE id = 'svc-100000002-tv'")).await;
    let (_, body) = app.get_text_with(&c, "/contract/channels").await;
    assert_eq!(hidden(&body, "ends"), tv_ends.to_string());
    let days = this.plus(2).days() as i64;
    let quoted = 1_320 + 1_320 * 15 / days;
    let said = format!(
        "ご契約のサービスが{0}年{1}月{2}日で終了するため、このオプションも{0}年{1}月{2}日で終了します。",
        tv_ends.year, tv_ends.month, tv_ends.day
    );
    assert!(body.contains(&said), "{body}");
    assert!(body.contains(&format!("今月分に加え {}円", app::domain::Yen(quoted).grouped())), "{body}");
    // What the engine bills after this month is what was quoted.
    let mut billed = 0;
    for month in [this.plus(1), this.plus(2), this.plus(3)] {
        billed += lines(&app, "100000002", month)
            .await
            .iter()
            .filter(|(d, _)| d == "スポーツワイド")
            .map(|(_, a)| a)
            .sum::<i64>();
    }
    assert_eq!(billed, quoted);
    // Cancelled on the page's word: it ends with the TV.
    assert_eq!(
        cancel_on(&app, &c, "/contract/channels", &id, "channel").await,
        "/contract/channels?cancelled=1"
    );
    let ended: Vec<(Option<String>,)> = rows(&app, "SELECT ended_on FROM addon_subscriptions").await;
    assert_eq!(ended, [(Some(tv_ends.to_string()),)]);
}

/// The application's summary quotes what the engine bills when the service the add-on
/// needs has its end set (today, its last day): the first month to that day, no
/// minimum term's end past it, and a word that the add-on ends with it. Before, it
/// quoted the month to its end and a six-month term. A summary changed since it was
/// shown (the end withdrawn) is shown again, not applied for.
async fn an_applications_quote_stops_at_the_end_of_the_service_it_goes_with(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (today, this) = (today(), Month::of(today()));
    exec(&app, &format!("UPDATE services SET ended_on = '{today}' WHERE id = 'svc-100000002-tv'")).await;
    let (body, key, starts_on) = summary_key(&app, &c, "ch-sports").await;
    let summary = &body[body.find("data-testid=\"addon-summary\"").unwrap()..];
    let quoted = 1_320 / this.days() as i64;
    assert!(summary.contains(&format!("{}円", app::domain::Yen(quoted).grouped())), "{summary}");
    let ymd = |d: Date| format!("{}年{}月{}日", d.year, d.month, d.day);
    assert!(!summary.contains(&ymd(this.plus(5).last())) && !summary.contains("最低利用期間の満了日"));
    let said = format!("ご契約のサービスが{0}で終了するため、このオプションも{0}で終了します。", ymd(today));
    assert!(summary.contains(&said), "{summary}");
    let shown = hidden(&body, "quoted");
    let form = [
        ("code", "ch-sports"),
        ("key", key.as_str()),
        ("agree", "1"),
        ("starts_on", &starts_on),
        ("quoted", &shown),
    ];
    exec(&app, "UPDATE services SET ended_on = NULL WHERE id = 'svc-100000002-tv'").await;
    let to = post_from(&app, &c, "/api/addons/apply", &form).await;
    assert!(to.starts_with("/addons/apply?code=ch-sports") && to.ends_with("error=expired"), "{to}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM addon_subscriptions").await, 0);
    exec(&app, &format!("UPDATE services SET ended_on = '{today}' WHERE id = 'svc-100000002-tv'")).await;
    assert_eq!(post_from(&app, &c, "/api/addons/apply", &form).await, "/contract/channels?applied=ch-sports");
    let billed: i64 = lines(&app, "100000002", this)
        .await
        .iter()
        .filter(|(d, _)| d == "スポーツワイド")
        .map(|(_, a)| a)
        .sum();
    assert_eq!(billed, quoted);
}

/// An add-on goes with its service: when the TV ends (its end set by the back office
/// after the channel was applied for), the option channel is billed to that day and no
/// further, minimum term or not, where it went on being invoiced every month.
async fn an_add_on_is_billed_no_longer_than_the_service_it_goes_with(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, key, starts_on) = summary_key(&app, &c, "ch-sports").await;
    let form = [("code", "ch-sports"), ("key", key.as_str()), ("agree", "1"), ("starts_on", &starts_on)];
    assert_eq!(post_from(&app, &c, "/api/addons/apply", &form).await, "/contract/channels?applied=ch-sports");
    let next = Month::of(today()).plus(1);
    let channel =
        |lines: Vec<(String, i64)>| lines.into_iter().filter(|l| l.0 == "スポーツワイド").collect::<Vec<_>>();
    assert_eq!(
        channel(lines(&app, "100000002", next.plus(1)).await),
        [("スポーツワイド".to_string(), 1_320)]
    );
    // The TV ends on the 15th of next month; the internet goes on.
    let ends = Date { day: 15, ..next.first() };
    exec(&app, &format!("UPDATE services SET ended_on = '{ends}' WHERE id = 'svc-100000002-tv'")).await;
    let prorated = app::domain::billing::prorate(app::domain::Yen(1_320), 15, next.days()).0;
    assert_eq!(channel(lines(&app, "100000002", next).await), [("スポーツワイド".to_string(), prorated)]);
    assert_eq!(channel(lines(&app, "100000002", next.plus(1)).await), []);
    assert!(lines(&app, "100000002", next.plus(1)).await.iter().any(|l| l.0.starts_with("インターネット")));
}

/// A summary or a cancel confirmed on another day (at a month's end, past midnight:
/// another first month, minimum term or last day) is shown again, nothing written.
async fn what_was_confirmed_on_another_day_is_shown_again(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, key, starts_on) = summary_key(&app, &c, "norton").await;
    assert_eq!(starts_on, today().to_string(), "the summary starts today");
    for stale in [Some("2000-01-01"), None] {
        let mut form = vec![("code", "norton"), ("key", key.as_str()), ("agree", "1")];
        form.extend(stale.map(|day| ("starts_on", day)));
        let to = post_from(&app, &c, "/api/addons/apply", &form).await;
        assert_eq!(to, "/addons/apply?code=norton&agree=1&error=expired", "{stale:?}");
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM addon_subscriptions").await, 0);
    assert!(outbox_mails_to(&app, "addon.subscribed", "hanako@example.com").await.is_empty());
    let form = [("code", "norton"), ("key", key.as_str()), ("agree", "1"), ("starts_on", &starts_on)];
    assert_eq!(post_from(&app, &c, "/api/addons/apply", &form).await, "/settings/security?applied=norton");
    let (id,): (String,) =
        sqlx::query_as("SELECT id FROM addon_subscriptions").fetch_one(app.db.pool()).await.unwrap();
    for stale in [vec![("ends", "2000-01-31")], vec![]] {
        let mut form = vec![("id", id.as_str()), ("kind", "security")];
        form.extend(stale);
        let to = post_from(&app, &c, "/api/addons/cancel", &form).await;
        assert_eq!(to, "/settings/security?error=expired");
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM addon_subscriptions WHERE step = 'active'").await, 1);
    assert!(outbox_mails_to(&app, "addon.cancelled", "hanako@example.com").await.is_empty());
    assert_eq!(
        cancel_on(&app, &c, "/settings/security", &id, "security").await,
        "/settings/security?cancelled=1"
    );
}

/// An application checked before a subscription to the same add-on was made and
/// cancelled (another tab), written after: refused, as the cancelled one runs to its
/// end (it is not in the unique index of active ones).
async fn an_application_across_a_subscription_made_and_cancelled_meanwhile_is_refused(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, key, starts_on) = summary_key(&app, &c, "norton").await;
    let form = [("code", "norton"), ("key", key.as_str()), ("agree", "1"), ("starts_on", &starts_on)];
    let apply = post_later(&app, &c, "/api/addons/apply", &[HTML], &form);
    // Meanwhile, under the customer's lock: the other tab's subscription, cancelled,
    // in force to the month's end.
    let mut held = app.db.begin().await.unwrap();
    app::ssr::db::customers::lock(&mut held, "100000002").await.unwrap();
    sqlx::query(
        "INSERT INTO addon_subscriptions (id, customer_no, addon_code, step, started_on, ended_on, submit_key,
            created_at, cancelled_at) VALUES ('other-tab', '100000002', 'norton', 'cancelled', $1, $2,
            'other-tab-key-0123456789', 0, 0)",
    )
    .bind(today().to_string())
    .bind(Month::of(today()).last().to_string())
    .execute(&mut *held)
    .await
    .unwrap();
    let to = location(&across(held, apply).await);
    assert_eq!(to, "/settings/security?error=pending");
    let in_force = format!(
        "SELECT COUNT(*) FROM addon_subscriptions WHERE addon_code = 'norton' AND (ended_on IS NULL OR ended_on >= '{}')",
        today()
    );
    assert_eq!(scalar(&app, &in_force).await, 1, "one in force");
    assert!(outbox_mails_to(&app, "addon.subscribed", "hanako@example.com").await.is_empty());
}

/// The lines of `customer_no`'s invoice for `month` as it was issued: description, amount.
async fn invoiced(app: &TestApp, customer_no: &str, month: Month) -> Vec<(String, i64)> {
    invoiced_lines(app, customer_no, month).await.into_iter().map(|(d, amount, _)| (d, amount)).collect()
}

/// Applied for in a month already invoiced (the demo data's current month is): that
/// month's invoice stays as issued, and its days are on the next invoice, once, beside
/// the next add-on's; the add-ons' full fees from then on.
async fn add_ons_from_a_month_already_invoiced_are_billed_on_the_next_invoice(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let this = Month::of(today());
    let before = invoiced(&app, "100000002", this).await;
    assert!(!before.is_empty(), "this month is invoiced in the demo data");
    for code in ["norton", "ch-kids"] {
        let (_, key, starts_on) = summary_key(&app, &c, code).await;
        let form = [("code", code), ("key", key.as_str()), ("agree", "1"), ("starts_on", &starts_on)];
        assert!(post_from(&app, &c, "/api/addons/apply", &form).await.contains("applied="), "{code}");
    }
    assert_eq!(invoiced(&app, "100000002", this).await, before, "an issued month is never rewritten");
    app::features::billing::store::issue_month(&app.db, this.next(), None).await.unwrap();
    let next = invoiced(&app, "100000002", this.next()).await;
    let (norton, _) = app::domain::addon::first_month(app::domain::Yen(627), today());
    let (kids, _) = app::domain::addon::first_month(app::domain::Yen(550), today());
    let label = app::i18n::format_month(app::i18n::Locale::Ja, &this.to_string());
    let difference = format!("ご契約変更による差額（{label}分）");
    let corrections: Vec<i64> = next.iter().filter(|l| l.0 == difference).map(|l| l.1).collect();
    assert_eq!(corrections.iter().sum::<i64>(), norton.0 + kids.0, "{next:?}");
    assert!(
        next.contains(&(NORTON.to_string(), 627))
            && next.contains(&("キッズアニメチャンネル".to_string(), 550))
    );
}

/// A fee changed in the catalogue after months were invoiced is not billed back to them
/// when a later subscription settles them: the correction is the new add-on's alone
/// (Norton's fee goes up between; its issued months stand as billed), and the new fee
/// bills from the first month invoiced after it.
async fn a_catalogue_fee_changed_after_a_month_was_invoiced_is_not_billed_back_to_it(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let this = Month::of(today());
    let apply = |code: &'static str| {
        let (app, c) = (&app, &c);
        async move {
            let (_, key, starts_on) = summary_key(app, c, code).await;
            let form = [("code", code), ("key", key.as_str()), ("agree", "1"), ("starts_on", &starts_on)];
            assert!(post_from(app, c, "/api/addons/apply", &form).await.contains("applied="), "{code}");
        }
    };
    apply("norton").await;
    app::features::billing::store::issue_month(&app.db, this.next(), None).await.unwrap();
    assert!(invoiced(&app, "100000002", this.next()).await.contains(&(NORTON.to_string(), 627)));
    exec(&app, "UPDATE addons SET monthly_fee = 727 WHERE code = 'norton'").await;
    apply("ch-kids").await;
    app::features::billing::store::issue_month(&app.db, this.plus(2), None).await.unwrap();
    let later = invoiced(&app, "100000002", this.plus(2)).await;
    let corrections: i64 =
        later.iter().filter(|l| l.0.starts_with("ご契約変更による差額")).map(|l| l.1).sum();
    // The kids channel's days this month and its whole next month; none of Norton's +100.
    let (kids, _) = app::domain::addon::first_month(app::domain::Yen(550), today());
    assert_eq!(corrections, kids.0 + 550, "{later:?}");
    assert!(later.contains(&(NORTON.to_string(), 727)), "{later:?}");
}

on_both_databases!(
    an_add_on_ends_on_the_last_day_of_the_service_it_goes_with,
    a_cancels_quote_stops_at_the_end_of_the_service_it_goes_with,
    an_applications_quote_stops_at_the_end_of_the_service_it_goes_with,
    the_systems_that_provide_an_add_on_are_told_of_each_subscription_and_cancel,
    an_add_on_is_billed_no_longer_than_the_service_it_goes_with,
    a_catalogue_fee_changed_after_a_month_was_invoiced_is_not_billed_back_to_it,
    what_was_confirmed_on_another_day_is_shown_again,
    an_application_across_a_subscription_made_and_cancelled_meanwhile_is_refused,
    add_ons_from_a_month_already_invoiced_are_billed_on_the_next_invoice,
    the_security_service_is_applied_for_once_shown_to_its_owner_and_cancelled_at_the_month_end,
    option_channels_are_for_tv_subscribers_and_a_minimum_term_is_billed_to_its_end,
    the_security_add_on_is_for_internet_subscribers,
);
