//! Writes the `evaluatePolicy` inputs of the benchmark (one per size, the timed request) as JSON
//! to stdout, for `wasm.mjs`: `[{"n": 10, "input": {...}}, ...]`. The same generator as the
//! criterion bench, so wasm and native time the same problems.

use secplay_bench_policy::{eval_input, Ask, SIZES};

fn main() {
    let ask = Ask::timed();
    let out: Vec<serde_json::Value> =
        SIZES.iter().map(|&n| serde_json::json!({"n": n, "input": eval_input(n, &ask)})).collect();
    println!("{}", serde_json::Value::Array(out));
}
