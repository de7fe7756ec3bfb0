//! Feeds arbitrary bytes to the `.npy` decoder.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = hpg_io::parse_npy(data, "fuzz.npy");
});
