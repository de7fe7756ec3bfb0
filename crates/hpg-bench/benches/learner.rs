//! Criterion benchmarks of the HPG learner: `decide`, `observe` and one
//! full round (`decide` then `observe`) on the low-rank and dense paths,
//! and one replay pass over the bundled typos table.
//!
//! Run with `cargo bench -p hpg-bench --bench learner`. Each learner is
//! first trained on a seeded synthetic stream (the low-rank experts of
//! `hpg_core::env::SyntheticBuilder`) so that its rank has settled, and the
//! ranks and the computed size of the learner state are printed on stderr.
//! The training runs when the first benchmark of its size is selected, so
//! a filter such as `-- lowrank/M=8` skips the others. Under
//! `cargo test --benches` every routine runs once on a short warm-up.

use std::cell::OnceCell;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use hpg_core::env::{Environment, Order, ReplayBuilder, Round, SyntheticBuilder};
use hpg_core::{Hpg, LearnerBuilder, Path};
use hpg_policy::Policy;

/// Matrix dimensions `n`; the router features have length `n - 1`
/// because the feature map appends a bias coordinate.
const DIMENSIONS: [usize; 4] = [65, 257, 385, 769];

/// Model counts `M`.
const MODEL_COUNTS: [usize; 2] = [4, 8];

/// Largest `n` benchmarked on the dense path. One dense update decomposes
/// `M` full `n x n` matrices at `O(n^3)` each, so `n = 769` costs about 8
/// times `n = 385`, and its warm-up alone would push the run past ten
/// minutes.
const DENSE_MAX_DIMENSION: usize = 385;

/// Rounds of training before the low-rank path is measured.
const WARM_UP_ROUNDS: usize = 1_000;

/// Rounds of training before the dense path is measured. The dense path
/// keeps all `n` eigenpairs from the first update on, so its cost per
/// round does not wait for a rank to settle. 400 rounds add more rank-one
/// terms than `n` at every dense size benchmarked, and a longer warm-up
/// would dominate the run time.
const DENSE_WARM_UP_ROUNDS: usize = 400;

/// Rounds of warm-up under `cargo test --benches`, where only compilation
/// and one run of each routine matter.
const TEST_WARM_UP_ROUNDS: usize = 10;

/// Distinct queries cycled through during measurement.
const QUERY_POOL: usize = 256;

/// Rounds measured on one copy of the warmed learner before a fresh copy
/// is taken, so pending tickets and drift stay bounded.
const ROUNDS_PER_COPY: u64 = 32;

/// Seed of the synthetic stream and of the learners.
const SEED: u64 = 2024;

/// Features and rewards of the bundled typos table, relative to this
/// crate.
const TYPOS_FEATURES: &str = "../../data/retrieval/typos/router_features_qpp.f16.npy";
const TYPOS_REWARDS: &str = "../../data/retrieval/typos/rewards.tsv";
const TYPOS_METRIC: &str = "mrr@10";

/// Returns true under `cargo bench`, which passes `--bench`, and false
/// under `cargo test --benches`.
fn benchmarking() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

fn path_name(path: Path) -> &'static str {
    match path {
        Path::LowRank => "lowrank",
        Path::Dense => "dense",
    }
}

/// Draws `rounds` rounds of the synthetic low-rank experts environment.
fn synthetic_rounds(input_dim: usize, models: usize, rounds: usize) -> Vec<Round> {
    let mut env = SyntheticBuilder::new()
        .dim(input_dim)
        .models(models)
        .rounds(rounds)
        .seed(SEED)
        .build()
        .expect("valid synthetic environment");
    std::iter::from_fn(|| env.next_round()).collect()
}

/// Plays one round: decide, then observe the chosen model's reward.
fn play(learner: &mut Hpg, round: &Round) {
    let decision = learner.decide(&round.features).expect("decide");
    let reward = round.rewards[decision.model];
    learner.observe(decision.ticket, reward).expect("observe");
}

