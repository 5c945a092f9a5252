//! Code search as a person types, over the whole ICD-10-CM release:
//! `cargo bench -p stride-icd10`. Prints the time to read the release and to build the
//! word index, then p50 and p99 of searches for every prefix of typical queries (as each
//! keystroke would search).

use std::time::{Duration, Instant};
use stride_icd10::CodeSet;

fn main() {
    let before = heap_resident_kib();
    let t = Instant::now();
    let set = CodeSet::from_gzip(include_bytes!("../data/icd10cm-tabular-2026-april.xml.gz")).expect("the release");
    println!("read the release ({} codes): {:?}", set.len(), t.elapsed());
    let read = heap_resident_kib();
    let t = Instant::now();
    std::hint::black_box(set.search("pain", 25));
    println!("first search by words (builds the word index): {:?}", t.elapsed());
    if let (Some(before), Some(read), Some(searched)) = (before, read, heap_resident_kib()) {
        println!(
            "resident heap: {} KiB for the release, {} KiB more for the word index",
            read - before,
            searched - read
        );
    }

    let queries = [
        "low back pain",
        "M54.50",
        "pain in right knee",
        "s83.511a",
        "rotator cuff tear left",
        "osteoarthritis of knee",
        "difficulty in walking",
        "muscle weakness",
        "cervicalgia",
        "plantar fasciitis",
        "sprain of ankle",
        "G89.29",
        "fracture neck of femur initial",
        "after care joint replacement",
    ];
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..20 {
        for q in queries {
            for end in 1..=q.len() {
                let typed = &q[..end];
                let t = Instant::now();
                std::hint::black_box(set.search(typed, 25));
                times.push(t.elapsed());
            }
        }
    }
    times.sort();
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    println!(
        "search as you type: p50 {:?}, p99 {:?}, slowest {:?} (n={})",
        at(50),
        at(99),
        times[times.len() - 1],
        times.len()
    );
}

/// The process's resident anonymous memory (its heap, mostly), where Linux tells it.
fn heap_resident_kib() -> Option<i64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("RssAnon:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
