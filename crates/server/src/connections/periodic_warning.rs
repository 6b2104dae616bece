//! A warning logged at most once per interval with the number of times its condition occurred
//! since the last line: a flood of refused connections must not become a flood of log lines.

use std::time::{Duration, Instant};

pub struct PeriodicWarning {
    interval: Duration,
    last_logged: Option<Instant>,
    unlogged: u64,
}

impl PeriodicWarning {
    pub fn new(interval: Duration) -> Self {
        PeriodicWarning { interval, last_logged: None, unlogged: 0 }
    }

    /// Counts one occurrence; returns how many to report when a line is due now.
    pub fn occurred(&mut self) -> Option<u64> {
        self.unlogged += 1;
        let now = Instant::now();
        if self.last_logged.is_some_and(|last| now.duration_since(last) < self.interval) {
            return None;
        }
        self.last_logged = Some(now);
        Some(std::mem::take(&mut self.unlogged))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_occurrence_is_reported_and_the_rest_wait_for_the_interval() {
        let mut warning = PeriodicWarning::new(Duration::from_millis(50));
        assert_eq!(warning.occurred(), Some(1));
        assert_eq!(warning.occurred(), None);
        assert_eq!(warning.occurred(), None);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(warning.occurred(), Some(3));
    }
}
