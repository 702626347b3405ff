//! お友だち紹介 (issue 13): the code, link and QR code, the referrals, the public page.

use crate::common::*;

async fn the_referral_page_shows_the_code_its_qr_code_and_the_referrals_to_their_owner_only(
    backend: Backend,
) {
    let (app, c) = demo_app_and_browser(backend).await;
    assert_eq!(location(&app.login_from(&c, "hanako@example.com", "Hanako_2024").await), "/");
    let (status, body) = app.get_text_with(&c, "/contract/referral").await;
    assert_eq!(status, 200);
    let link = "http://127.0.0.1:3000/invite?code=HANA-K7Q4";
    assert!(body.contains("HANA-K7Q4") && body.contains(link));
    // The QR code is the SVG of exactly that link, labelled for screen readers.
    let svg_at = body.find("<svg role=\"img\"").expect("the QR code");
    let svg = &body[svg_at..svg_at + body[svg_at..].find("</svg>").unwrap() + 6];
    assert_eq!(svg, app::features::referral::store::qr_svg(link, "紹介用リンクのQRコード").unwrap());
    assert_eq!(body.matches("data-testid=\"referral\"").count(), 2);
    for want in ["ス**** 様", "特典付与", "タ**** 様", "申込受付", "これまでの特典の合計: 5,000円"]
    {
        assert!(body.contains(want), "{want}");
    }
    // Another customer gets a code of their own (the same on each visit), none of hers.
    let ichiro = app.new_browser();
    assert_eq!(location(&app.login_from(&ichiro, "ichiro@example.net", "Ichiro_2020").await), "/");
    let (_, first) = app.get_text_with(&ichiro, "/contract/referral").await;
    let (_, second) = app.get_text_with(&ichiro, "/contract/referral").await;
    assert!(!first.contains("HANA-K7Q4") && !first.contains("タ**** 様"));
    assert!(first.contains("まだご紹介はありません。"));
    let (code,): (String,) =
        sqlx::query_as("SELECT code FROM referral_codes WHERE customer_no = '100000003'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let printed = app::features::referral::print_code(&code);
    assert!(app::features::referral::normalize_code(&code).is_some() && first.contains(&printed));
    assert!(second.contains(&printed));
    // Not logged in: the login page.
    let res = app.new_browser().get(app.url("/contract/referral")).send().await.unwrap();
    assert_eq!(res.status(), 302);
    assert!(location(&res).starts_with("/login"));
}

async fn the_invitation_page_accepts_a_known_code_without_naming_the_referrer(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let (status, body) = app.get_text("/invite?code=hana-k7q4").await;
    assert_eq!(status, 200);
    assert!(body.contains("紹介コード HANA-K7Q4"), "{}", &body[body.find("<main").unwrap_or(0)..]);
    assert!(!body.contains("佐藤") && !body.contains("100000002"), "never the referrer");
    for bad in ["ZZZZ-ZZZZ", "HANA-K7Q", "%3Cscript%3E", ""] {
        let (status, body) = app.get_text(&format!("/invite?code={bad}")).await;
        assert_eq!(status, 404, "{bad}");
        assert!(body.contains("この紹介コードは確認できませんでした") && !body.contains("<script>"), "{bad}");
    }
}

/// The reward the referral page says was given is on the referrer's invoice of its
/// month, as the page promises (a discount, tax included, at 10%): on the statement and
/// its PDF. Before, the demo's rewarded referral was on no invoice.
async fn a_reward_given_is_a_discount_on_the_invoice_of_its_month(backend: Backend) {
    let (app, c) = demo_app_and_browser(backend).await;
    assert_eq!(location(&app.login_from(&c, "hanako@example.com", "Hanako_2024").await), "/");
    let (rewarded_on,): (String,) = sqlx::query_as(
        "SELECT rewarded_on FROM referrals WHERE referrer_no = '100000002' AND state = 'rewarded'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let month = &rewarded_on[..7];
    let lines = invoiced_lines(&app, "100000002", app::domain::billing::Month::parse(month).unwrap()).await;
    let reward: Vec<_> = lines.iter().filter(|l| l.0 == "お友だち紹介特典").collect();
    assert_eq!(reward.len(), 1, "{lines:?}");
    assert_eq!(reward[0].1, -5_000);
    let (status, body) = app.get_text_with(&c, &format!("/billing?month={month}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("お友だち紹介特典") && body.contains("-5,000円"));
    let pdf = c.get(app.url(&format!("/billing/{month}/invoice.pdf"))).send().await.unwrap();
    assert_eq!(pdf.status(), 200);
    let text = pdf_text(&pdf.bytes().await.unwrap());
    assert!(text.contains("お友だち紹介特典"), "{text}");
}

on_both_databases!(
    a_reward_given_is_a_discount_on_the_invoice_of_its_month,
    the_referral_page_shows_the_code_its_qr_code_and_the_referrals_to_their_owner_only,
    the_invitation_page_accepts_a_known_code_without_naming_the_referrer,
);
