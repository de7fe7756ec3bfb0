//! Writes the generated seed inputs into `seeds/`: small `.npy` files, a
//! small CSV table, and checkpoints with their bare payloads.
//!
//! Run from `fuzz/` with `cargo run --example write_seeds`. The TSV seed
//! copied from `data/retrieval/judged/rewards.tsv` is not written here.

use std::fs;
use std::path::Path;

use hpg_core::LearnerBuilder;
use hpg_io::{encode_checkpoint, encode_npy, Matrix, NpyDtype};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    write_npy_seeds(&seeds.join("npy"))?;
    write_table_seeds(&seeds.join("reward_table"))?;
    write_checkpoint_seeds(&seeds.join("checkpoint"))?;
    check_seeds(&seeds)?;
    Ok(())
}

/// Checks that every seed file decodes, so the fuzzers start from valid
/// inputs.
fn check_seeds(seeds: &Path) -> Result<(), Box<dyn std::error::Error>> {
    for entry in fs::read_dir(seeds.join("npy"))? {
        let path = entry?.path();
        hpg_io::parse_npy(&fs::read(&path)?, &path.display().to_string())?;
    }
    for entry in fs::read_dir(seeds.join("reward_table"))? {
        let path = entry?.path();
        let delimiter = if path.extension() == Some("csv".as_ref()) {
            b','
        } else {
            b'\t'
        };
        let bytes = fs::read(&path)?;
        let source = path.display().to_string();
        hpg_io::parse_reward_table_bytes(&bytes, delimiter, &source, Some("ndcg@10"))?;
    }
    let dir = seeds.join("checkpoint");
    let file = |name: &str| fs::read(dir.join(name));
    hpg_io::decode_checkpoint::<Vec<f64>>(&file("vec_f64.ckpt")?, "vec_f64.ckpt")?;
    hpg_io::decode_checkpoint::<(u64, Vec<u32>)>(&file("u64_vec_u32.ckpt")?, "u64_vec_u32.ckpt")?;
    for name in ["hpg_fresh.ckpt", "hpg_trained.ckpt"] {
        hpg_io::decode_checkpoint::<hpg_core::Hpg>(&file(name)?, name)?;
    }
    Ok(())
}

fn write_npy_seeds(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    fs::create_dir_all(dir)?;
    let matrix = Matrix::new(2, 3, vec![0.1, -0.2, 0.3, 1.5, 0.0, -65504.0])?;
    for (dtype, name) in [
        (NpyDtype::F16, "f16_2x3.npy"),
        (NpyDtype::F32, "f32_2x3.npy"),
        (NpyDtype::F64, "f64_2x3.npy"),
    ] {
        fs::write(dir.join(name), encode_npy(&matrix, dtype)?)?;
    }
    let empty = Matrix::new(0, 4, Vec::new())?;
    fs::write(dir.join("f32_0x4.npy"), encode_npy(&empty, NpyDtype::F32)?)?;

    // A big-endian, column-major file, which `encode_npy` never writes.
    let header = "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 2), }";
    let mut header = header.to_owned();
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    for value in [1.0_f64, 2.0, 3.0, 4.0] {
        bytes.extend_from_slice(&value.to_be_bytes());
    }
    fs::write(dir.join("f64_big_endian_fortran_2x2.npy"), bytes)?;
    Ok(())
}

fn write_table_seeds(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    fs::create_dir_all(dir)?;
    fs::write(
        dir.join("small.csv"),
        "query_id,bm25.ndcg@10,bm25.recall@10,lsa.ndcg@10\n\
         1,0.5,1,0.25\n\
         \"2\",0,0.125,\"1.0\"\n",
    )?;
    fs::write(
        dir.join("small.tsv"),
        "query_id\tbm25.ndcg@10\tlsa.ndcg@10\n1\t0.5\t1\n2\t0\t0.25\n",
    )?;
    Ok(())
}

fn write_checkpoint_seeds(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    fs::create_dir_all(dir)?;
    let mut learner = LearnerBuilder::new(3, 2).seed(5).batch_size(2).build()?;
    let fresh = encode_checkpoint(&learner)?;
    for query in [[0.5, 0.0, -0.5], [0.1, 0.2, 0.3], [-1.0, 0.4, 0.0]] {
        let decision = learner.decide(&query)?;
        learner.observe(decision.ticket, 0.75)?;
    }
    // Leaves one decision pending, so that part of the state is not empty.
    learner.decide(&[0.3, -0.3, 0.9])?;
    let trained = encode_checkpoint(&learner)?;

    let files = [
        (
            "vec_f64.ckpt",
            encode_checkpoint(&vec![1.5_f64, -2.0, 0.0])?,
        ),
        (
            "u64_vec_u32.ckpt",
            encode_checkpoint(&(7_u64, vec![1_u32, 300, 70000]))?,
        ),
        ("hpg_fresh.ckpt", fresh),
        ("hpg_trained.ckpt", trained),
    ];
    for (name, bytes) in &files {
        fs::write(dir.join(name), bytes)?;
        // The bare payload, which the target wraps in a valid container.
        let payload = payload_of(bytes);
        fs::write(dir.join(format!("{name}.payload")), payload)?;
    }
    Ok(())
}

/// Returns the payload of a checkpoint written by `encode_checkpoint`: the
/// bytes after the header and before the 4-byte checksum.
fn payload_of(bytes: &[u8]) -> &[u8] {
    let writer_len = usize::from(u16::from_le_bytes([bytes[12], bytes[13]]));
    &bytes[14 + writer_len + 8..bytes.len() - 4]
}
