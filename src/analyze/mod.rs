//! Analyses over the architecture graph. One analyzer per file; each returns
//! plain data that `crate::report` turns into its wire form.

pub mod cycles;
