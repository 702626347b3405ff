use super::api::{Login, Logout};
use super::login_url;
use crate::components::form::{never_stored, PasswordToggle, Submit};
use crate::components::status::{ErrorNotice, Loading};
use crate::context::UserResource;
use crate::error::AppError;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// The login screen's words for a failed login (one message for an unknown ID and a
/// wrong password); None for any other code in the URL.
fn failure_message(tf: &'static super::texts::LoginTexts, failure: &AppError) -> Option<&'static str> {
    match failure {
        AppError::InvalidCredentials => Some(tf.error_credentials),
        AppError::TooManyAttempts => Some(tf.error_throttled),
        AppError::Locked => Some(tf.error_locked),
        _ => None,
    }
}

/// `/login`: iTSCOM ID, パスワード, パスワードを表示, ログイン, リセット and the two links.
/// Works without JavaScript: the form posts, the server redirects.
#[component]
pub fn LoginPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    let action = ServerAction::<Login>::new();
    never_stored();
    // After a failed post the failure arrives in the URL. Read once: the page is
    // rendered on the server only (its islands hydrate, not it), so nothing below
    // needs to follow the URL, and each reactive read cost every render of /login.
    let (error, session_ended) = {
        let q = query.read_untracked();
        let code = q.get("error");
        (code.as_deref().and_then(AppError::from_query_code), code.as_deref() == Some("session"))
    };
    let failure = error.as_ref().and_then(|e| failure_message(tf, e));
    // A field left empty: said at that field.
    let missing = |field: &str| {
        matches!(&error, Some(AppError::Invalid { field: f, .. }) if f == field).then_some(tx.err_required)
    };
    let (missing_id, missing_password) = (missing("itscom_id"), missing("password"));
    let described = move |missing: Option<&str>, error_id: &'static str| {
        failure.map(|_| "login-error").or(missing.map(|_| error_id))
    };
    // A login that could not be checked (the database away, a refused request): why,
    // without marking the fields, which are not at fault (a session that ended has its
    // own notice below).
    let problem = error
        .as_ref()
        .filter(|e| failure_message(tf, e).is_none() && !matches!(e, AppError::Unauthorized))
        .and_then(|e| crate::components::form::form_message(tx, e));
    view! {
        <h1 class="page-title">{tf.title}</h1>
        <div class="card max-w-xl">
            <p class="mb-4">{tf.lead}</p>
            {failure.map(|m| view! {
                <p id="login-error" class="alert alert-error mb-4" role="alert">{m}</p>
            })}
            {problem.map(|m| view! {
                <p class="alert alert-error mb-4" role="alert" data-testid="login-problem">{m}</p>
            })}
            // A form sent after its session ended came here (`?error=session`): why,
            // without marking the fields, which are not at fault.
            {session_ended.then(|| view! {
                <p class="alert alert-info mb-4" role="status" data-testid="session-ended">{tx.err_session_ended}</p>
            })}
            <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                <input type="hidden" name="next" value=next/>
                <div>
                    <label for="itscom_id" class="field-label">{tx.itscom_id_label}</label>
                    <input id="itscom_id" name="itscom_id" type="email" class="field-input"
                        autocomplete="username" inputmode="email" required maxlength="100"
                        autofocus=failure.is_some() || missing_id.is_some()
                        aria-describedby=described(missing_id, "itscom_id-error")
                        aria-invalid=(failure.is_some() || missing_id.is_some()).then_some("true")/>
                    {missing_id.map(|m| view! { <p id="itscom_id-error" class="mt-1 text-sm font-bold text-red-700">{m}</p> })}
                </div>
                <div>
                    <label for="password" class="field-label">{tx.password_label}</label>
                    <input id="password" name="password" class="field-input"
                        type="password"
                        autocomplete="current-password" required maxlength="128"
                        autofocus=missing_password.is_some() && missing_id.is_none()
                        aria-describedby=described(missing_password, "password-error")
                        aria-invalid=(failure.is_some() || missing_password.is_some()).then_some("true")/>
                    {missing_password.map(|m| view! { <p id="password-error" class="mt-1 text-sm font-bold text-red-700">{m}</p> })}
                    <PasswordToggle targets="password"/>
                </div>
                <div class="flex flex-wrap gap-3">
                    <Submit label=tf.title/>
                    <button type="reset" class="btn-ghost">{tx.reset}</button>
                </div>
            </ActionForm>
            <PasskeyLogin next=next()/>
            <ul class="mt-6 space-y-1 text-sm">
                <li><a class="menu-item" href=crate::features::registration::routes::START>{tx.register_link}</a></li>
                <li><a class="menu-item" href=crate::features::recovery::routes::START>{tx.forgot_link}</a></li>
            </ul>
        </div>
    }
}

