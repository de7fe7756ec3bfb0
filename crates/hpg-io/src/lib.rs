//! Loading of router features and reward tables, and checkpoint files,
//! for hpg.
//!
//! hpg learns which embedding model should serve each query from two
//! inputs with one row per query:
//!
//! - features: a `.npy` matrix of float16, float32 or float64 values, read
//!   by [`read_npy`] or, with a finiteness check, [`load_features`];
//! - rewards: a `.tsv` or `.csv` table with columns `<model>.<metric>`, or
//!   a `.npy` queries x models matrix, read by [`load_rewards`] with values
//!   checked to lie in [0, 1].
//!
//! [`check_row_counts`] checks that both describe the same queries.
//! [`save_checkpoint`] and [`load_checkpoint`] store any serde state, such
//! as a learner, in a versioned, checksummed file written atomically. All
//! values come back as `f64` in a row-major [`Matrix`]. Errors are one
//! [`Error`] type whose messages name the file, the line, row and column
//! where they apply, and the fix. Loading logs through `tracing` at debug
//! level and never prints.
//!
//! # Examples
//! ```
//! use hpg_io::{check_row_counts, load_features, load_rewards, write_npy, Matrix, NpyDtype};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let features_path = dir.path().join("features.npy");
//! let rewards_path = dir.path().join("rewards.tsv");
//! let features = Matrix::new(2, 3, vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.6]).unwrap();
//! write_npy(&features_path, &features, NpyDtype::F32).unwrap();
//! std::fs::write(&rewards_path, "query_id\tbm25.ndcg@10\tlsa.ndcg@10\n1\t0.5\t1\n2\t0\t0.25\n").unwrap();
//!
//! let x = load_features(&features_path).unwrap();
//! let table = load_rewards(&rewards_path, Some("ndcg@10")).unwrap();
//! check_row_counts("features.npy", x.rows(), "rewards.tsv", table.rewards.rows()).unwrap();
//! assert_eq!(table.models, ["bm25", "lsa"]);
//! assert_eq!(table.rewards.get(1, 1), Some(0.25));
//! ```

#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod checkpoint;
mod error;
mod float16;
mod load;
mod matrix;
mod npy;
mod records;
mod table;
mod validate;

pub use checkpoint::{
    check_checkpoint_field, decode_checkpoint, encode_checkpoint, load_checkpoint, save_checkpoint,
    FORMAT_VERSION, MAGIC, MAX_PAYLOAD_BYTES,
};
pub use error::{Error, Result};
pub use float16::{f16_bits_to_f64, f64_to_f16_bits};
pub use load::{load_features, load_rewards, NPY_REWARD_METRIC};
pub use matrix::Matrix;
pub use npy::{encode_npy, parse_npy, read_npy, write_npy, NpyDtype};
pub use table::{parse_reward_table, parse_reward_table_bytes, read_reward_table, RewardTable};
pub use validate::{check_features, check_rewards, check_row_counts};
