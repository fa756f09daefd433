//! Land-use codes.
