//! The pure restaurant domain: commands are decided into events, events are folded into state.
//!
//! Nothing in here performs I/O, reads a clock or draws random numbers. Everything that varies
//! between runs (ids, time, the menu an order is checked against) is passed in by the caller,
//! so every rule can be tested as *given events, when command, then events or rejection*.

pub mod codec;
pub mod menu;
pub mod modifier;
pub mod order;
pub mod rejection;
pub mod text;

pub use menu::{Menu, MenuCommand, MenuEvent, MenuItem};
pub use order::{Order, OrderCommand, OrderEvent};
pub use rejection::Rejection;

/// The decider pattern: an aggregate is an initial state, a way to decide a command against a
/// state, and a way to evolve a state by one event.
pub trait Decider {
    type State: Clone + Default;
    type Command;
    type Event;
    /// Whatever else the decision needs that is not the aggregate's own history (e.g. the menu).
    type Context<'a>;

    fn decide(
        state: &Self::State,
        command: &Self::Command,
        context: Self::Context<'_>,
    ) -> Result<Vec<Self::Event>, Rejection>;

    fn evolve(state: Self::State, event: &Self::Event) -> Self::State;

    /// Folds a history into a state.
    fn fold<'e>(events: impl IntoIterator<Item = &'e Self::Event>) -> Self::State
    where
        Self::Event: 'e,
    {
        Self::fold_from(None, events)
    }

    /// The one fold of an aggregate: from a snapshot (the state at some revision; `None` for
    /// the beginning) through the events after it. Loading, the snapshot check, the audit
    /// trail, the read models and the command path all fold through here.
    fn fold_from<'e>(
        snapshot: Option<Self::State>,
        events: impl IntoIterator<Item = &'e Self::Event>,
    ) -> Self::State
    where
        Self::Event: 'e,
    {
        events
            .into_iter()
            .fold(snapshot.unwrap_or_default(), Self::evolve)
    }
}

/// Declares an event enum whose variants each wrap a payload struct of the same name, with the
/// stable event type string, the current schema version and (de)serialisation of the payload
/// alone (the type travels beside it, in the store's `event_type` column).
#[macro_export]
macro_rules! event_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $name { $($variant($variant)),+ }

        impl $name {
            /// Every event type of this enum, as stored.
            pub const TYPES: &'static [&'static str] = &[$(stringify!($variant)),+];

            /// The stable name stored in the `event_type` column.
            pub fn event_type(&self) -> &'static str {
                match self { $($name::$variant(_) => stringify!($variant)),+ }
            }

            /// The payload as JSON, without the type.
            pub fn payload_json(&self) -> String {
                match self {
                    $($name::$variant(e) => serde_json::to_string(e)
                        .expect("event payloads are plain data and always serialise")),+
                }
            }

            /// The payload as a JSON value, without the type.
            pub fn payload_value(&self) -> serde_json::Value {
                match self {
                    $($name::$variant(e) => serde_json::to_value(e)
                        .expect("event payloads are plain data and always serialise")),+
                }
            }

            /// Reads a payload of the current schema version.
            pub fn from_payload(event_type: &str, payload: &str) -> Result<Self, $crate::domain::rejection::DecodeError> {
                match event_type {
                    $(stringify!($variant) => serde_json::from_str(payload)
                        .map($name::$variant)
                        .map_err(|e| $crate::domain::rejection::DecodeError::BadPayload(event_type.to_string(), e.to_string())),)+
                    other => Err($crate::domain::rejection::DecodeError::UnknownType(other.to_string())),
                }
            }
        }
    };
}
