//! The spatial model of politics (SMP) of KTAB.
