//! brink-crisis: game trees as data, their equilibria, and the closed-form crisis models.
