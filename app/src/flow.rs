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

/// Declares a flow's step enum, stored in `$table.step` as each variant's name in snake
/// case (`AtGateway` is `at_gateway`; a unit test holds every flow to its migration's
/// `CHECK (step IN (…))`):
/// ```ignore
/// flow_steps! {
///     /// The mailbox wizard.
///     pub enum MailboxStep in "mailbox_drafts" { Subdomain, Done }
/// }
/// ```
/// On the server the enum binds and decodes as its string (`sqlx` `Any`). A flow whose
/// table the maintenance task purges, or whose rows end when an account changes hands,
/// says so after it, and gets `FLOW` (see `ssr::flow::FlowTable`):
/// ```ignore
/// flow_steps! {
///     pub enum IdChangeStep in "id_changes" { Confirm, Mailed, Done, Cancelled }
///     flow {
///         ends: [Confirm, Mailed] => Cancelled, by Account, clearing ["link_hash"], expire_now: false,
///         purge: [Purge::EXPIRED],
///     }
/// }
/// ```
#[macro_export]
macro_rules! flow_steps {
    ($(#[$m:meta])* pub enum $name:ident in $table:literal {
        $($(#[$vm:meta])* $v:ident),+ $(,)?
    }
    flow {
        $(ends: [$($p:ident),+] => $to:ident, by $key:ident, clearing [$($c:literal),*], expire_now: $expire:literal,)?
        purge: [$($rule:expr),* $(,)?] $(,)?
    }) => {
        $crate::flow_steps! {
            $(#[$m])* pub enum $name in $table { $($(#[$vm])* $v),+ }
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
        $($(#[$vm:meta])* $v:ident),+ $(,)?
    }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// The step as stored (usable in constants: a flow's table declares its steps).
            pub const fn code(self) -> &'static str {
                match self {
                    $(Self::$v => {
                        const NAME: [u8; $crate::flow::snake_len(stringify!($v))] =
                            $crate::flow::snake(stringify!($v));
                        match core::str::from_utf8(&NAME) {
                            Ok(name) => name,
                            Err(_) => panic!("a step's name is ASCII"),
                        }
                    }),+
                }
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

/// The length of a variant's name in snake case (see [`snake`]).
#[doc(hidden)]
pub const fn snake_len(name: &str) -> usize {
    let b = name.as_bytes();
    let (mut n, mut i) = (b.len(), 1);
    while i < b.len() {
        if b[i].is_ascii_uppercase() {
            n += 1;
        }
        i += 1;
    }
    n
}

/// A variant's name in snake case, at compile time: `MailSent` → `mail_sent`.
#[doc(hidden)]
pub const fn snake<const N: usize>(name: &str) -> [u8; N] {
    let b = name.as_bytes();
    let mut out = [0u8; N];
    let (mut i, mut o) = (0, 0);
    while i < b.len() {
        if b[i].is_ascii_uppercase() {
            if i > 0 {
                out[o] = b'_';
                o += 1;
            }
            out[o] = b[i].to_ascii_lowercase();
        } else {
            out[o] = b[i];
        }
        o += 1;
        i += 1;
    }
    out
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_variant_is_stored_as_its_name_in_snake_case() {
        crate::flow_steps! {
            pub enum Demo in "demo" { AtGateway, Done, MailSent2 }
        }
        use super::Step;
        assert_eq!(Demo::AtGateway.as_str(), "at_gateway");
        assert_eq!(Demo::Done.code(), "done");
        assert_eq!(Demo::MailSent2.as_str(), "mail_sent2");
        assert_eq!(Demo::parse("at_gateway"), Some(Demo::AtGateway));
        assert_eq!(Demo::parse("AtGateway"), None);
    }
}
