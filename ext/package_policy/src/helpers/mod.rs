//! Boundary helpers: panics never cross into Ruby, and batch work runs without the GVL.

mod guard;
mod heap;
mod nogvl;

pub use guard::guard;
pub use heap::{measure, CountingAlloc};
pub use nogvl::nogvl;
