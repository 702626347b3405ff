//! The HTML shell, the root component and the routes.

use crate::context::{PagePrefs, UserResource};
use crate::cookies::FONT_LARGE_CLASS;
use crate::features::accessibility::AccessibilityPage;
use crate::features::account::{
    AccountEditPage, AccountPage, ContactRevertPage, ContactVerifyPage, IdChangeCancelPage,
    IdChangeCancelledPage, IdChangeConfirmPage, IdChangeDonePage, IdChangePage, IdChangeSentPage,
    IdChangeVerifyPage,
};
use crate::features::addons::{AddonApplyPage, ChannelsPage, SecurityPage};
use crate::features::billing::{BillingPage, PaymentPage};
use crate::features::contract::{ContractPage, HistoryPage, PlanChangePage};
use crate::features::dev::{DevIndexPage, DevMailboxPage, DevPreviewPage};
use crate::features::help::HelpPage;
use crate::features::login::LoginPage;
use crate::features::mailboxes::{
    MailboxConfirmPage, MailboxDonePage, MailboxListPage, MailboxNewPage, MailboxReissueDonePage,
    MailboxReissuePage, MailboxSubdomainPage, MailboxTermsPage,
};
use crate::features::recovery::{
    RecoveryChoicePage, RecoveryCodePage, RecoveryDonePage, RecoveryIdentifyPage, RecoveryPasswordPage,
    RecoveryQuestionPage, RecoveryReissuePage, RecoverySentPage, RecoveryVerifyPage,
};
use crate::features::referral::{InvitePage, ReferralPage};
use crate::features::registration::{
    AdditionalPage, ConfirmPage, CredentialsPage, DonePage, PendingPage, RegisterPage, ReviewPage,
    ReviewedPage, SentPage, StopPage,
};
use crate::features::security::{
    ActivityPage, LoginSecurityPage, LoginTwoStepPage, RecoveryCodesPage, TwoStepSetupPage,
};
use crate::features::speedtest::SpeedTestPage;
use crate::features::top::TopPage;
use crate::frame::layout::Layout;
use crate::i18n::t;
use crate::paths::PagePath;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    SsrMode,
};

/// The content hashes `npm run build` put in the site files' names (`js: …`, `wasm: …`,
/// `css: …`) and the release's order (`release: …`), read once from hash.txt beside the
/// server binary, not on every page as leptos_meta's `HashedStylesheet` does; None for a
/// build without them.
fn build_hashes(options: &LeptosOptions) -> Option<&'static str> {
    static HASHES: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    HASHES
        .get_or_init(|| {
            options
                .hash_files
                .then(|| {
                    let dir = std::env::current_exe().ok()?.parent()?.to_path_buf();
                    std::fs::read_to_string(dir.join(&*options.hash_file)).ok()
                })
                .flatten()
        })
        .as_deref()
}

/// The value of `kind` (`css`, `wasm`, `js`, `release`) in `hashes` (hash.txt's lines).
fn hash_in(hashes: &str, kind: &str) -> Option<String> {
    let prefix = format!("{kind}:");
    hashes.lines().find_map(|l| l.trim().strip_prefix(prefix.as_str()).map(|h| h.trim().to_string()))
}

/// [`worker_url`], as the shell gives it to the page frame.
#[derive(Clone, Copy)]
pub struct WorkerUrl(pub &'static str);

/// The service worker's address, naming this release by its order and its build's
/// hashes (`/sw.js?v=<order>.<hashes>`): a page of a new release registers a worker of
/// another address, which takes over the pages open (the shell's 新しいバージョンがあります)
/// and, keeping its files under a cache of that name, drops the release before's
/// (`public/sw.js`). The order (hash.txt's `release:`, the commit's time written by
/// `npm run build`) lets a page of the release before, served by a process not yet
/// restarted in a rolling restart, leave a newer worker in charge ([`worker_release`]).
/// `/sw.js` for a build without hashes (a development build: its worker never changes).
pub fn worker_url(options: &LeptosOptions) -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| worker_url_of(build_hashes(options)))
}

