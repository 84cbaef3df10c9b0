//! A small given/when/then harness for any [`Decider`], in the spirit of cqrs-es's
//! `TestFramework`: *given* a history of events, *when* a command is decided (against a
//! context such as the menu), *then* expect exactly these events, or a rejection with this code.
//!
//! ```ignore
//! given::<MenuDecider>([added("soup")])
//!     .when(MenuCommand::RemoveMenuItem { item_id: "soup".into() })
//!     .then_events([removed("soup")]);
//!
//! given_with::<OrderDecider>(&menu, [opened()])
//!     .when(OrderCommand::PlaceOrder { fire_all: false })
//!     .then_rejected(codes::NOTHING_TO_SEND);
//! ```
//!
//! Besides the outcome, every decision is checked for two properties the domain promises:
//! deciding is deterministic (the same history, command and context give the same answer twice)
//! and deciding does not need anything but the folded state.
#![allow(dead_code)]

use std::fmt::Debug;

use brigade::domain::{Decider, Rejection};

/// The *given* step: a history, and the context decisions are taken against.
pub struct Given<'c, D: Decider> {
    history: Vec<D::Event>,
    context: D::Context<'c>,
}

/// Starts a scenario for a decider whose context is trivial (`()` for the menu).
pub fn given<'c, D: Decider>(history: impl IntoIterator<Item = D::Event>) -> Given<'c, D>
where
    D::Context<'c>: Default,
{
    Given {
        history: history.into_iter().collect(),
        context: Default::default(),
    }
}

/// Starts a scenario whose decisions are taken against `context` (the menu, for orders).
pub fn given_with<'c, D: Decider>(
    context: D::Context<'c>,
    history: impl IntoIterator<Item = D::Event>,
) -> Given<'c, D> {
    Given {
        history: history.into_iter().collect(),
        context,
    }
}

/// Starts a scenario with no history at all.
pub fn given_no_history<'c, D: Decider>(context: D::Context<'c>) -> Given<'c, D> {
    given_with(context, [])
}

impl<'c, D: Decider> Given<'c, D> {
    /// Decides against another context (e.g. a menu where an item was 86'd in the meantime).
    pub fn with_context(self, context: D::Context<'c>) -> Self {
        Given { context, ..self }
    }

    /// The state the history folds into.
    pub fn state(&self) -> D::State {
        D::fold(&self.history)
    }

    /// The *when* step: decides `command` against the folded history.
    pub fn when(self, command: D::Command) -> Then<D>
    where
        D::Context<'c>: Copy,
        D::Command: Debug,
        D::Event: Debug + PartialEq,
    {
        let state = self.state();
        let result = D::decide(&state, &command, self.context);
        let again = D::decide(&state, &command, self.context);
        assert_eq!(
            result, again,
            "deciding {command:?} twice on the same state gave different answers"
        );
        Then {
            command: format!("{command:?}"),
            state,
            result,
        }
    }
}

/// The *then* step: what the decision came to.
pub struct Then<D: Decider> {
    command: String,
    state: D::State,
    result: Result<Vec<D::Event>, Rejection>,
}

impl<D: Decider> Then<D>
where
    D::Event: Debug + PartialEq,
{
    /// Expects exactly `expected`, in order; returns the state after applying them, for further
    /// assertions about evolve.
    #[track_caller]
    pub fn then_events(self, expected: impl IntoIterator<Item = D::Event>) -> D::State {
        let expected: Vec<D::Event> = expected.into_iter().collect();
        match self.result {
            Ok(events) => {
                assert_eq!(
                    events, expected,
                    "{} produced other events than expected",
                    self.command
                );
                events.iter().fold(self.state, D::evolve)
            }
            Err(r) => panic!(
                "{} was rejected ({r}) but these events were expected: {expected:#?}",
                self.command
            ),
        }
    }

    /// Expects some events and hands them over (with the state after them) for custom checks.
    #[track_caller]
    pub fn then_accepted(self) -> (Vec<D::Event>, D::State) {
        match self.result {
            Ok(events) => {
                assert!(
                    !events.is_empty(),
                    "{} was accepted but produced no event",
                    self.command
                );
                let state = events.iter().fold(self.state, D::evolve);
                (events, state)
            }
            Err(r) => panic!("{} was rejected: {r}", self.command),
        }
    }

    /// Expects a rejection with `code` (and a message for people); returns it.
    #[track_caller]
    pub fn then_rejected(self, code: &str) -> Rejection {
        match self.result {
            Ok(events) => panic!(
                "{} was accepted with {events:#?} but {code} was expected",
                self.command
            ),
            Err(r) => {
                assert_eq!(
                    r.code, code,
                    "{} was rejected for another reason: {r}",
                    self.command
                );
                assert!(
                    !r.message.trim().is_empty(),
                    "the {code} rejection has no message for people"
                );
                r
            }
        }
    }

    /// Expects a rejection with `code` whose message mentions `fragment`.
    #[track_caller]
    pub fn then_rejected_with(self, code: &str, fragment: &str) -> Rejection {
        let r = self.then_rejected(code);
        assert!(
            r.message.contains(fragment),
            "the {code} message {:?} does not mention {fragment:?}",
            r.message
        );
        r
    }
}
