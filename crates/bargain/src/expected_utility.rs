//! The expected-utility model (Bueno de Mesquita 1994; Scholz, Calbert & Smith 2011).
