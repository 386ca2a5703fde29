pub mod policy_gen;