/// `パスキーでログイン`: shown by `/passkey.js` where the browser supports passkeys (no
/// ID typed: the browser offers the passkeys it holds for this site).
#[component]
fn PasskeyLogin(next: String) -> impl IntoView {
    let ts = crate::features::security::texts::t();
    view! {
        <div class="mt-4" data-passkey-login="" data-next=next data-err-failed=ts.login_passkey_failed
            data-err-throttled=super::texts::t().error_throttled>
            <p class="text-sm font-bold text-red-700" role="alert" data-passkey-error="" hidden></p>
            <button type="button" class="btn-ghost js-only" data-passkey-signin="" data-testid="passkey-login" hidden>{ts.login_passkey}</button>
        </div>
        <crate::components::form::PasskeyScript/>
    }
}

/// The logout button of the header.
#[component]
pub fn LogoutButton(
    /// [`super::UserBrief::owner_tag`].
    who: String,
) -> impl IntoView {
    let tx = t();
    let action = ServerAction::<Logout>::new();
    view! {
        // `data-logout`: a page with it is a logged-in customer's (the shell's script);
        // `data-who`: whose (public/draft.js).
        <ActionForm action=action attr:class="inline" attr:data-logout="" attr:data-who=who>
            <button type="submit" class="btn-ghost" data-testid="logout">{tx.logout}</button>
        </ActionForm>
    }
}

/// A logged-in customer's page: its heading `title`, then `children` inside
/// [`RequireLogin`].
#[component]
pub fn MemberPage(title: &'static str, children: ChildrenFn) -> impl IntoView {
    view! {
        <h1 class="page-title">{title}</h1>
        <RequireLogin>{children()}</RequireLogin>
    }
}

/// On paper only, under a member page's title and above its content: whose it is (the
/// brand, the お客さま番号 the customer center asks for, the customer's name and
/// iTSCOM ID). The screen's header is not printed, and a printed statement, mailbox
/// completion or set of recovery codes named no one.
#[component]
fn PrintedFor(user: super::UserBrief) -> impl IntoView {
    let tx = t();
    let prefs = crate::context::PagePrefs::current();
    let id = crate::i18n::parenthesized(tx.locale, &format!("iTSCOM ID: {}", user.itscom_id));
    view! {
        <p class="mb-3 hidden border-b border-slate-300 text-sm print:block" data-testid="printed-for">
            {format!("{} {}", prefs.brand, tx.brand_suffix)} " | "
            {format!("{} {}", tx.customer_number, user.customer_no)} " | "
            <span lang="ja">{user.name}</span> " " {tx.honorific} {id}
        </p>
    }
}

/// Renders `children` for a logged-in customer; anyone else goes to the login screen,
/// and comes back here after logging in. Routes using it render with
/// `SsrMode::Async`, so the redirect is a real 302.
///
/// Create the page's resources in the page component, before this one, and only read
/// them in `children` (which runs inside this Suspense): a resource created in the
/// children would be created again on each re-run, and its hydration id would differ
/// between the server and the browser.
#[component]
pub fn RequireLogin(children: ChildrenFn) -> impl IntoView {
    let user = expect_context::<UserResource>().0;
    let location = use_location();
    let here = move || {
        let search = location.search.get_untracked();
        if search.is_empty() {
            location.pathname.get_untracked()
        } else {
            format!("{}?{}", location.pathname.get_untracked(), search.trim_start_matches('?'))
        }
    };
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || user.get().map(|r| match r {
                Ok(Some(u)) => view! { <PrintedFor user=u/> {children.with_value(|c| c())} }.into_any(),
                Ok(None) | Err(AppError::Unauthorized) => {
                    let url = login_url(&here());
                    #[cfg(feature = "ssr")]
                    crate::ssr::redirect_page(&url);
                    #[cfg(not(feature = "ssr"))]
                    let _ = window().location().assign(&url);
                    view! { <Loading/> }.into_any()
                }
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </Suspense>
    }
}
