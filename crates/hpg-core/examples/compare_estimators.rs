//! Compares REINFORCE and the doubly robust estimator inside the HPG learner
//! on a replayed reward table, over several seeds and step scales.
//!
//! ```text
//! cargo run --release -p hpg-core --example compare_estimators -- \
//!     --features data/retrieval/typos/router_features_qpp.f16.npy \
//!     --rewards data/retrieval/typos/rewards.tsv --metric mrr@10 \
//!     --passes 1 --seeds 0,1,2,3,4 --step-scales 1,0.5
//! ```
//!
//! Every learner of a seed uses the seed that `hpg replay --learners hpg`
//! gives its `hpg` learner, so the REINFORCE row at step scale 1 reproduces
//! that command's gap. The replay uses the command's defaults: shuffled
//! order and no held-out queries.

use std::collections::BTreeMap;
use std::error::Error;
use std::path::PathBuf;

use hpg_core::env::{Order, ReplayBuilder};
use hpg_core::{derive_seed, LearnerBuilder, Named, Router};

#[derive(Debug)]
struct Options {
    features: PathBuf,
    rewards: PathBuf,
    metric: Option<String>,
    passes: usize,
    seeds: Vec<u64>,
    step_scales: Vec<f64>,
}

fn parse_list<T: std::str::FromStr>(flag: &str, text: &str) -> Result<Vec<T>, String> {
    text.split(',')
        .map(|item| {
            item.trim()
                .parse()
                .map_err(|_| format!("{flag}: invalid list item {item:?}"))
        })
        .collect()
}

fn parse_options() -> Result<Options, String> {
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{flag}: missing value"))?;
        values.insert(flag, value);
    }
    let mut take = |flag: &str| values.remove(flag);

    let features = take("--features").ok_or("missing --features FILE")?;
    let rewards = take("--rewards").ok_or("missing --rewards FILE")?;
    let metric = take("--metric");
    let passes = match take("--passes") {
        Some(text) => text
            .parse()
            .map_err(|_| format!("--passes: invalid count {text:?}"))?,
        None => 1,
    };
    let seeds = parse_list(
        "--seeds",
        &take("--seeds").unwrap_or_else(|| "0".to_owned()),
    )?;
    let step_scales = parse_list(
        "--step-scales",
        &take("--step-scales").unwrap_or_else(|| "1".to_owned()),
    )?;
    if let Some(flag) = values.keys().next() {
        return Err(format!("unknown option {flag}"));
    }
    Ok(Options {
        features: features.into(),
        rewards: rewards.into(),
        metric,
        passes,
        seeds,
        step_scales,
    })
}

/// Builds one REINFORCE and one doubly robust HPG learner per step scale.
fn build_routers(
    dim: usize,
    models: usize,
    seed: u64,
    step_scales: &[f64],
) -> Result<Vec<Box<dyn Router>>, hpg_core::Error> {
    let mut routers: Vec<Box<dyn Router>> = Vec::new();
    for &scale in step_scales {
        let builder = LearnerBuilder::new(dim, models)
            .seed(derive_seed(seed, "hpg"))
            .step_scale(scale);
        routers.push(Box::new(Named::new(
            format!("reinforce@{scale}"),
            builder.build()?,
        )));
        routers.push(Box::new(Named::new(
            format!("dr@{scale}"),
            builder.build_doubly_robust()?,
        )));
    }
    Ok(routers)
}

fn main() -> Result<(), Box<dyn Error>> {
    let options = parse_options()?;
    let features = hpg_io::load_features(&options.features)?;
    let table = hpg_io::load_rewards(&options.rewards, options.metric.as_deref())?;
    let dim = features.cols();
    let models = table.models.len();
    let feature_data = features.into_data();
    let reward_data = table.rewards.into_data();

    let mut gaps: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    println!("seed  learner          gap   us/round");
    for &seed in &options.seeds {
        let mut env = ReplayBuilder::new(feature_data.clone(), dim, reward_data.clone(), models)
            .model_names(table.models.clone())
            .order(Order::Shuffled)
            .passes(options.passes)
            .seed(seed)
            .build()?;
        let mut routers = build_routers(dim, models, seed, &options.step_scales)?;
        let report = hpg_core::run(&mut env, &mut routers, &mut |_, _| {})?;

        for router in &report.routers {
            println!(
                "{seed:>4}  {:<14} {:.4} {:>10.1}",
                router.name, router.gap, router.us_per_round
            );
            gaps.entry(router.name.clone())
                .or_default()
                .push(router.gap);
        }
        let best_fixed_gap = report.oracle_avg_reward - report.best_fixed.avg_reward;
        println!("{seed:>4}  best fixed     {best_fixed_gap:.4}");
    }

    println!(
        "\nlearner         mean gap over {} seeds",
        options.seeds.len()
    );
    for (name, values) in &gaps {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        println!("{name:<14}  {mean:.4}");
    }
    Ok(())
}
