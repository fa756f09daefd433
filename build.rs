//! The UI strings in `assets/locales/` are compiled into the library by `rust_i18n::i18n!`;
//! a proc macro cannot tell Cargo to watch them, so this script does.
fn main() {
    println!("cargo:rerun-if-changed=assets/locales");
}
