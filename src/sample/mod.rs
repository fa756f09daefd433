//! Sample generator.
