//! Read models (the CQRS query side), derived only from events.
//!
//! - open orders and every order's current view (`order_views`),
//! - the kitchen queue (`kitchen_tickets`),
//! - item popularity (`item_popularity`),
//! - the counted items' stock (`item_stock`),
//! - an order's audit trail ([`audit`]), read straight from the order's stream.
//!
//! The stored ones move forward inside the transaction that appends the events they follow,
//! together with their checkpoint, so every process sees them exactly as current as the log.
//! They can be thrown away and rebuilt from the log at any time ([`rebuild`]), and [`check`]
//! compares them with a fresh fold.
//!
//! What they are is shared by every backend: [`models`] (event -> changes) and [`live`] (how
//! an append moves them, over the small [`live::ReadModelSink`] trait), and [`store`] (the
//! [`ReadModelStore`] trait the application queries them through). Where they are kept is
//! per backend: [`sqlite`] holds SQLite's tables, queries, version, whole-log fold and rebuild.

pub mod audit;
pub mod live;
pub mod models;
pub mod postgres;
pub mod queue;
pub mod rows;
pub mod sqlite;
pub mod stock;
pub mod store;
pub mod tickets;

pub use models::{OrderView, Popularity, ReadModels, TicketLine, TicketView};
pub use sqlite::{
    catch_up_to, check, columns, fold_all, queries, rebuild, rebuild_if_older, tables, version,
    Projections,
};
pub use stock::StockView;
pub use store::{ReadModelStore, RebuildStats};