/// A learner of the benchmark sizes, trained on a synthetic stream, with
/// the query pool used for measurement.
struct Warmed {
    learner: Hpg,
    queries: Vec<Round>,
}

fn warm_up(n: usize, models: usize, path: Path) -> Warmed {
    let rounds = match (benchmarking(), path) {
        (false, _) => TEST_WARM_UP_ROUNDS,
        (true, Path::LowRank) => WARM_UP_ROUNDS,
        (true, Path::Dense) => DENSE_WARM_UP_ROUNDS,
    };
    let stream = synthetic_rounds(n - 1, models, rounds + QUERY_POOL);
    let (training, queries) = stream.split_at(rounds);

    let mut learner = LearnerBuilder::new(n - 1, models)
        .seed(SEED)
        .path(path)
        .build()
        .expect("valid learner");
    let started = Instant::now();
    for round in training {
        play(&mut learner, round);
    }
    report_state(&learner, path, rounds, started.elapsed());
    Warmed {
        learner,
        queries: queries.to_vec(),
    }
}

/// Prints the rank per model after `rounds` rounds of training, and the
/// computed size of the learner state.
///
/// The size counts the `n x r` basis and the `r` dual and `r` primal
/// eigenvalues of each model at 8 bytes per f64. It leaves out the
/// allocator's overhead, the `Vec` headers and pending tickets (none are
/// pending between rounds).
fn report_state(learner: &Hpg, path: Path, rounds: usize, elapsed: Duration) {
    let policy = learner.policy();
    let n = policy.dim();
    let ranks: Vec<usize> = (0..policy.models())
        .filter_map(|m| policy.dual(m).map(|dual| dual.rank()))
        .collect();
    let floats: usize = ranks.iter().map(|r| n * r + 2 * r).sum();
    eprintln!(
        "state n={n} M={} path={}: ranks {ranks:?} after {rounds} rounds \
         ({:.1} s), {} KiB of f64 (computed)",
        policy.models(),
        path_name(path),
        elapsed.as_secs_f64(),
        floats * 8 / 1024,
    );
}

/// Times `count` calls of `measured` on a fresh copy of `warmed` per
/// `ROUNDS_PER_COPY` calls. `prepare` runs untimed on each copy first.
fn time_on_copies<S>(
    warmed: &Warmed,
    iterations: u64,
    mut prepare: impl FnMut(&mut Hpg, &[Round]) -> S,
    mut measured: impl FnMut(&mut Hpg, &Round, &mut S),
) -> Duration {
    let mut total = Duration::ZERO;
    let mut done = 0;
    while done < iterations {
        let count = (iterations - done).min(ROUNDS_PER_COPY);
        let start_index = (done as usize) % warmed.queries.len();
        let rounds: Vec<Round> = (0..count as usize)
            .map(|i| warmed.queries[(start_index + i) % warmed.queries.len()].clone())
            .collect();
        let mut learner = warmed.learner.clone();
        let mut state = prepare(&mut learner, &rounds);

        let started = Instant::now();
        for round in &rounds {
            measured(&mut learner, round, &mut state);
        }
        total += started.elapsed();
        done += count;
    }
    total
}

