//! brink-scenario: the data model of a standoff and its loading.
