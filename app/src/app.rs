//! The HTML shell, the root component and the routes.

use crate::components::layout::Layout;
use crate::context::{PagePrefs, UserResource};
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
    MailboxConfirmPage, MailboxDonePage, MailboxListPage, MailboxNewPage, MailboxSubdomainPage,
    MailboxTermsPage,
};
use crate::features::preferences::FONT_LARGE_CLASS;
use crate::features::recovery::{
    RecoveryChoicePage, RecoveryCodePage, RecoveryDonePage, RecoveryIdentifyPage, RecoveryPasswordPage,
    RecoveryQuestionPage, RecoveryReissuePage, RecoverySentPage, RecoveryVerifyPage,
};
use crate::features::referral::{InvitePage, ReferralPage};
use crate::features::registration::{
    AdditionalPage, ConfirmPage, CredentialsPage, DonePage, PendingPage, RegisterPage, ReviewPage,
    ReviewedPage, SentPage, StopPage,
};
use crate::features::speedtest::SpeedTestPage;
use crate::features::top::TopPage;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The stylesheet's path, with the content hash `npm run build` put in its name (read
/// once from hash.txt beside the server binary, not on every page as leptos_meta's
/// `HashedStylesheet` does).
fn stylesheet_href(options: &LeptosOptions) -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hash = options
            .hash_files
            .then(|| {
                let dir = std::env::current_exe().ok()?.parent()?.to_path_buf();
                let hashes = std::fs::read_to_string(dir.join(&*options.hash_file)).ok()?;
                hashes.lines().find_map(|l| l.trim().strip_prefix("css:").map(|h| h.trim().to_string()))
            })
            .flatten();
        match hash {
            Some(hash) => format!("/{}/{}.{hash}.css", options.site_pkg_dir, options.output_name),
            None => format!("/{}/{}.css", options.site_pkg_dir, options.output_name),
        }
    })
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // This request's CSP nonce (the security middleware chose it and sets the header),
    // for Leptos to write on its scripts.
    #[cfg(feature = "ssr")]
    crate::ssr::security::provide_page_nonce();
    let prefs = PagePrefs::current();
    provide_context(prefs.clone());
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
                <link rel="icon" type="image/png" sizes="192x192" href="/icons/icon-192.png"/>
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png"/>
                <meta name="apple-mobile-web-app-capable" content="yes"/>
                <AutoReload options=options.clone()/>
                <link rel="stylesheet" id="leptos" href=stylesheet_href(&options)/>
                <HydrationScripts options islands=true/>
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
                    <Route path=path!("/") view=TopPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/register/additional") view=AdditionalPage ssr=SsrMode::Async/>
                    <Route path=path!("/register/credentials") view=CredentialsPage ssr=SsrMode::Async/>
                    <Route path=path!("/register/sent") view=SentPage ssr=SsrMode::Async/>
                    <Route path=path!("/register/confirm") view=ConfirmPage ssr=SsrMode::Async/>
                    <Route path=path!("/register/done") view=DonePage ssr=SsrMode::Async/>
                    <Route path=path!("/register/pending") view=PendingPage ssr=SsrMode::Async/>
                    <Route path=path!("/register/review") view=ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/register/reviewed") view=ReviewedPage ssr=SsrMode::Async/>
                    <Route path=path!("/register/stop") view=StopPage ssr=SsrMode::Async/>
                    <Route path=path!("/recovery") view=RecoveryChoicePage ssr=SsrMode::Async/>
                    <Route path=path!("/recovery/identify") view=RecoveryIdentifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/recovery/code") view=RecoveryCodePage ssr=SsrMode::Async/>
                    <Route path=path!("/recovery/password") view=RecoveryPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/edit") view=AccountEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/contact/verify") view=ContactVerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/contact/revert") view=ContactRevertPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/id") view=IdChangePage ssr=SsrMode::Async/>
                    <Route path=path!("/account/id/confirm") view=IdChangeConfirmPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/id/sent") view=IdChangeSentPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/id/verify") view=IdChangeVerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/id/done") view=IdChangeDonePage ssr=SsrMode::Async/>
                    <Route path=path!("/account/id/cancel") view=IdChangeCancelPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/id/cancelled") view=IdChangeCancelledPage ssr=SsrMode::Async/>
                    <Route path=path!("/billing") view=BillingPage ssr=SsrMode::Async/>
                    <Route path=path!("/billing/payment") view=PaymentPage ssr=SsrMode::Async/>
                    <Route path=path!("/contract") view=ContractPage ssr=SsrMode::Async/>
                    <Route path=path!("/contract/history") view=HistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/contract/change") view=PlanChangePage ssr=SsrMode::Async/>
                    <Route path=path!("/contract/referral") view=ReferralPage ssr=SsrMode::Async/>
                    <Route path=path!("/invite") view=InvitePage ssr=SsrMode::Async/>
                    <Route path=path!("/contract/channels") view=ChannelsPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings/security") view=SecurityPage ssr=SsrMode::Async/>
                    <Route path=path!("/addons/apply") view=AddonApplyPage ssr=SsrMode::Async/>
                    <Route path=path!("/help") view=HelpPage ssr=SsrMode::Async/>
                    <Route path=path!("/accessibility") view=AccessibilityPage ssr=SsrMode::Async/>
                    <Route path=path!("/help/speedtest") view=SpeedTestPage ssr=SsrMode::Async/>
                    <Route path=path!("/mail") view=MailboxListPage ssr=SsrMode::Async/>
                    <Route path=path!("/mail/new") view=MailboxNewPage ssr=SsrMode::Async/>
                    <Route path=path!("/mail/new/subdomain") view=MailboxSubdomainPage ssr=SsrMode::Async/>
                    <Route path=path!("/mail/new/terms") view=MailboxTermsPage ssr=SsrMode::Async/>
                    <Route path=path!("/mail/new/confirm") view=MailboxConfirmPage ssr=SsrMode::Async/>
                    <Route path=path!("/mail/new/done") view=MailboxDonePage ssr=SsrMode::Async/>
                    <Route path=path!("/recovery/question") view=RecoveryQuestionPage ssr=SsrMode::Async/>
                    <Route path=path!("/recovery/sent") view=RecoverySentPage ssr=SsrMode::Async/>
                    <Route path=path!("/recovery/verify") view=RecoveryVerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/recovery/reissue") view=RecoveryReissuePage ssr=SsrMode::Async/>
                    <Route path=path!("/recovery/done") view=RecoveryDonePage ssr=SsrMode::Async/>
                    // Async: the response waits for the data, so a missing customer (or
                    // production) answers with a real 404 status.
                    <Route path=path!("/dev") view=DevIndexPage ssr=SsrMode::Async/>
                    <Route path=path!("/dev/preview/:customer_no") view=DevPreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/dev/mailbox") view=DevMailboxPage ssr=SsrMode::Async/>
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
        <a class="link link-action" href="/">{tx.back_to_top}</a>
    }
}
