//! The app shell: language, menus, the top-page summary from the database, 404s,
//! the PWA files.

use crate::common::*;

/// The pages are Japanese by default. A member's carry the four menus, every item a
/// link; a page seen logged out (the login) carries none: every screen they lead to
/// asks for a login.
async fn the_top_page_is_japanese_by_default_with_the_four_menus(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let (status, login) = app.get_text("/login").await;
    assert_eq!(status, 200);
    assert!(login.contains(r#"<html lang="ja""#), "{login}");
    assert!(login.contains(r#"<main id="main""#), "main landmark");
    assert!(login.contains("本文へスキップ"));
    assert!(!login.contains("side-nav") && !login.contains("phone-menu"), "no menus logged out");
    assert!(!login.contains(r#"href="/billing""#) && !login.contains("イッツコム 通信速度測定"));
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, body) = app.get_text_with(&c, "/").await;
    assert_eq!(body.matches("side-nav").count(), 1, "the side navigation");
    assert_eq!(body.matches(r#"<details class="phone-menu"#).count(), 1, "the phone menu");
    for menu in
        ["料金", "ご契約・手続き", "各種設定", "ヘルプ", "ご請求明細の確認", "イッツコム 通信速度測定"]
    {
        assert!(body.contains(menu), "menu {menu} missing");
    }
    // Every screen of the menus exists now: each is a link, none is marked 準備中.
    assert!(!body.contains("準備中"));
    assert!(body.contains(r#"href="/help""#) && body.contains("お問い合わせ・サポート"));
    assert!(body.contains(r#"href="/help/speedtest""#));
}

async fn the_lang_cookie_switches_the_page_to_english(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let res = app.client.get(app.url("/login")).header("Cookie", "lang=en").send().await.unwrap();
    let body = res.text().await.unwrap();
    assert!(body.contains(r#"<html lang="en""#));
    assert!(body.contains("Forgot your ID or password?"));
    assert!(!body.contains("ID,またはパスワードをお忘れですか?"));
    // A member's menus too.
    let (c, jar) = logged_in_with_jar(&app, "hanako@example.com", "Hanako_2024").await;
    jar.add_cookie_str("lang=en", &url::Url::parse(&app.url("/")).unwrap());
    let (_, body) = app.get_text_with(&c, "/").await;
    assert!(body.contains(r#"<html lang="en""#));
    assert!(body.contains("Invoice statements"));
    assert!(!body.contains("ご請求明細の確認"));
}

async fn the_preview_shows_the_customers_own_summary_from_the_database(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let (total,): (i64,) = sqlx::query_as(
        "SELECT total FROM invoices WHERE customer_no = '100000002' ORDER BY billing_month DESC LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let (status, body) = app.get_text("/dev/preview/100000002").await;
    assert_eq!(status, 200);
    assert!(body.contains("佐藤 花子"));
    assert!(body.contains("インターネット 1Gコース"));
    assert!(body.contains("テレビ スタンダードプラン"));
    assert!(!body.contains("ケーブルプラス電話"), "佐藤 花子 has no phone service");
    let shown = format!("{}円", app::domain::Yen(total).grouped());
    assert!(body.contains(&shown), "latest total {shown} shown");
    // Not paid yet, its payment date to come: お支払い予定, not 未払い.
    assert!(body.contains("お支払い予定") && !body.contains("未払い"));
}

async fn the_preview_of_an_unknown_customer_is_not_found(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let (status, body) = app.get_text("/dev/preview/999999999").await;
    assert_eq!(status, 404);
    assert!(body.contains("ページが見つかりません"));
    assert!(!body.contains("さま</h1>"));
}

async fn the_preview_does_not_exist_in_production(backend: Backend) {
    let app = spawn_app_with(backend, &[("MYPAGE_ENV", "production")]).await;
    app::seed::seed_demo(&app.db, "itscom.net").await.unwrap();
    let (status, body) = app.get_text("/dev/preview/100000002").await;
    assert_eq!(status, 404);
    assert!(!body.contains("佐藤 花子"));
    let (status, body) = app.get_text("/dev").await;
    assert_eq!(status, 404);
    assert!(!body.contains("100000001"));
}

async fn an_unknown_path_is_a_404_page_in_the_shell(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, body) = app.get_text("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(body.contains("ページが見つかりません"));
    assert!(body.contains("トップページへ戻る"));
}

/// The islands take no props (one would bring a JSON decoder into the WASM) and carry
/// no words: the server writes them into the page, in its language.
async fn the_islands_take_no_props_and_the_server_writes_their_words(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let (_, ja) = app.get_text("/login").await;
    let res = app.client.get(app.url("/login")).header("Cookie", "lang=en").send().await.unwrap();
    let en = res.text().await.unwrap();
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (status, mailbox) = app.get_text_with(&c, "/mail/new").await;
    assert_eq!(status, 200);
    let (_, register) = app.get_text("/register").await;
    for body in [&ja, &en, &mailbox, &register] {
        assert!(body.contains("<leptos-island"), "{body}");
        assert!(!body.contains("data-props"), "an island with props:\n{body}");
    }
    assert!(ja.contains(r#"data-busy="送信中…""#) && en.contains(r#"data-busy="Sending…""#));
    assert!(ja.contains(r#"data-targets="password""#) && ja.contains("パスワードを表示"));
    // The checked field's messages, each after its error's code.
    assert!(mailbox.contains(r#"data-check="local_part""#));
    assert!(mailbox.contains("too_short_3\t3文字以上で入力してください。"), "{mailbox}");
    assert!(mailbox.contains("reserved\t"));
    // STEP 2's choice: each kind names the label it gives the value.
    assert!(register.contains(r#"data-label-for="factor_value""#));
}

/// Every page brings the loader of `/draft.js` (what a form held comes back with its
/// refusal) once, with the response's CSP nonce (else the browser would not run it):
/// public, logged in, refused, and not found.
async fn every_page_brings_the_draft_loader_once_with_its_nonce(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    for path in ["/login", "/register?error=phone.invalid_format", "/help", "/no/such/page"] {
        let res = c.get(app.url(path)).send().await.unwrap();
        let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
        let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
        let body = res.text().await.unwrap();
        let tag = format!(r#"<script nonce="{nonce}">{}</script>"#, app::app::DRAFT_LOADER);
        assert_eq!(body.matches(&tag).count(), 1, "{path}: {body}");
        assert_eq!(body.matches("/draft.js").count(), 1, "{path}");
    }
}

/// The menus mark the item of the page's screen (`aria-current="page"`: seen, and
/// said by a screen reader), in the side navigation and the phone menu alike; a page
/// of no menu item marks none.
async fn the_menu_marks_where_the_customer_is(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    for (path, item) in [
        ("/billing/payment", "/billing/payment"),
        ("/billing", "/billing"),
        ("/contract/history", "/contract/history"),
    ] {
        let (_, body) = app.get_text_with(&c, path).await;
        let marked = format!("href=\"{item}\" class=\"menu-item\" aria-current=\"page\"");
        assert_eq!(body.matches(&marked).count(), 2, "{path}: both menus");
        assert_eq!(body.matches("class=\"menu-item\" aria-current").count(), 2, "{path}: that item only");
    }
    // A screen under a menu item's: that item is where the page is, not the page.
    let (_, body) = app.get_text_with(&c, "/contract/change?service=svc-100000002-internet").await;
    assert_eq!(body.matches("href=\"/contract\" class=\"menu-item\" aria-current=\"true\"").count(), 2);
    assert!(!body.contains("class=\"menu-item\" aria-current=\"page\""));
    for path in ["/", "/login"] {
        let (_, body) = app.get_text_with(&app.new_browser(), path).await;
        assert!(!body.contains("class=\"menu-item\" aria-current"), "{path}");
    }
}

/// A member page says on paper whose it is (the brand, the お客さま番号, the name, the
/// iTSCOM ID), in the
/// page's language: the printed header is hidden, and a printed statement or mailbox
/// completion named no one.
async fn a_member_page_says_on_paper_whose_it_is(backend: Backend) {
    // The text of the printed line, its tags left out; and its opening tag.
    fn whose(body: &str) -> (String, String) {
        let at = body.find("data-testid=\"printed-for\"").expect("printed-for");
        let open = &body[body[..at].rfind("<p").unwrap()..];
        let open = open[..open.find('>').unwrap()].to_string();
        let inner = &body[at + body[at..].find('>').unwrap() + 1..];
        let inner = &inner[..inner.find("</p>").unwrap()];
        let mut text = String::new();
        let mut in_tag = false;
        for ch in inner.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        (text.replace("<!>", ""), open)
    }
    let app = spawn_app_with_demo_data(backend).await;
    let c = logged_in(&app, "hanako@example.com", "Hanako_2024").await;
    let (_, body) = app.get_text_with(&c, "/billing").await;
    let (text, open) = whose(&body);
    assert!(text.contains("佐藤 花子") && text.contains("（iTSCOM ID: hanako@example.com）"), "{text}");
    assert!(open.contains("hidden") && open.contains("print:block"), "{open}");
    assert!(text.contains("お客さま番号 100000002 | "), "{text}");
    let en = app.new_browser();
    app.post_with(&en, "/api/preferences/locale", &[HTML, SAME_ORIGIN], &[("lang", "en")]).await;
    app.login_from(&en, "hanako@example.com", "Hanako_2024").await;
    let (_, body) = app.get_text_with(&en, "/billing").await;
    let (text, _) = whose(&body);
    assert!(text.contains(" (iTSCOM ID: hanako@example.com)") && !text.contains('（'), "{text}");
    assert!(text.contains("Customer number 100000002 | "), "{text}");
}

on_both_databases!(
    the_menu_marks_where_the_customer_is,
    a_member_page_says_on_paper_whose_it_is,
    every_page_brings_the_draft_loader_once_with_its_nonce,
    the_islands_take_no_props_and_the_server_writes_their_words,
    the_top_page_is_japanese_by_default_with_the_four_menus,
    the_lang_cookie_switches_the_page_to_english,
    the_preview_shows_the_customers_own_summary_from_the_database,
    the_preview_of_an_unknown_customer_is_not_found,
    the_preview_does_not_exist_in_production,
    an_unknown_path_is_a_404_page_in_the_shell,
);

#[tokio::test]
async fn the_web_app_manifest_declares_an_installable_app() {
    let _shared = crate::common::TIMING.read().await;
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/manifest.webmanifest"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "/");
    assert!(manifest["name"].as_str().unwrap().contains("マイページ"));
    assert!(manifest["short_name"].is_string());
    assert!(manifest["theme_color"].is_string());
    let sizes: Vec<&str> =
        manifest["icons"].as_array().unwrap().iter().map(|i| i["sizes"].as_str().unwrap()).collect();
    assert!(sizes.contains(&"192x192") && sizes.contains(&"512x512"));
    assert_eq!((manifest["id"].as_str(), manifest["scope"].as_str()), (Some("/"), Some("/")));
    // Each image is a PNG of the size the manifest says (IHDR: width and height at
    // bytes 16..24).
    let png_size = |src: &str| {
        let path = format!("{}/../public{src}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|_| panic!("{path} exists"));
        assert_eq!(&bytes[1..4], b"PNG");
        let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        format!("{w}x{h}")
    };
    for icon in manifest["icons"].as_array().unwrap() {
        assert_eq!(png_size(icon["src"].as_str().unwrap()), icon["sizes"].as_str().unwrap());
    }
    let purposes: Vec<&str> =
        manifest["icons"].as_array().unwrap().iter().map(|i| i["purpose"].as_str().unwrap()).collect();
    assert_eq!(purposes.iter().filter(|p| **p == "maskable").count(), 2, "maskable icons");
    // Screenshots for the richer install dialog: one narrow (phone), one wide.
    let screenshots = manifest["screenshots"].as_array().unwrap();
    let factors: Vec<&str> = screenshots.iter().map(|s| s["form_factor"].as_str().unwrap()).collect();
    assert_eq!(factors, ["narrow", "wide"]);
    for s in screenshots {
        assert_eq!(png_size(s["src"].as_str().unwrap()), s["sizes"].as_str().unwrap());
        assert!(s["label"].is_string());
    }
    // Shortcuts to the two screens customers open most from the home screen.
    let shortcuts: Vec<(&str, &str)> = manifest["shortcuts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["url"].as_str().unwrap()))
        .collect();
    assert_eq!(shortcuts, [("ご請求明細の確認", "/billing"), ("イッツコム 通信速度測定", "/help/speedtest")]);
}

#[tokio::test]
async fn the_draft_script_is_served_as_javascript_asked_again_each_time() {
    let _shared = crate::common::TIMING.read().await;
    let site = std::env::temp_dir().join(format!("mypage-site-{}", app::ssr::db::new_id()));
    std::fs::create_dir_all(&site).unwrap();
    let draft = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/draft.js")).unwrap();
    std::fs::write(site.join("draft.js"), &draft).unwrap();
    let app = spawn_app_serving(Backend::Sqlite, &[], site.to_str().unwrap()).await;
    let res = app.get("/draft.js").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert_eq!(res.text().await.unwrap(), draft);
    std::fs::remove_dir_all(site).unwrap();
}

/// A stylesheet, WebAssembly and a script a page runs come without a content security
/// policy or an opener policy (a browser applies them to documents and workers only:
/// their header lines were about a kilobyte of a phone's first load of /login); the
/// service worker's script and a page keep theirs, and every response its nosniff.
#[tokio::test]
async fn only_documents_and_the_worker_carry_the_policies() {
    let _shared = crate::common::TIMING.read().await;
    let site = std::env::temp_dir().join(format!("mypage-site-{}", app::ssr::db::new_id()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    for (name, body) in [("pkg/m.css", "p{}"), ("pkg/m.wasm", "\0asm"), ("pkg/m.js", "//"), ("sw.js", "//")] {
        std::fs::write(site.join(name), body).unwrap();
    }
    let app = spawn_app_serving(Backend::Sqlite, &[], site.to_str().unwrap()).await;
    for path in ["/pkg/m.css", "/pkg/m.wasm", "/pkg/m.js"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let h = res.headers();
        assert!(
            h.get("content-security-policy").is_none() && h.get("cross-origin-opener-policy").is_none(),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
    }
    let worker = app.get("/sw.js").await;
    assert!(worker.headers().get("content-security-policy").is_some(), "the worker's");
    let page = app.get("/login").await;
    assert!(page.headers().get("content-security-policy").is_some());
    assert_eq!(page.headers()["cross-origin-opener-policy"], "same-origin");
    std::fs::remove_dir_all(site).unwrap();
}

#[tokio::test]
async fn the_service_worker_is_served_with_no_cache_so_a_release_replaces_it() {
    let _shared = crate::common::TIMING.read().await;
    let site = std::env::temp_dir().join(format!("mypage-site-{}", app::ssr::db::new_id()));
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("sw.js"), "// release 2\n").unwrap();
    let app = spawn_app_serving(Backend::Sqlite, &[], site.to_str().unwrap()).await;
    let res = app.get("/sw.js").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert_eq!(res.text().await.unwrap(), "// release 2\n");
    std::fs::remove_dir_all(site).unwrap();
}
