//! Criterion benchmarks (placeholder replaced below).
fn main() {}