fn worker_url_of(hashes: Option<&str>) -> String {
    let files: Vec<String> =
        ["wasm", "js", "css"].iter().filter_map(|k| hashes.and_then(|h| hash_in(h, k))).collect();
    if files.is_empty() {
        return "/sw.js".into();
    }
    let order = hashes.and_then(|h| hash_in(h, "release")).filter(|o| release_order(o).is_some());
    let release = order.into_iter().chain(files).collect::<Vec<_>>().join(".");
    format!("/sw.js?v={}", crate::paths::encode(&release))
}

/// The release order a worker's address names (`/sw.js?v=<order>.<hashes>`, from
/// [`worker_url`]); None for an address without one (a build without it, or a release
/// from before orders were named). A page leaves a worker of a later release in charge,
/// and takes its own release back from an earlier one.
pub fn worker_release(url: &str) -> Option<u64> {
    let (_, v) = url.split_once("?v=")?;
    release_order(v.split('.').next()?)
}

/// An order: 1 to 12 digits (a hash is longer, and not all digits).
fn release_order(order: &str) -> Option<u64> {
    (1..=12).contains(&order.len()).then_some(())?;
    order.bytes().all(|b| b.is_ascii_digit()).then(|| order.parse().ok())?
}

/// The stylesheet's path, with the content hash `npm run build` put in its name.
fn stylesheet_href(options: &LeptosOptions) -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hash = build_hashes(options).and_then(|h| hash_in(h, "css"));
        match hash {
            Some(hash) => format!("/{}/{}.{hash}.css", options.site_pkg_dir, options.output_name),
            None => format!("/{}/{}.css", options.site_pkg_dir, options.output_name),
        }
    })
}

