//! The files an experiment writes: CSV tables and SVG plots.

pub mod csv;
pub mod plot;
