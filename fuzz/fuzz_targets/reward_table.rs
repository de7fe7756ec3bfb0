//! Feeds arbitrary bytes to the reward table parser as TSV and as CSV, each
//! with and without a metric filter.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for delimiter in [b'\t', b','] {
        for metric in [None, Some("ndcg@10")] {
            let _ = hpg_io::parse_reward_table_bytes(data, delimiter, "fuzz.tsv", metric);
        }
    }
});