/// What a form holds survives its refusal (`public/draft.js`, for every page: each has
/// a form, the language switch at least). Fetched at once by a page that came back
/// refused (its draft to put back), else at the first focus in a field (to keep one as
/// the form is sent); a page not refused drops a waiting draft here (its post went
/// through), without fetching the script; a draft held through a login (a form sent
/// after its session ended) fetches it too, to be put back. A first visit to /login,
/// and the page after a post that went through, do not download it.
/// And a page the browser brings back from its back/forward cache (Back after a
/// logout, on a phone handed on; Chromium keeps even `no-store` pages there) is loaded
/// again if it was a logged-in customer's (it has the logout form: the server then
/// answers for whoever is logged in now), else shown with its password fields empty.
pub const DRAFT_LOADER: &str = "addEventListener('pageshow',e=>{if(e.persisted)\
    document.querySelector('[data-logout]')?location.reload():\
    document.querySelectorAll('input[type=password]').forEach(i=>i.value='')});\
    try{const d=()=>import('/draft.js');\
    location.search.includes('error=')||sessionStorage.getItem('draft:held')?d():\
    (sessionStorage.removeItem('draft'),addEventListener('focusin',d,{once:true}))}catch(e){}";

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // This request's CSP nonce (the security middleware chose it and sets the header),
    // for Leptos to write on its scripts.
    #[cfg(feature = "ssr")]
    crate::ssr::security::provide_page_nonce();
    let prefs = PagePrefs::current();
    provide_context(prefs.clone());
    provide_context(WorkerUrl(worker_url(&options)));
    let class = if prefs.font_large { FONT_LARGE_CLASS } else { "" };
    view! {
        <!DOCTYPE html>
        <html lang=prefs.locale.code() data-brand=prefs.brand.clone() class=class>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content=prefs.locale.texts().meta_description/>
                <meta name="theme-color" content="#00766c"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                // The tab's icon: a vector of 250 bytes (the PNGs are for installing, in the manifest).
                <link rel="icon" type="image/svg+xml" sizes="any" href="/icons/icon.svg"/>
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png"/>
                <meta name="apple-mobile-web-app-capable" content="yes"/>
                <AutoReload options=options.clone()/>
                <link rel="stylesheet" id="leptos" href=stylesheet_href(&options)/>
                <HydrationScripts options islands=true/>
                <script nonce=leptos::nonce::use_nonce() inner_html=DRAFT_LOADER></script>
                <MetaTags/>
                // Controls that need JavaScript (text size) are hidden without it.
                <noscript><style>".js-only{display:none!important}"</style></noscript>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let prefs = PagePrefs::current();
    provide_context(prefs.clone());
    provide_context(prefs.locale);
    provide_context(UserResource::new());
    let tx = t();
    view! {
        <Title text=format!("{} {}", prefs.brand, tx.brand_suffix)/>
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    // Every page renders with SsrMode::Async: the response waits for its
                    // data, so "log in first" is a real redirect and a missing page a real
                    // 404, and goes out as one body (no streamed fragments to patch in with
                    // JavaScript, which islands pages do not need, and compressed in one go:
                    // a streamed page cost 4× the compression of the same bytes at once).
                    <Route path=PagePath(crate::features::top::routes::TOP) view=TopPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::login::routes::LOGIN) view=LoginPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::security::routes::LOGIN_TWO_STEP) view=LoginTwoStepPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::security::routes::SECURITY) view=LoginSecurityPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::security::routes::TWO_STEP) view=TwoStepSetupPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::security::routes::RECOVERY_CODES) view=RecoveryCodesPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::security::routes::ACTIVITY) view=ActivityPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::registration::routes::START) view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::registration::routes::ADDITIONAL) view=AdditionalPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::registration::routes::CREDENTIALS) view=CredentialsPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::registration::routes::SENT) view=SentPage ssr=SsrMode::Async/>
                    <Route path=crate::features::registration::routes::CONFIRM.path() view=ConfirmPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::registration::routes::DONE) view=DonePage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::registration::routes::PENDING) view=PendingPage ssr=SsrMode::Async/>
                    <Route path=crate::features::registration::routes::REVIEW.path() view=ReviewPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::registration::routes::REVIEWED) view=ReviewedPage ssr=SsrMode::Async/>
                    <Route path=crate::features::registration::routes::STOP.path() view=StopPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::recovery::routes::START) view=RecoveryChoicePage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::recovery::routes::IDENTIFY) view=RecoveryIdentifyPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::recovery::routes::CODE) view=RecoveryCodePage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::recovery::routes::PASSWORD) view=RecoveryPasswordPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::account::routes::OVERVIEW) view=AccountPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::account::routes::EDIT) view=AccountEditPage ssr=SsrMode::Async/>
                    <Route path=crate::features::account::routes::CONTACT_VERIFY.path() view=ContactVerifyPage ssr=SsrMode::Async/>
                    <Route path=crate::features::account::routes::CONTACT_REVERT.path() view=ContactRevertPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::account::routes::ID) view=IdChangePage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::account::routes::ID_CONFIRM) view=IdChangeConfirmPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::account::routes::ID_SENT) view=IdChangeSentPage ssr=SsrMode::Async/>
                    <Route path=crate::features::account::routes::ID_VERIFY.path() view=IdChangeVerifyPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::account::routes::ID_DONE) view=IdChangeDonePage ssr=SsrMode::Async/>
                    <Route path=crate::features::account::routes::ID_CANCEL.path() view=IdChangeCancelPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::account::routes::ID_CANCELLED) view=IdChangeCancelledPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::billing::routes::INVOICES) view=BillingPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::billing::routes::PAYMENT) view=PaymentPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::contract::routes::CONTRACT) view=ContractPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::contract::routes::HISTORY) view=HistoryPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::contract::routes::CHANGE) view=PlanChangePage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::referral::routes::REFERRAL) view=ReferralPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::referral::routes::INVITE) view=InvitePage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::addons::routes::CHANNELS) view=ChannelsPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::addons::routes::SECURITY) view=SecurityPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::addons::routes::APPLY) view=AddonApplyPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::help::routes::HELP) view=HelpPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::accessibility::routes::POLICY) view=AccessibilityPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::speedtest::routes::SPEEDTEST) view=SpeedTestPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::mailboxes::routes::LIST) view=MailboxListPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::mailboxes::routes::NEW) view=MailboxNewPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::mailboxes::routes::SUBDOMAIN) view=MailboxSubdomainPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::mailboxes::routes::TERMS) view=MailboxTermsPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::mailboxes::routes::CONFIRM) view=MailboxConfirmPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::mailboxes::routes::DONE) view=MailboxDonePage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::mailboxes::routes::REISSUE) view=MailboxReissuePage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::mailboxes::routes::REISSUE_DONE) view=MailboxReissueDonePage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::recovery::routes::QUESTION) view=RecoveryQuestionPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::recovery::routes::SENT) view=RecoverySentPage ssr=SsrMode::Async/>
                    <Route path=crate::features::recovery::routes::VERIFY.path() view=RecoveryVerifyPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::recovery::routes::REISSUE) view=RecoveryReissuePage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::recovery::routes::DONE) view=RecoveryDonePage ssr=SsrMode::Async/>
                    // Async: the response waits for the data, so a missing customer (or
                    // production) answers with a real 404 status.
                    <Route path=PagePath(crate::features::dev::routes::INDEX) view=DevIndexPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::dev::routes::PREVIEW) view=DevPreviewPage ssr=SsrMode::Async/>
                    <Route path=PagePath(crate::features::dev::routes::MAILBOX) view=DevMailboxPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(404);
    let tx = t();
    view! {
        <h1 class="page-title">{tx.page_not_found}</h1>
        <p class="mb-4">{tx.page_not_found_body}</p>
        <a class="link link-action" href=crate::features::top::routes::TOP>{tx.back_to_top}</a>
    }
}

