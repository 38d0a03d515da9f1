//! A latency histogram with fixed buckets, recorded with one atomic add per bucket touched: no
//! lock and no allocation on the request path, at the price of buckets chosen here rather than
//! by the operator.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The buckets' upper bounds, in microseconds: from half a millisecond (a cached read) to ten
/// seconds (a request near its deadline).
pub(crate) const BOUNDS_MICROS: [u64; 14] = [
    500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
    2_500_000, 5_000_000, 10_000_000,
];

/// Counts per bucket (not cumulative: Prometheus's cumulative counts are summed at render),
/// the sum of the observed durations and their number.
#[derive(Debug, Default)]
pub(crate) struct Histogram {
    buckets: [AtomicU64; BOUNDS_MICROS.len()],
    sum_micros: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    pub(crate) fn observe(&self, elapsed: Duration) {
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        // Past the last bound only `+Inf` counts it, which is `count`.
        if let Some(i) = BOUNDS_MICROS.iter().position(|&bound| micros <= bound) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// The `_bucket`, `_sum` and `_count` lines of `name`, with `labels` (`route="/x"`) first.
    pub(crate) fn render(&self, out: &mut String, name: &str, labels: &str) {
        let mut cumulative = 0;
        for (bucket, bound) in self.buckets.iter().zip(BOUNDS_MICROS) {
            cumulative += bucket.load(Ordering::Relaxed);
            let le = bound as f64 / 1e6;
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{le}\"}} {cumulative}");
        }
        let count = self.count();
        let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {count}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum{{{labels}}} {sum}");
        let _ = writeln!(out, "{name}_count{{{labels}}} {count}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_the_slowest_only_counts_in_inf() {
        let h = Histogram::default();
        h.observe(Duration::from_micros(300));
        h.observe(Duration::from_millis(3));
        h.observe(Duration::from_secs(60));
        let mut out = String::new();
        h.render(&mut out, "t", "route=\"/x\"");
        assert!(
            out.contains("t_bucket{route=\"/x\",le=\"0.0005\"} 1\n"),
            "{out}"
        );
        assert!(
            out.contains("t_bucket{route=\"/x\",le=\"0.005\"} 2\n"),
            "{out}"
        );
        assert!(
            out.contains("t_bucket{route=\"/x\",le=\"10\"} 2\n"),
            "{out}"
        );
        assert!(
            out.contains("t_bucket{route=\"/x\",le=\"+Inf\"} 3\n"),
            "{out}"
        );
        assert!(out.contains("t_count{route=\"/x\"} 3\n"), "{out}");
        assert!(out.contains("t_sum{route=\"/x\"} 60.0033\n"), "{out}");
    }
}
