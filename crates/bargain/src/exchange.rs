//! Stokman's exchange model (equal-gain variant of decide-exchange-model).
