//! The steps of a multi-step flow, typed: each flow (registration, recovery, ID change,
//! mailbox wizard…) declares its steps once with [`flow_steps!`], and everything that
//! names a step, the server's guarded updates (`ssr::flow`), the pages' `AtStep`
//! guard (`components::step`) and the database column, uses that enum. A misspelt step
//! does not compile. This module depends on nothing of the app's.

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
/// On the server the enum binds and decodes as its string (`sqlx` `Any`). A flow whose
/// table the maintenance task purges, or whose rows end when an account changes hands,
/// says so after it, and gets `FLOW` (see `ssr::flow::FlowTable`):
/// ```ignore
/// flow_steps! {
///     pub enum IdChangeStep in "id_changes" { Confirm = "confirm", Mailed = "mailed", … }
///     flow {
///         ends: [Confirm, Mailed] => Cancelled, by Account, clearing ["link_hash"], expire_now: false,
///         purge: [Purge::EXPIRED],
///     }
/// }
/// ```
#[macro_export]
macro_rules! flow_steps {
    ($(#[$m:meta])* pub enum $name:ident in $table:literal {
        $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)?
    }
    flow {
        $(ends: [$($p:ident),+] => $to:ident, by $key:ident, clearing [$($c:literal),*], expire_now: $expire:literal,)?
        purge: [$($rule:expr),* $(,)?] $(,)?
    }) => {
        $crate::flow_steps! {
            $(#[$m])* pub enum $name in $table { $($(#[$vm])* $v = $s),+ }
        }

        #[cfg(feature = "ssr")]
        impl $name {
            /// The flow's table as the layers below see it: what ends its pending rows,
            /// when its rows are deleted (listed in `features::FLOWS`).
            pub const FLOW: $crate::ssr::flow::FlowTable = $crate::ssr::flow::FlowTable {
                table: $table,
                ends: $crate::flow_steps!(@ends $([$($p),+] $to $key [$($c),*] $expire)?),
                purge: &[$($rule),*],
            };
        }
    };
    (@ends) => { None };
    (@ends [$($p:ident),+] $to:ident $key:ident [$($c:literal),*] $expire:literal) => {
        Some($crate::ssr::flow::Ends {
            pending: &[$(Self::$p.code()),+],
            to: Self::$to.code(),
            key: $crate::ssr::flow::Key::$key,
            clearing: &[$($c),*],
            expire_now: $expire,
        })
    };
    ($(#[$m:meta])* pub enum $name:ident in $table:literal {
        $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)?
    }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// The step as stored (usable in constants: a flow's table declares its steps).
            pub const fn code(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }
        }

        impl $crate::flow::Step for $name {
            const TABLE: &'static str = $table;
            const ALL: &'static [Self] = &[$(Self::$v),+];
            fn as_str(self) -> &'static str {
                self.code()
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