fn bench_path(c: &mut Criterion, path: Path) {
    for &models in &MODEL_COUNTS {
        for &n in &DIMENSIONS {
            if path == Path::Dense && n > DENSE_MAX_DIMENSION {
                continue;
            }
            // Trained on the first selected benchmark of this size, then
            // shared by the other two.
            let warmed_cell = OnceCell::new();
            let warmed = || warmed_cell.get_or_init(|| warm_up(n, models, path));
            let group_name = format!("{}/M={models}", path_name(path));
            let mut group = c.benchmark_group(group_name);
            group
                .sample_size(20)
                .warm_up_time(Duration::from_secs(1))
                .measurement_time(Duration::from_secs(3));
            if path == Path::Dense {
                // Dense rounds take milliseconds, so every sample runs
                // the same small number of iterations.
                group.sampling_mode(SamplingMode::Flat);
            }

            group.bench_function(BenchmarkId::new("decide", n), |b| {
                let warmed = warmed();
                b.iter_custom(|iterations| {
                    time_on_copies(
                        warmed,
                        iterations,
                        |_, _| (),
                        |learner, round, _| {
                            black_box(learner.decide(black_box(&round.features)).expect("decide"));
                        },
                    )
                });
            });

            group.bench_function(BenchmarkId::new("observe", n), |b| {
                let warmed = warmed();
                b.iter_custom(|iterations| {
                    time_on_copies(
                        warmed,
                        iterations,
                        |learner, rounds| {
                            rounds
                                .iter()
                                .map(|round| learner.decide(&round.features).expect("decide"))
                                .collect::<Vec<_>>()
                                .into_iter()
                        },
                        |learner, round, decisions| {
                            let decision = decisions.next().expect("one decision per round");
                            let reward = round.rewards[decision.model];
                            learner.observe(decision.ticket, reward).expect("observe");
                        },
                    )
                });
            });

            group.bench_function(BenchmarkId::new("decide+observe", n), |b| {
                let warmed = warmed();
                b.iter_custom(|iterations| {
                    time_on_copies(
                        warmed,
                        iterations,
                        |_, _| (),
                        |learner, round, _| play(learner, black_box(round)),
                    )
                });
            });
            group.finish();
        }
    }
}

fn low_rank(c: &mut Criterion) {
    bench_path(c, Path::LowRank);
}

fn dense(c: &mut Criterion) {
    bench_path(c, Path::Dense);
}

/// Loads the typos table as replay rounds in a seeded shuffled order.
fn typos_rounds() -> Option<Vec<Round>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let features_path = root.join(TYPOS_FEATURES);
    let rewards_path = root.join(TYPOS_REWARDS);
    let features = match hpg_io::load_features(&features_path) {
        Ok(features) => features,
        Err(error) => {
            eprintln!(
                "skipping the typos replay: {} failed to load: {error}",
                features_path.display()
            );
            return None;
        }
    };
    let table = hpg_io::load_rewards(&rewards_path, Some(TYPOS_METRIC)).expect("typos rewards");
    let dim = features.cols();
    let models = table.models.len();
    let mut env = ReplayBuilder::new(features.into_data(), dim, table.rewards.into_data(), models)
        .order(Order::Shuffled)
        .seed(SEED)
        .build()
        .expect("valid replay");
    let rounds: Vec<Round> = std::iter::from_fn(|| env.next_round()).collect();
    eprintln!(
        "typos replay: {} rounds, {dim} features, {models} models, metric {TYPOS_METRIC}",
        rounds.len()
    );
    Some(rounds)
}

fn typos_replay(c: &mut Criterion) {
    let Some(mut rounds) = typos_rounds() else {
        return;
    };
    if !benchmarking() {
        rounds.truncate(TEST_WARM_UP_ROUNDS);
    }
    let (models, dim) = (rounds[0].rewards.len(), rounds[0].features.len());

    let mut group = c.benchmark_group("typos_replay");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(rounds.len() as u64));
    let mut reported = false;
    group.bench_function("hpg_default_one_pass", |b| {
        b.iter(|| {
            let started = Instant::now();
            let mut learner = LearnerBuilder::new(dim, models)
                .seed(SEED)
                .build()
                .expect("valid learner");
            for round in &rounds {
                play(&mut learner, round);
            }
            if !reported {
                report_state(&learner, Path::LowRank, rounds.len(), started.elapsed());
                reported = true;
            }
            black_box(learner.observed())
        });
    });
    group.finish();
}

criterion_group!(benches, low_rank, dense, typos_replay);
criterion_main!(benches);