#[cfg(test)]
mod tests {
    use super::{worker_release, worker_url_of};

    #[test]
    fn the_service_workers_address_names_the_release() {
        let hashes = "js: Kn8idn3q\nwasm: mdWJRFhT\ncss: 4wv8rPMG\n";
        assert_eq!(worker_url_of(Some(hashes)), "/sw.js?v=mdWJRFhT.Kn8idn3q.4wv8rPMG");
        // Another release, another address (the worker's identity is its script's).
        assert_ne!(
            worker_url_of(Some("js: Kn8idn3q\nwasm: other\ncss: 4wv8rPMG\n")),
            worker_url_of(Some(hashes))
        );
        assert_eq!(worker_url_of(None), "/sw.js");
        assert_eq!(worker_url_of(Some("")), "/sw.js");
    }

    #[test]
    fn the_service_workers_address_names_the_releases_order() {
        let hashes = "js: Kn8idn3q\nwasm: mdWJRFhT\ncss: 4wv8rPMG\nrelease: 1796000000\n";
        let url = worker_url_of(Some(hashes));
        assert_eq!(url, "/sw.js?v=1796000000.mdWJRFhT.Kn8idn3q.4wv8rPMG");
        assert_eq!(worker_release(&url), Some(1_796_000_000));
        assert_eq!(worker_release("https://mypage.example/sw.js?v=1796000001.other"), Some(1_796_000_001));
        // No order: a build without it, a release before orders, or one not of digits.
        assert_eq!(worker_release(&worker_url_of(Some("js: a\nwasm: b\ncss: c\n"))), None);
        assert_eq!(worker_release("/sw.js"), None);
        assert_eq!(worker_release("/sw.js?v="), None);
        assert_eq!(worker_release("/sw.js?v=123456789012.x"), Some(123_456_789_012));
        assert_eq!(worker_release("/sw.js?v=1234567890123.x"), None);
        assert_eq!(worker_release("/sw.js?v=17a.x"), None);
        assert_eq!(worker_release("/sw.js?release=next"), None);
        let odd = worker_url_of(Some("js: a\nwasm: b\ncss: c\nrelease: soon\n"));
        assert_eq!(odd, "/sw.js?v=b.a.c");
    }
}
