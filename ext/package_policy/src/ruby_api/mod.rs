//! One file per Ruby class. Each converts, delegates to the engine and
//! converts back; no policy logic lives here.

use magnus::{Error, Ruby};

mod analysis;
mod convert;
mod decision;
mod engine;
mod request;
mod rule;
mod symbols;

pub fn init(ruby: &Ruby) -> Result<(), Error> {
    let module = ruby.define_module("PackagePolicy")?;
    rule::init(ruby, module)?;
    decision::init(ruby, module)?;
    engine::init(ruby, module)?;
    analysis::init(ruby, module)?;
    crate::error::define_kinds(ruby)?;
    Ok(())
}
