//! ご請求明細の確認, the invoice and receipt PDFs, and お支払い方法の確認・変更 through
//! the test gateway's hosted page (issue 12).

use crate::common::*;

const HANAKO: (&str, &str) = ("hanako@example.com", "Hanako_2024");
const ICHIRO: (&str, &str) = ("ichiro@example.net", "Ichiro_2020");

async fn browser_of(app: &TestApp, (id, password): (&str, &str)) -> reqwest::Client {
    let c = app.new_browser();
    assert_eq!(location(&app.login_from(&c, id, password).await), "/");
    c
}

async fn months_of(app: &TestApp, customer_no: &str) -> Vec<(String, i64, String)> {
    sqlx::query_as("SELECT billing_month, total, status FROM invoices WHERE customer_no = $1 ORDER BY billing_month DESC")
        .bind(customer_no)
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

/// 佐藤 花子's latest invoiced month (`YYYY-MM`).
async fn hanakos_latest_month(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT MAX(billing_month) FROM invoices WHERE customer_no = '100000002'")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

fn yen(n: i64) -> String {
    format!("{}円", app::domain::Yen(n).grouped())
}

async fn the_statement_lists_twelve_months_the_lines_the_tax_and_what_changed(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = browser_of(&app, HANAKO).await;
    let months = months_of(&app, "100000002").await;
    assert_eq!(months.len(), 12);
    let (status, body) = app.get_text_with(&c, "/billing").await;
    assert_eq!(status, 200);
    assert!(body.contains("ご請求明細の確認") && body.contains("data-testid=\"billing-chart\""));
    assert_eq!(body.matches("<rect").count(), 12, "one bar a month");
    // Newest first, the newest selected: お支払い予定 (not yet due), the others paid.
    let (latest, total, _) = &months[0];
    assert!(body.contains(&format!("data-month=\"{latest}\"")));
    assert!(body.contains(&yen(*total)));
    assert!(body.contains("お支払い予定") && body.contains("お支払い済み"));
    assert!(body.contains("消費税（10%）") && body.contains(&yen(total * 10 / 110)), "tax once on the total");
    assert!(body.contains("クレジットカード（Visa ****4242"), "paid by the card on record");
    // The month of the plan change: two prorated lines, and the change named.
    let (change_month,): (String,) = sqlx::query_as(
        "SELECT i.billing_month FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
         WHERE i.customer_no = '100000002' AND l.days IS NOT NULL ORDER BY i.billing_month LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let (status, body) = app.get_text_with(&c, &format!("/billing?month={change_month}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("日割り"), "prorated lines say so");
    assert!(
        body.contains("前月からの変化") && body.contains("追加") && body.contains("インターネット 1Gコース")
    );
    assert!(body.contains("変更") && body.contains("インターネット 300Mコース"));
}

/// The chart shows the last 12 months (SPEC §2) at the edge the other way: with a 13th
/// invoice, still 12 bars, the oldest left out and the new month in.
async fn a_thirteenth_month_leaves_the_oldest_out_of_the_chart(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let months = months_of(&app, "100000002").await;
    let (newest, oldest) = (months[0].0.clone(), months[11].0.clone());
    let next = app::domain::billing::Month::parse(&newest).unwrap().next();
    app::features::billing::store::issue_month(&app.db, next, None).await.unwrap();
    assert_eq!(months_of(&app, "100000002").await.len(), 13);
    let c = browser_of(&app, HANAKO).await;
    let (_, body) = app.get_text_with(&c, "/billing").await;
    assert_eq!(body.matches("<rect").count(), 12, "one bar a month, twelve months");
    assert!(body.contains(&format!("data-month=\"{next}\"")), "the new month");
    assert!(!body.contains(&format!("data-month=\"{oldest}\"")), "the oldest left out");
}

async fn an_unpaid_month_says_so_and_how_to_pay(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = browser_of(&app, ICHIRO).await;
    let months = months_of(&app, "100000003").await;
    // The failed debit: unpaid two months back (its payment date long past).
    let (unpaid, _, status) = &months[2];
    assert_eq!(status, "unpaid");
    let (status, body) = app.get_text_with(&c, &format!("/billing?month={unpaid}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("data-testid=\"overdue-help\"") && body.contains("0120-109199"));
    // The one thing to do: call. The number is a tel: link that never wraps.
    let help = &body[body.find("data-testid=\"overdue-help\"").unwrap()..];
    let help = &help[..help.find("</p>").unwrap()];
    let link = &help[help.find("<a href=\"tel:0120109199\"").expect("a tel: link")..];
    assert!(link[..link.find("</a>").unwrap()].contains("whitespace-nowrap\">0120-109199"), "{help}");
    assert!(body.contains("未払い"));
    assert!(body.contains("口座振替（デモ銀行 口座番号 ****5678）"));
    // Paid months have no such notice.
    let (paid, _, _) = months.iter().find(|(_, _, s)| s == "paid").unwrap();
    let (_, body) = app.get_text_with(&c, &format!("/billing?month={paid}")).await;
    assert!(!body.contains("overdue-help"));
}

/// `server payments FILE`: a month past its payment date with no result yet is
/// お支払い確認中 (it was 未払い, "the debit did not go through", on no news at all);
/// the bank's reported failure makes it 未払い and mails its holder once; a payment
/// makes it お支払い済み, with its day and its receipt. The same file read again changes
/// and mails nothing; lines that cannot be recorded are named by number, and the
/// command exits 1 after recording the others.
async fn payment_results_are_recorded_once_and_the_statement_says_what_came_back(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = browser_of(&app, HANAKO).await;
    let month = hanakos_latest_month(&app).await;
    let total = months_of(&app, "100000002").await[0].1;
    let statement = |c: reqwest::Client| {
        let (app, month) = (&app, month.clone());
        async move {
            let (status, body) = app.get_text_with(&c, &format!("/billing?month={month}")).await;
            assert_eq!(status, 200);
            body[body.find("data-testid=\"statement\"").unwrap()..].to_string()
        }
    };
    let due = |on: &str| {
        let (app, month, on) = (&app, month.clone(), on.to_string());
        async move {
            sqlx::query(
                "UPDATE invoices SET due_on = $2 WHERE customer_no = '100000002' AND billing_month = $1",
            )
            .bind(month)
            .bind(on)
            .execute(app.db.pool())
            .await
            .unwrap();
        }
    };
    let today = app::domain::billing::Date::of_unix_jst(app::ssr::now());
    let yesterday = app::domain::billing::Date::of_unix_jst(app::ssr::now() - 86_400);
    // On its payment date: お支払い予定. The day after, with no result: お支払い確認中.
    due(&today.to_string()).await;
    let body = statement(c.clone()).await;
    assert!(body.contains("お支払い予定") && !body.contains("お支払い確認中"), "{body}");
    due(&yesterday.to_string()).await;
    let body = statement(c.clone()).await;
    assert!(body.contains("お支払い確認中") && body.contains("data-testid=\"confirming-help\""), "{body}");
    assert!(!body.contains("未払い") && !body.contains("overdue-help"), "no news is not a failure");
    let (_, top) = app.get_text_with(&c, "/").await;
    assert!(!top.contains("notice-unpaid"), "nor news on the top page");

    let dir = std::env::temp_dir().join(format!("payments-{}", app::ssr::auth::random_token()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = |name: &str, lines: &[String]| {
        let path = dir.join(name);
        std::fs::write(&path, lines.join("\n")).unwrap();
        path.to_string_lossy().into_owned()
    };
    let on = yesterday.to_string();
    let failed = file(
        "failed.csv",
        &[
            "customer_no,billing_month,result,date,amount".into(),
            "# 口座振替結果".into(),
            format!("100000002,{month},failed,{on},{total}"),
            format!("100000002,{month},paid,{on},{}", total + 1),
            format!("100000009,{month},paid,{on},100"),
            format!("100000002,2026-13,paid,{on},{total}"),
            String::new(),
        ],
    );
    let to = Some(contact_of(&app, "100000002").await).filter(|c| !c.is_empty()).unwrap_or(HANAKO.0.into());
    for run in 0..2 {
        let (ok, out) = operator(&app, "payments", &[&failed]);
        assert!(!ok, "{out}");
        let counts = if run == 0 { "0 paid, 1 failed (1 mailed;" } else { "0 paid, 0 failed (0 mailed;" };
        assert!(
            out.contains(counts) && out.contains(&format!("{run} recorded before, 3 not recorded")),
            "{out}"
        );
        assert!(
            out.contains(&format!("line 4: customer 100000002 {month} is {total} yen, not {}", total + 1)),
            "{out}"
        );
        assert!(out.contains(&format!("line 5: no invoice of customer 100000009 {month}")), "{out}");
        assert!(out.contains("line 6: billing month \"2026-13\" is not YYYY-MM"), "{out}");
        assert_eq!(outbox_mails_to(&app, "billing.payment_failed", &to).await.len(), 1, "mailed once");
    }
    let mail = outbox_mails_to(&app, "billing.payment_failed", &to).await.remove(0);
    assert!(
        mail.text.contains("お引き落とし（お支払い）ができませんでした") && mail.text.contains("0120-109199")
    );
    let body = statement(c.clone()).await;
    assert!(body.contains("未払い") && body.contains("data-testid=\"overdue-help\""), "{body}");
    assert!(!body.contains("お支払い確認中"));
    let (_, top) = app.get_text_with(&c, "/").await;
    assert!(top.contains("notice-unpaid"), "the top page tells of it");

    // Paid later (by the slip): お支払い済み, its day and its receipt; a failure can no
    // longer follow.
    let paid = file("paid.csv", &[format!("100000002,{month},paid,{today},{total}")]);
    let (ok, out) = operator(&app, "payments", &[&paid]);
    assert!(
        ok && out.contains("1 paid, 0 failed") && out.contains("0 recorded before, 0 not recorded"),
        "{out}"
    );
    // The same payment again: recorded before; on another day: a second collection?
    let (ok, out) = operator(&app, "payments", &[&paid]);
    assert!(ok && out.contains("1 recorded before, 0 not recorded"), "{out}");
    let again = file("again.csv", &[format!("\u{feff}100000002,{month},paid,{on},{total}")]);
    let (ok, out) = operator(&app, "payments", &[&again]);
    assert!(!ok && out.contains(&format!("line 1: customer 100000002 {month} was paid on {today}")), "{out}");
    let body = statement(c.clone()).await;
    assert!(
        body.contains("お支払い済み") && !body.contains("未払い") && !body.contains("overdue-help"),
        "{body}"
    );
    let res = c.get(app.url(&format!("/billing/{month}/receipt.pdf"))).send().await.unwrap();
    assert_eq!(res.status(), 200, "the receipt");
    let (ok, out) = operator(&app, "payments", &[&failed]);
    assert!(!ok && out.contains(&format!("line 3: customer 100000002 {month} is paid already")), "{out}");
    assert_eq!(outbox_mails_to(&app, "billing.payment_failed", &to).await.len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The top page's bill is 今月のご請求額 when the newest invoice is this month's, and
/// 最新のご請求額 before this month's billing run (between the 1st and the run, or after
/// the services ended): last month's bill was called this month's.
async fn the_top_page_calls_last_months_bill_the_latest_not_this_months(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = browser_of(&app, HANAKO).await;
    let card = |top: &str| {
        let at = top.find("data-testid=\"latest-total\"").expect("the bill card");
        let end = at + top[at..].find("</section>").expect("the card's end");
        top[top[..at].rfind("<section").expect("the card")..end].to_string()
    };
    let (_, top) = app.get_text_with(&c, "/").await;
    assert!(
        card(&top).contains("今月のご請求額") && !card(&top).contains("最新のご請求額"),
        "{}",
        card(&top)
    );
    // This month's run has not reached her yet.
    let this_month =
        app::domain::billing::Month::of(app::domain::billing::Date::of_unix_jst(app::ssr::now()));
    for sql in [
        "DELETE FROM invoice_lines WHERE invoice_id IN
           (SELECT id FROM invoices WHERE customer_no = '100000002' AND billing_month = $1)",
        "DELETE FROM invoices WHERE customer_no = '100000002' AND billing_month = $1",
    ] {
        sqlx::query(sql).bind(this_month.to_string()).execute(app.db.pool()).await.unwrap();
    }
    let last = this_month.previous();
    let (_, top) = app.get_text_with(&c, "/").await;
    assert!(
        card(&top).contains("最新のご請求額") && !card(&top).contains("今月のご請求額"),
        "{}",
        card(&top)
    );
    assert!(card(&top).contains(&format!("{}年{}月", last.year, last.month)), "its month named");
    app.post_with(&c, "/api/preferences/locale", &[HTML, SAME_ORIGIN], &[("lang", "en")]).await;
    let (_, top) = app.get_text_with(&c, "/").await;
    assert!(card(&top).contains("Latest bill"), "{}", card(&top));
}

/// The top page's お知らせ name an unpaid month with the way to it (SPEC §2: the
/// summary's notices); a customer whose months are all paid has none.
async fn the_top_page_tells_of_an_unpaid_month(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = browser_of(&app, ICHIRO).await;
    // The failed debit two months back; this month's bill, not yet due, is no news.
    let (unpaid, total, status) = months_of(&app, "100000003").await.swap_remove(2);
    assert_eq!(status, "unpaid");
    let (_, top) = app.get_text_with(&c, "/").await;
    let at = top.find("data-testid=\"notice-unpaid\"").expect("a notice of the unpaid month");
    let notice = &top[at..at + top[at..].find("</li>").unwrap()];
    let (y, m) = unpaid.split_once('-').unwrap();
    let month = format!("{y}年{}月分のご請求", m.trim_start_matches('0'));
    assert!(notice.contains(&month) && notice.contains("が未払いです。"), "{notice}");
    let text: String = notice.split('<').map(|part| part.split_once('>').map_or(part, |(_, t)| t)).collect();
    assert!(!text.contains("。 "), "no half-width space after 。: {text}");
    assert!(
        notice.contains(&app::i18n::format_yen(app::i18n::Locale::Ja.texts(), app::domain::Yen(total))),
        "{notice}"
    );
    assert!(notice.contains(&format!("href=\"/billing?month={unpaid}\"")), "{notice}");
    assert_eq!(top.matches("data-testid=\"notice-unpaid\"").count(), 1, "nor are the paid months");
    assert!(!top.contains("新しいお知らせはありません。"));
    // In English, in English words alone.
    app.post_with(&c, "/api/preferences/locale", &[HTML, SAME_ORIGIN], &[("lang", "en")]).await;
    let (_, top) = app.get_text_with(&c, "/").await;
    let at = top.find("data-testid=\"notice-unpaid\"").expect("the notice in English");
    let notice = &top[at..at + top[at..].find("</li>").unwrap()];
    assert!(notice.contains("Your bill for ") && notice.contains(") is unpaid."), "{notice}");
    assert!(!notice.chars().any(|c| c as u32 > 0x2000), "no Japanese or full-width: {notice}");
    let hanako = browser_of(&app, HANAKO).await;
    let (_, top) = app.get_text_with(&hanako, "/").await;
    assert!(top.contains("新しいお知らせはありません。") && !top.contains("notice-unpaid"), "all paid");
}

async fn another_customers_month_is_the_same_404_as_no_month(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    // 鈴木 一郎 has a month 佐藤 花子 does not.
    sqlx::query(
        "INSERT INTO invoices (id, customer_no, billing_month, issued_on, due_on, total, tax, status, paid_on)
         VALUES ('inv-x', '100000003', '2019-01', '2019-01-10', '2019-01-27', 1100, 100, 'paid', '2019-01-27')",
    )
    .execute(app.db.pool())
    .await
    .unwrap();
    let hanako = browser_of(&app, HANAKO).await;
    let ichiro = browser_of(&app, ICHIRO).await;
    assert_eq!(app.get_text_with(&ichiro, "/billing?month=2019-01").await.0, 200, "its owner sees it");
    let (s1, foreign) = app.get_text_with(&hanako, "/billing?month=2019-01").await;
    let (s2, missing) = app.get_text_with(&hanako, "/billing?month=2018-01").await;
    let (s3, _) = app.get_text_with(&hanako, "/billing?month=2019-13").await;
    assert_eq!((s1, s2, s3), (404, 404, 404));
    let main = |page: &str| page[page.find("<main").unwrap()..page.find("</main>").unwrap()].to_string();
    assert_eq!(main(&foreign), main(&missing), "nothing tells them apart");
    assert!(main(&foreign).contains("ページが見つかりません"));
    for path in
        ["/billing/2019-01/invoice.pdf", "/billing/2019-01/receipt.pdf", "/billing/2018-01/invoice.pdf"]
    {
        let res = hanako.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(res.text().await.unwrap(), "not found");
    }
    let res = ichiro.get(app.url("/billing/2019-01/receipt.pdf")).send().await.unwrap();
    assert_eq!(res.status(), 200, "its owner gets it");
    for path in ["/billing/abc/invoice.pdf", "/billing/2019-01/other.pdf"] {
        assert_eq!(ichiro.get(app.url(path)).send().await.unwrap().status(), 404, "{path}");
    }
    // Logged out: the page sends to the login, the PDF answers 401.
    let stranger = app.new_browser();
    let res = stranger.get(app.url("/billing")).send().await.unwrap();
    assert_eq!(res.status(), 302);
    assert!(location(&res).starts_with("/login"));
    assert_eq!(stranger.get(app.url("/billing/2019-01/invoice.pdf")).send().await.unwrap().status(), 401);
}

async fn the_invoice_pdf_is_a_qualified_invoice_and_paid_months_have_a_receipt(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = browser_of(&app, HANAKO).await;
    let months = months_of(&app, "100000002").await;
    let (latest, total, _) = &months[0];
    let res = c.get(app.url(&format!("/billing/{latest}/invoice.pdf"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let header = |name: &str| res.headers().get(name).unwrap().to_str().unwrap().to_string();
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(header("cache-control"), "no-store");
    let (y, m) = latest.split_once('-').unwrap();
    let m: u8 = m.parse().unwrap();
    let disposition = header("content-disposition");
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"invoice-{latest}.pdf\"; filename*=UTF-8''"))
    );
    assert!(
        disposition.contains(&format!("%E8%AB%8B%E6%B1%82%E6%9B%B8_{y}%E5%B9%B4{m}%E6%9C%88.pdf")),
        "請求書_{y}年{m}月.pdf: {disposition}"
    );
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&bytes);
    for want in
        ["適格請求書", "T9234567890123", "佐藤 花子", &yen(*total), "消費税（10%）", &yen(total * 10 / 110)]
    {
        assert!(text.contains(want), "{want} in\n{text}");
    }
    // The latest month is not paid yet: no receipt. A paid month has one.
    assert_eq!(c.get(app.url(&format!("/billing/{latest}/receipt.pdf"))).send().await.unwrap().status(), 404);
    let (paid, paid_total, _) = months.iter().find(|(_, _, s)| s == "paid").unwrap();
    let res = c.get(app.url(&format!("/billing/{paid}/receipt.pdf"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let text = pdf_text(&res.bytes().await.unwrap());
    for want in ["領収書", "T9234567890123", "佐藤 花子", &yen(*paid_total), "上記正に領収いたしました"]
    {
        assert!(text.contains(want), "{want} in\n{text}");
    }
}

/// An invoice is printed as it was issued: after the back office records a move and a new
/// name, the issued months' invoice and receipt still carry the old ones, the next month's
/// the new; an invoice issued before addressees were kept reads as the customer is now.
async fn an_issued_invoice_keeps_the_name_and_address_it_was_issued_to(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = browser_of(&app, HANAKO).await;
    let months = months_of(&app, "100000002").await;
    let (latest, _, _) = &months[0];
    let (paid, _, _) = months.iter().find(|(_, _, s)| s == "paid").unwrap();
    sqlx::query(
        "UPDATE customers SET name = '田中 花子', postal_code = '100-0005',
         address = '東京都千代田区丸の内九丁目9番9号' WHERE customer_no = '100000002'",
    )
    .execute(app.db.pool())
    .await
    .unwrap();
    let pdf = |path: String| {
        let (app, c) = (&app, &c);
        async move {
            let res = c.get(app.url(&path)).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            pdf_text(&res.bytes().await.unwrap())
        }
    };
    for path in [format!("/billing/{latest}/invoice.pdf"), format!("/billing/{paid}/receipt.pdf")] {
        let text = pdf(path.clone()).await;
        assert!(text.contains("佐藤 花子") && text.contains("〒225-0002"), "{path}:\n{text}");
        assert!(!text.contains("田中") && !text.contains("100-0005"), "{path}:\n{text}");
    }
    let next = app::domain::billing::Month::parse(latest).unwrap().next();
    app::features::billing::store::issue_month(&app.db, next, None).await.unwrap();
    let text = pdf(format!("/billing/{next}/invoice.pdf")).await;
    assert!(text.contains("田中 花子") && text.contains("〒100-0005"), "{text}");
    assert!(!text.contains("佐藤") && !text.contains("225-0002"), "{text}");
    // Issued before the addressee was kept: as the customer is now.
    sqlx::query("UPDATE invoices SET to_name = NULL, to_postal_code = NULL, to_address = NULL WHERE customer_no = '100000002' AND billing_month = $1")
        .bind(latest)
        .execute(app.db.pool())
        .await
        .unwrap();
    let text = pdf(format!("/billing/{latest}/invoice.pdf")).await;
    assert!(text.contains("田中 花子") && text.contains("〒100-0005"), "{text}");
}

/// The card page's form path from お支払い方法の確認・変更, as a browser follows it.
/// 契約解除料 is outside consumption tax: the statement and the invoice PDF print it as
/// 不課税 with no tax row, never as a 0% rate; the taxable lines keep theirs.
/// An invoice of ¥0 or a credit (credits as large as the month's charges) has nothing
/// to pay: past its date it is お支払いなし, not 未払い with the overdue notice, and
/// neither the statement nor the PDF names a payment date.
async fn an_invoice_of_nothing_or_a_credit_is_not_unpaid(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let latest = hanakos_latest_month(&app).await;
    let c = browser_of(&app, HANAKO).await;
    let mut month = app::domain::billing::Month::parse(&latest).unwrap();
    for credit in [0, 100_000] {
        month = month.next();
        // The month's charges, and a credit of as much or more.
        let (charges,): (i64,) = sqlx::query_as(
            "SELECT total FROM invoices WHERE customer_no = '100000002' AND billing_month = $1",
        )
        .bind(&latest)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO billing_items (id, customer_no, billing_month, kind, description, amount, rate)
             VALUES ($1, '100000002', $2, 'adjustment', '調整額', $3, 10)",
        )
        .bind(format!("credit-{credit}"))
        .bind(month.to_string())
        .bind(-charges - credit)
        .execute(app.db.pool())
        .await
        .unwrap();
        app::features::billing::store::issue_month(&app.db, month, None).await.unwrap();
        let (total,): (i64,) = sqlx::query_as(
            "SELECT total FROM invoices WHERE customer_no = '100000002' AND billing_month = $1",
        )
        .bind(month.to_string())
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(total, -credit);
        // Its payment date long past.
        sqlx::query("UPDATE invoices SET due_on = '2001-01-27' WHERE customer_no = '100000002' AND billing_month = $1")
            .bind(month.to_string())
            .execute(app.db.pool())
            .await
            .unwrap();
        let (status, body) = app.get_text_with(&c, &format!("/billing?month={month}")).await;
        assert_eq!(status, 200);
        let statement = &body[body.find("data-testid=\"statement\"").unwrap()..];
        assert!(statement.contains("お支払いなし"), "{credit}: {statement}");
        assert!(!statement.contains("未払い") && !statement.contains("overdue-help"), "{credit}");
        assert!(!statement.contains("お支払い予定日") && !statement.contains("2001年1月27日"), "{credit}");
        let res = c.get(app.url(&format!("/billing/{month}/invoice.pdf"))).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let pdf = pdf_text(&res.bytes().await.unwrap());
        assert!(pdf.contains("請求書") && !pdf.contains("お支払い予定日"), "{credit}: {pdf}");
    }
}

async fn a_non_taxable_fee_is_printed_as_such_not_as_a_zero_rate(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let latest = hanakos_latest_month(&app).await;
    let next = app::domain::billing::Month::parse(&latest).unwrap().next();
    sqlx::query(
        "INSERT INTO billing_items (id, customer_no, billing_month, kind, description, amount, rate)
         VALUES ('etf-test', '100000002', $1, 'adjustment', '契約解除料（不課税）', 5500, 0)",
    )
    .bind(next.to_string())
    .execute(app.db.pool())
    .await
    .unwrap();
    app::features::billing::store::issue_month(&app.db, next, None).await.unwrap();
    let c = browser_of(&app, HANAKO).await;
    let (status, body) = app.get_text_with(&c, &format!("/billing?month={next}")).await;
    assert_eq!(status, 200);
    let res = c.get(app.url(&format!("/billing/{next}/invoice.pdf"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let pdf = pdf_text(&res.bytes().await.unwrap());
    for (what, text) in [("statement", body.as_str()), ("PDF", pdf.as_str())] {
        assert!(text.contains("不課税") && text.contains("5,500"), "{what}: {text}");
        let zero_rate = text.replace("10%対象", "").contains("0%対象");
        assert!(!zero_rate && !text.contains("消費税（0%）"), "{what}: {text}");
        assert!(text.contains("10%対象（税込）") && text.contains("消費税（10%）"), "{what}: {text}");
    }
}

async fn open_card_page(app: &TestApp, c: &reqwest::Client, form: &[(&str, &str)]) -> String {
    let page = post_from(app, c, "/api/billing/payment/start", form).await;
    assert!(page.starts_with("/pgw/test/pay/"), "{page}");
    let (status, body) = app.get_text_with(c, &page).await;
    assert_eq!(status, 200);
    assert!(body.contains("カード番号") && body.contains("autocomplete=\"cc-number\""));
    page
}

/// Enter a card on the gateway's page; returns the My Page path it sends back to.
async fn enter_card(app: &TestApp, c: &reqwest::Client, page: &str, number: &str) -> String {
    let res = c
        .post(app.url(page))
        .header("Accept", "text/html")
        .form(&[("number", number), ("exp_month", "12"), ("exp_year", &card_year().0), ("cvc", "123")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let back = location(&res);
    let back = back.strip_prefix("http://127.0.0.1:3000").expect("to PUBLIC_URL").to_string();
    assert!(back.starts_with("/billing/payment/return?"), "{back}");
    back
}

async fn a_card_change_goes_through_the_gateway_and_keeps_only_brand_last4_and_expiry(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = browser_of(&app, HANAKO).await;
    let (_, body) = app.get_text_with(&c, "/billing/payment").await;
    assert!(body.contains("クレジットカード（Visa ****4242"), "the method now");
    assert!(body.contains("口座振替依頼書"), "a bank change is a paper form, and the page says so");
    assert!(!body.contains("現在のパスワード"), "a fresh login is not asked again");
    let page = open_card_page(&app, &c, &[]).await;
    // Field messages on the gateway's page; nothing settled.
    let res = c
        .post(app.url(&page))
        .form(&[("number", "4242 4242 4242 4241"), ("exp_month", "13"), ("exp_year", "30"), ("cvc", "12")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("カード番号に誤りがあります")
            && body.contains("有効期限を")
            && body.contains("セキュリティコード")
    );
    let back = enter_card(&app, &c, &page, "5555 5555 5555 4444").await;
    let res = c.get(app.url(&back)).send().await.unwrap();
    assert_eq!(location(&res), "/billing/payment?changed=1");
    let (_, body) = app.get_text_with(&c, "/billing/payment?changed=1").await;
    assert!(body.contains(&format!("Mastercard ****4444 有効期限 12/{}", card_year().1)), "{body}");
    assert!(body.contains("data-testid=\"payment-changed\""));
    // Replayed (the back button, a doubled redirect): nothing more happens, and it says
    // how the change went (it said the change had expired).
    let res = c.get(app.url(&back)).send().await.unwrap();
    let again = location(&res);
    assert!(again.starts_with("/billing/payment/return?ref="), "{again}");
    assert_eq!(location(&c.get(app.url(&again)).send().await.unwrap()), "/billing/payment?changed=1");
    let stranger = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    assert_eq!(
        location(&stranger.get(app.url(&again)).send().await.unwrap()),
        "/billing/payment?error=expired"
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM account_events WHERE kind = 'billing.payment_method_changed'")
            .await,
        1
    );
    let mails = outbox_mails_to(&app, "billing.payment_method_changed", "hanako@example.com").await;
    assert_eq!(mails.len(), 1, "one notice to the contact address");
    assert!(mails[0].subject.contains("お支払い方法変更のお知らせ") && mails[0].text.contains("****4444"));
    // Only brand, last 4, expiry and the token are kept, nowhere the number.
    let (brand, last4, m, y, token): (String, String, i64, i64, String) = sqlx::query_as(
        "SELECT card_brand, card_last4, card_exp_month, card_exp_year, card_token FROM payment_methods
         WHERE customer_no = '100000002'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!((brand.as_str(), last4.as_str(), m, y), ("Mastercard", "4444", 12, card_year().1));
    assert!(token.starts_with("tok_test_"));
    let everything = all_text_in_the_database(&app).await;
    let logs = logs();
    for number in ["5555555555554444", "5555 5555 5555 4444", "4242424242424241"] {
        assert!(!everything.contains(number), "{number} stored");
        assert!(!logs.contains(number), "{number} logged");
    }
    // The next invoice is paid by the new card.
    let (latest,): (String,) =
        sqlx::query_as("SELECT MAX(billing_month) FROM invoices").fetch_one(app.db.pool()).await.unwrap();
    let next = app::domain::billing::Month::parse(&latest).unwrap().next();
    app::features::billing::store::issue_month(&app.db, next, None).await.unwrap();
    let (kind, name, last4): (String, String, String) = sqlx::query_as(
        "SELECT pay_kind, pay_name, pay_last4 FROM invoices WHERE customer_no = '100000002' AND billing_month = $1",
    )
    .bind(next.to_string())
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!((kind.as_str(), name.as_str(), last4.as_str()), ("card", "Mastercard", "4444"));
}

async fn a_declined_card_a_forged_return_and_another_session_change_nothing(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = browser_of(&app, HANAKO).await;
    let unchanged =
        || async { scalar(&app, "SELECT COUNT(*) FROM payment_methods WHERE card_last4 = '4242'").await };
    // Declined: a clear message, the method as it was.
    let page = open_card_page(&app, &c, &[]).await;
    let back = enter_card(&app, &c, &page, "4000 0000 0000 0002").await;
    let res = c.get(app.url(&back)).send().await.unwrap();
    assert_eq!(location(&res), "/billing/payment?error=declined");
    let (_, body) = app.get_text_with(&c, "/billing/payment?error=declined").await;
    assert!(body.contains("カード会社でお取り扱いできないカードでした"));
    assert_eq!(unchanged().await, 1);
    // A forged signature, and the right return from another session of the same
    // customer: refused, and the genuine return still works afterwards.
    let page = open_card_page(&app, &c, &[]).await;
    let back = enter_card(&app, &c, &page, "3530 1113 3330 0000").await;
    let flipped = if back.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{flipped}", &back[..back.len() - 1]);
    assert_eq!(location(&c.get(app.url(&forged)).send().await.unwrap()), "/billing/payment?error=expired");
    let other = browser_of(&app, HANAKO).await;
    assert_eq!(location(&other.get(app.url(&back)).send().await.unwrap()), "/billing/payment?error=expired");
    let ichiro = browser_of(&app, ICHIRO).await;
    assert_eq!(location(&ichiro.get(app.url(&back)).send().await.unwrap()), "/billing/payment?error=expired");
    assert_eq!(unchanged().await, 1);
    assert_eq!(location(&c.get(app.url(&back)).send().await.unwrap()), "/billing/payment?changed=1");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payment_methods WHERE card_brand = 'JCB'").await, 1);
    // Cancelled on the gateway's page: back, unchanged.
    let page = open_card_page(&app, &c, &[]).await;
    let res = c.post(app.url(&format!("{page}/cancel"))).send().await.unwrap();
    let back = location(&res).strip_prefix("http://127.0.0.1:3000").unwrap().to_string();
    assert_eq!(location(&c.get(app.url(&back)).send().await.unwrap()), "/billing/payment");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payment_methods WHERE card_brand = 'JCB'").await, 1);
}

async fn an_old_login_gives_the_password_before_the_card_page(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = browser_of(&app, ICHIRO).await;
    age_logins(&app).await;
    let (_, body) = app.get_text_with(&c, "/billing/payment").await;
    assert!(body.contains("現在のパスワード"));
    assert!(body.contains("口座振替（デモ銀行 口座番号 ****5678）"));
    let start = |form: Vec<(&'static str, &'static str)>| {
        let c = c.clone();
        let app = &app;
        async move { post_from(app, &c, "/api/billing/payment/start", &form).await }
    };
    assert_eq!(start(vec![]).await, "/billing/payment?error=current_password.required");
    assert_eq!(
        start(vec![("password", "Wrong_pass1")]).await,
        "/billing/payment?error=current_password.mismatch"
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payment_setups").await, 0);
    assert!(start(vec![("password", "Ichiro_2020")]).await.starts_with("/pgw/test/pay/"));
    // A bank payer becomes a card payer.
    let page = open_card_page(&app, &c, &[("password", "Ichiro_2020")]).await;
    let back = enter_card(&app, &c, &page, "4242424242424242").await;
    assert_eq!(location(&c.get(app.url(&back)).send().await.unwrap()), "/billing/payment?changed=1");
    let (kind, bank): (String, Option<String>) =
        sqlx::query_as("SELECT kind, account_last4 FROM payment_methods WHERE customer_no = '100000003'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!((kind.as_str(), bank), ("card", None));
}

async fn a_doubled_card_entry_and_return_change_the_method_once(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = browser_of(&app, HANAKO).await;
    let page = open_card_page(&app, &c, &[]).await;
    // The card form submitted twice at once: one result, sent back to both.
    let year = card_year().0;
    let form = [("number", "5555555555554444"), ("exp_month", "12"), ("exp_year", &year), ("cvc", "123")];
    let backs = at_once(&app, &[c.clone(), c.clone()], &page, &form).await;
    assert_eq!(backs[0], backs[1], "the same signed result");
    let back = backs[0].strip_prefix("http://127.0.0.1:3000").unwrap().to_string();
    // The return arrives four times at once (a doubled redirect, reloads).
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let (c, url) = (c.clone(), app.url(&back));
            tokio::spawn(async move { location(&c.get(url).send().await.unwrap()) })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    // One took the result; each of the others says how the change went (through the
    // return without a result), where they said it had expired.
    assert!(answers.contains(&"/billing/payment?changed=1".to_string()), "{answers:?}");
    for answer in answers {
        let told = match answer.starts_with("/billing/payment/return?ref=") {
            true => location(&c.get(app.url(&answer)).send().await.unwrap()),
            false => answer,
        };
        assert_eq!(told, "/billing/payment?changed=1");
    }
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM account_events WHERE kind = 'billing.payment_method_changed'")
            .await,
        1
    );
    assert_eq!(outbox_mails_to(&app, "billing.payment_method_changed", "hanako@example.com").await.len(), 1);
}

async fn card_setups_are_limited_to_ten_an_hour_per_account(backend: Backend) {
    let (app, c) = demo_app_and_browser(backend).await;
    app.login_from(&c, "hanako@example.com", "Hanako_2024").await;
    for i in 0..10 {
        let to = post_from(&app, &c, "/api/billing/payment/start", &[]).await;
        assert!(to.starts_with("/pgw/test/pay/"), "{i}: {to}");
    }
    assert_eq!(
        post_from(&app, &c, "/api/billing/payment/start", &[]).await,
        "/billing/payment?error=throttled"
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payment_setups").await, 10);
    // Another account has its own budget.
    let ichiro = app.new_browser();
    app.login_from(&ichiro, "ichiro@example.net", "Ichiro_2020").await;
    assert!(post_from(&app, &ichiro, "/api/billing/payment/start", &[]).await.starts_with("/pgw/test/pay/"));
}

/// SPEC: the support phone numbers are configuration. The screens and the contract
/// document that name the customer center name the configured number and hours, never
/// the guide's.
async fn the_customer_center_named_is_the_configured_one(backend: Backend) {
    let center = [("SUPPORT_GENERAL_PHONE", "0120-000-111"), ("SUPPORT_GENERAL_HOURS", "10:00～17:00")];
    let app = spawn_app_with_demo_data_and(backend, &center).await;
    let named = |body: &str| {
        body.contains("0120-000-111") && body.contains("10:00～17:00") && !body.contains("109199")
    };
    let hanako = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    for path in ["/billing/payment", "/account"] {
        let (status, body) = app.get_text_with(&hanako, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(named(&body), "{path}");
    }
    let (_, body) = app.get_text_with(&app.new_browser(), "/invite?code=HANAK7Q4").await;
    assert!(named(&body), "the invitation page");
    let pdf = hanako.get(app.url("/contract/document.pdf")).send().await.unwrap();
    assert_eq!(pdf.status(), 200);
    assert!(named(&pdf_text(&pdf.bytes().await.unwrap())), "the contract document");
    // 鈴木 一郎's debit two months back failed: its statement says whom to call.
    let ichiro = logged_in(&app, "ichiro@example.net", "Ichiro_2020").await;
    let (month,): (String,) = sqlx::query_as(
        "SELECT MIN(billing_month) FROM invoices WHERE customer_no = '100000003' AND status = 'unpaid'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let (_, body) = app.get_text_with(&ichiro, &format!("/billing?month={month}")).await;
    assert!(body.contains("data-testid=\"overdue-help\"") && named(&body), "the overdue statement");
}

/// The customer center's number in the sentences of お客さま情報 and お支払い方法 is a
/// `tel:` link that does not wrap inside itself (a phone calls it with a tap): it was
/// text, split as 0120-/109199 on a phone.
async fn the_customer_centers_number_is_a_link_to_call(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let hanako = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    for (path, within) in
        [("/account", "イッツコム カスタマーセンター"), ("/billing/payment", "口座振替への変更")]
    {
        let (_, body) = app.get_text_with(&hanako, path).await;
        let at = body.find(within).unwrap_or_else(|| panic!("{path}"));
        let sentence = &body[at..at + body[at..].find("</p>").unwrap()];
        let link = &sentence[sentence.find("<a ").unwrap_or_else(|| panic!("{path}: {sentence}"))..];
        let link = &link[..link.find("</a>").unwrap()];
        assert!(
            link.contains("href=\"tel:0120109199\"") && link.contains("whitespace-nowrap"),
            "{path}: {link}"
        );
        assert!(link.contains(">0120-109199"), "{path}: {link}");
    }
}

on_both_databases!(
    payment_results_are_recorded_once_and_the_statement_says_what_came_back,
    the_top_page_tells_of_an_unpaid_month,
    the_top_page_calls_last_months_bill_the_latest_not_this_months,
    the_customer_centers_number_is_a_link_to_call,
    the_customer_center_named_is_the_configured_one,
    a_thirteenth_month_leaves_the_oldest_out_of_the_chart,
    an_issued_invoice_keeps_the_name_and_address_it_was_issued_to,
    a_non_taxable_fee_is_printed_as_such_not_as_a_zero_rate,
    an_invoice_of_nothing_or_a_credit_is_not_unpaid,
    card_setups_are_limited_to_ten_an_hour_per_account,
    a_doubled_card_entry_and_return_change_the_method_once,
    the_statement_lists_twelve_months_the_lines_the_tax_and_what_changed,
    an_unpaid_month_says_so_and_how_to_pay,
    another_customers_month_is_the_same_404_as_no_month,
    the_invoice_pdf_is_a_qualified_invoice_and_paid_months_have_a_receipt,
    a_card_change_goes_through_the_gateway_and_keeps_only_brand_last4_and_expiry,
    a_declined_card_a_forged_return_and_another_session_change_nothing,
    an_old_login_gives_the_password_before_the_card_page,
);
