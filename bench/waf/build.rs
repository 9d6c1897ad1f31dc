//! Compiles libinjection's C source (fetched by `fetch-libinjection.sh`, never committed) with
//! gcc -O2 for the side-by-side benchmark. Without the source the benchmark still runs and prints
//! "n/a" for the C library.

use std::path::Path;

const SRC: &str = "target/libinjection/libinjection-python-1.1.6/libinjection/src";

fn main() {
    println!("cargo::rustc-check-cfg=cfg(libinjection_c)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed={SRC}");
    let src = Path::new(SRC);
    if !src.join("libinjection_sqli.c").is_file() {
        println!("cargo::warning=libinjection C source not found: run ./fetch-libinjection.sh to compare against it");
        return;
    }
    cc::Build::new()
        .files(["libinjection_sqli.c", "libinjection_xss.c", "libinjection_html5.c"].map(|f| src.join(f)))
        .include(src)
        .opt_level(2)
        .warnings(false)
        .compile("injection");
    println!("cargo::rustc-cfg=libinjection_c");
}
