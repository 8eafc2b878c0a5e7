//! brink-bargain: the bargaining models that forecast where each issue settles.

pub mod exchange;
pub mod expected_utility;
pub mod smp;
