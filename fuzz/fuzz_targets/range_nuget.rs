#![no_main]
include!("common.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| check_range(Ecosystem::Nuget, data));
