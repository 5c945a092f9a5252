//! The UI's generated declarations (`ui/src/lib/contract.ts`) say what the Rust types say.

use std::path::Path;

#[test]
fn the_ui_contract_is_generated_from_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/contract.ts");
    let generated = stride_desktop::contract::typescript();
    if std::env::var_os("STRIDE_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write the contract");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/lib/contract.ts is not what the Rust types say: run \
         STRIDE_BLESS=1 cargo test -p stride-desktop --test contract, then check the UI (npm run check)"
    );
}
