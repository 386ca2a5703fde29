//! The baseline: POLICY_SPEC §4 read literally over the rule list
//! (`package_policy::reference`), compiled from the same layer sources.

pub use package_policy::reference::Reference as Naive;
