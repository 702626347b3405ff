//! The steps of a multi-step flow, typed: each flow (registration, recovery, ID change,
//! mailbox wizard…) declares its steps once with [`flow_steps!`], and everything that
//! names a step, the server's guarded updates (`ssr::flow`), the pages' [`AtStep`]
//! guard and the database column, uses that enum. A misspelt step does not compile.

use crate::error::AppError;
use leptos::prelude::*;

/// One flow's steps: the enum of its `step` column.
pub trait Step:
    Copy + Eq + std::fmt::Debug + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static
{
    /// The table holding the flow's rows (one per flow under way).
    const TABLE: &'static str;
    /// Every step, in the order of the migration's `CHECK (step IN (…))`.
    const ALL: &'static [Self];
    /// The step as stored.
    fn as_str(self) -> &'static str;
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|x| x.as_str() == s)
    }
}

/// Declares a flow's step enum, stored in `$table.step` as the given strings:
/// ```ignore
/// flow_steps! {
///     /// The mailbox wizard.
///     pub enum MailboxStep in "mailbox_drafts" { Subdomain = "subdomain", Done = "done" }
/// }
/// ```
/// On the server the enum binds and decodes as its string (`sqlx` `Any`).
#[macro_export]
macro_rules! flow_steps {
    ($(#[$m:meta])* pub enum $name:ident in $table:literal {
        $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)?
    }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $crate::flow::Step for $name {
            const TABLE: &'static str = $table;
            const ALL: &'static [Self] = &[$(Self::$v),+];
            fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <str as sqlx::Type<sqlx::Any>>::type_info()
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> sqlx::Encode<'q, sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Any>>::encode($crate::flow::Step::as_str(*self), buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(
                value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let s = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                <Self as $crate::flow::Step>::parse(&s)
                    .ok_or_else(|| format!("{}: unknown step {s:?}", $table).into())
            }
        }
    };
}

/// What a page reads to know where its flow is: the step itself, or a view of the
/// flow that carries it (the mailbox draft).
pub trait HasStep<S: Step> {
    fn step(&self) -> S;
}

impl<S: Step> HasStep<S> for S {
    fn step(&self) -> S {
        *self
    }
}

/// Renders `children` with the flow's view only when the flow of this browser or
/// session is at `step`, as `current` reports (`Ok(None)`: no flow under way). Any other
/// request, a step skipped, replayed, or expired, is sent to `restart` with the
/// "expired or out of order" message (a 302: the routes render `SsrMode::Async`; its
/// body says so too, with a link back). A server error shows its notice.
#[component]
pub fn AtStep<S, T, V>(
    step: S,
    restart: &'static str,
    current: Resource<Result<Option<T>, AppError>>,
    children: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    S: Step,
    T: HasStep<S> + Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    use crate::components::status::{ErrorNotice, Loading};
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || current.get().map(|r| match r {
                Ok(Some(flow)) if flow.step() == step => children.with_value(|c| c(flow)).into_any(),
                Ok(_) => {
                    #[cfg(feature = "ssr")]
                    crate::ssr::redirect_page(&format!("{restart}?error={}", AppError::FlowExpired.query_code()));
                    // The redirect's own page says it too, with the way back.
                    let tx = crate::i18n::t();
                    view! {
                        <p class="alert alert-error" role="alert">{tx.err_flow_expired}</p>
                        <p class="mt-4"><a class="link link-action" href=restart>{tx.start_over}</a></p>
                    }.into_any()
                }
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::Step;

    /// The steps a table's migrations allow: the last `CHECK (step IN (…))` written for it.
    fn allowed_steps(table: &str) -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations");
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let mut found = Vec::new();
        for file in files {
            let sql = std::fs::read_to_string(&file).unwrap();
            for create in sql.split("CREATE TABLE ").skip(1) {
                let name = create.split_whitespace().next().unwrap_or_default();
                // A table rebuilt by a later migration is created as `<table>_v2`, then renamed.
                if name.trim_end_matches("_v2") != table {
                    continue;
                }
                let list = create.split("CHECK (step IN (").nth(1).and_then(|r| r.split("))").next());
                if let Some(list) = list {
                    found = list.split(',').map(|s| s.trim().trim_matches('\'').to_string()).collect();
                }
            }
        }
        found
    }

    fn matches_migrations<S: Step>() {
        let ours: Vec<String> = S::ALL.iter().map(|s| s.as_str().to_string()).collect();
        assert_eq!(ours, allowed_steps(S::TABLE), "{} steps", S::TABLE);
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(*s));
        }
        assert_eq!(S::parse("bogus"), None);
    }

    #[test]
    fn every_flow_has_the_steps_its_table_allows() {
        matches_migrations::<crate::features::registration::RegistrationStep>();
        matches_migrations::<crate::features::recovery::RecoveryStep>();
        matches_migrations::<crate::features::account::IdChangeStep>();
        matches_migrations::<crate::features::mailboxes::MailboxStep>();
    }
}
