//! Boundary helpers: panics never cross into Ruby, and batch work runs without the GVL.

mod guard;
mod nogvl;

pub use guard::guard;
pub use nogvl::nogvl;
