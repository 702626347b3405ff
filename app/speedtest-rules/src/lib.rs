//! イッツコム 通信速度測定 (SPEC §5): the measuring rules, after LibreSpeed's
//! `speedtest_worker.js` (its defaults), as plain functions of time and byte counts so
//! they are unit-tested here and run unchanged in the browser's measuring code (the
//! speed test's own WASM module) and on the server (the result's checks and figures).
//!
//! - Download over 6 parallel streams (upload 3) started 300 ms apart, each restarted
//!   when it ends; bytes counted from progress events.
//! - Speed sampled every 200 ms: bytes ÷ elapsed × 8 × 1.06 (protocol overhead).
//! - Warm-up: the first 1.5 s (download) / 3 s (upload) are discarded: at the end of
//!   the grace time the counters and the clock start again.
//! - At most 15 s a direction, counted from the end of the grace time.
//! - Ping: 10 sequential requests, the first discarded, the minimum reported; jitter
//!   from the differences of consecutive pings, smoothed (0.3/0.7 when rising,
//!   0.8/0.2 when falling).

/// How one direction is measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Direction {
    pub streams: u32,
    /// Between the starts of two streams.
    pub stagger_ms: f64,
    /// Discarded at the start (the connection's slow start).
    pub grace_ms: f64,
    /// The measurement after the grace time.
    pub max_ms: f64,
}

/// Bytes counted on the wire are the payload; TCP/IP headers add about 6 %.
pub const OVERHEAD: f64 = 1.06;
/// How often the speed is sampled (and the gauge moves).
pub const SAMPLE_MS: f64 = 200.0;
/// Ping requests, the first of which is discarded.
pub const PINGS: u32 = 10;

pub const DOWNLOAD: Direction =
    Direction { streams: 6, stagger_ms: 300.0, grace_ms: 1_500.0, max_ms: 15_000.0 };
pub const UPLOAD: Direction =
    Direction { streams: 3, stagger_ms: 300.0, grace_ms: 3_000.0, max_ms: 15_000.0 };

impl Direction {
    /// The same method in `seconds` (2–15) instead of 15: the grace time shrinks in
    /// proportion (a short test for the end-to-end suite; customers get the full one).
    pub fn shortened(self, seconds: u32) -> Self {
        let max_ms = f64::from(seconds.clamp(2, 15)) * 1_000.0;
        Self { grace_ms: self.grace_ms * max_ms / self.max_ms, max_ms, ..self }
    }
}

/// The seconds a direction runs on the page: 15 (the method), or those `asked` for
/// (`?duration=`, the end-to-end suite's short tests), within 2–15 and never below the
/// server's least for a verified result (`least`, `SPEEDTEST_MIN_SECONDS`).
pub fn test_seconds(asked: Option<u32>, least: u32) -> u32 {
    asked.unwrap_or(15).max(least).clamp(2, 15)
}

/// One direction's meter: feed it the bytes each progress event reports and sample it
/// every [`SAMPLE_MS`].
#[derive(Debug, Clone, PartialEq)]
pub struct Meter {
    dir: Direction,
    /// When counting (re)started: the first stream's start, then the end of the grace
    /// (the time limit and the progress count from here).
    since: f64,
    /// When the measurement started (for the grace time).
    began: f64,
    bytes: f64,
    grace_done: bool,
    mbps: f64,
}

/// What a sample says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Megabits a second so far (0 during the grace time).
    pub mbps: f64,
    /// 0–1 of the direction's time (0 during the grace time).
    pub progress: f64,
    /// The time is up: stop the streams; `mbps` is the result.
    pub done: bool,
}

impl Meter {
    pub fn new(dir: Direction, now: f64) -> Self {
        Self { dir, since: now, began: now, bytes: 0.0, grace_done: false, mbps: 0.0 }
    }

    /// `bytes` more arrived (or left).
    pub fn add(&mut self, bytes: f64) {
        if bytes > 0.0 {
            self.bytes += bytes;
        }
    }

    pub fn grace_done(&self) -> bool {
        self.grace_done
    }

    /// The sample at `now`: ends the grace time once it is over (counters and clock
    /// start again, if anything was counted: a link that had sent nothing yet keeps
    /// its clock), then computes the speed since.
    pub fn sample(&mut self, now: f64) -> Sample {
        if !self.grace_done {
            if now - self.began > self.dir.grace_ms {
                if self.bytes > 0.0 {
                    self.since = now;
                    self.bytes = 0.0;
                }
                self.grace_done = true;
            }
            return Sample { mbps: self.mbps, progress: 0.0, done: false };
        }
        let t = now - self.since;
        if t >= SAMPLE_MS {
            self.mbps = mbps(self.bytes, t);
        }
        Sample {
            mbps: self.mbps,
            progress: (t / self.dir.max_ms).clamp(0.0, 1.0),
            done: t >= self.dir.max_ms,
        }
    }
}

/// `bytes` in `ms` as megabits a second, with the overhead.
pub fn mbps(bytes: f64, ms: f64) -> f64 {
    if ms <= 0.0 {
        return 0.0;
    }
    bytes * 8.0 * OVERHEAD / (ms / 1_000.0) / 1_000_000.0
}

/// Ping and jitter from sequential round trips (the discarded first one not given).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Pings {
    count: u32,
    previous: f64,
    /// The smallest round trip, ms.
    pub ping: f64,
    /// The smoothed variation, ms.
    pub jitter: f64,
}

impl Pings {
    /// One more round trip of `ms` (below 1 ms counts as 1, as LibreSpeed does with its
    /// millisecond clock).
    pub fn add(&mut self, ms: f64) {
        let ms = if ms.is_finite() { ms.max(1.0) } else { return };
        self.count += 1;
        if self.count == 1 {
            self.ping = ms;
        } else {
            let d = (ms - self.previous).abs();
            if ms < self.ping {
                self.ping = ms;
            }
            self.jitter = if self.count == 2 {
                d
            } else if d > self.jitter {
                self.jitter * 0.3 + d * 0.7
            } else {
                self.jitter * 0.8 + d * 0.2
            };
        }
        self.previous = ms;
    }

    pub fn count(&self) -> u32 {
        self.count
    }
}

/// The latency under load: the median of the round trips measured while the download
/// ran (after its grace time). None without any.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

/// The bufferbloat grade: how much the latency grows under load (loaded − idle, ms),
/// on the scale speed tests commonly use (A+ under 5 ms … F from 400 ms).
pub fn bufferbloat_grade(idle_ms: f64, loaded_ms: f64) -> &'static str {
    let rise = (loaded_ms - idle_ms).max(0.0);
    match rise {
        r if r < 5.0 => "A+",
        r if r < 30.0 => "A",
        r if r < 60.0 => "B",
        r if r < 200.0 => "C",
        r if r < 400.0 => "D",
        _ => "F",
    }
}

/// A finished test as the browser reports it, checked: speeds in kbps (0–100 Gbps),
/// times in microseconds (up to a minute), as integers (no floats stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Measured {
    pub download_kbps: i64,
    pub upload_kbps: i64,
    pub ping_us: i64,
    pub jitter_us: i64,
    pub loaded_us: Option<i64>,
}

pub const MAX_KBPS: i64 = 100_000_000;
pub const MAX_US: i64 = 60_000_000;

/// The slack of the comparison below (a slow line, or a test too short to move much).
pub const SLACK_KBPS: i64 = 1_000;

/// Whether a speed the browser reported (kbps, with LibreSpeed's ×1.06 for overhead, over
/// its window after the warm-up) agrees with what the server itself moved in that
/// direction: `bytes` from the first stream's start to the last one's end
/// (`window_ms`). The server's average includes the warm-up and the gaps between
/// streams, and the last aborted streams may not be counted yet, so it may fall below
/// the browser's figure by some tens of percent; a report of more than twice it, or of
/// less than half of it (a line reported slower than the server saw it go: an
/// inquiry's evidence is usually of slowness), each with [`SLACK_KBPS`] to spare, is one
/// the count contradicts, and so is any report with nothing counted.
pub fn server_count_agrees(reported_kbps: i64, bytes: i64, window_ms: i64) -> bool {
    server_count_agrees_over(reported_kbps, bytes, window_ms, 0)
}

/// [`server_count_agrees`], and the server counted for `min_seconds` at least: a test
/// cut short (slow start still under way) says too little of a line to be evidence of
/// it, however well the count agrees.
pub fn server_count_agrees_over(reported_kbps: i64, bytes: i64, window_ms: i64, min_seconds: i64) -> bool {
    if window_ms < min_seconds.saturating_mul(1_000) {
        return false;
    }
    if bytes <= 0 || window_ms <= 0 {
        return false;
    }
    // bits per millisecond are kilobits per second.
    let server_kbps = bytes.saturating_mul(8) / window_ms;
    reported_kbps <= server_kbps.saturating_mul(2).saturating_add(SLACK_KBPS)
        && reported_kbps.saturating_mul(2).saturating_add(SLACK_KBPS) >= server_kbps
}

impl Measured {
    /// The figures as sent, or None when one is out of range (a broken or forged
    /// report is not stored).
    pub fn check(self) -> Option<Self> {
        let speed = |v: i64| (0..=MAX_KBPS).contains(&v);
        let time = |v: i64| (0..=MAX_US).contains(&v);
        (speed(self.download_kbps)
            && speed(self.upload_kbps)
            && time(self.ping_us)
            && time(self.jitter_us)
            && self.loaded_us.is_none_or(time))
        .then_some(self)
    }

    /// From the measuring code's floats (Mbps, ms).
    pub fn from_floats(
        download_mbps: f64,
        upload_mbps: f64,
        ping_ms: f64,
        jitter_ms: f64,
        loaded_ms: Option<f64>,
    ) -> Self {
        let kbps = |m: f64| if m.is_finite() { (m * 1_000.0).round() as i64 } else { -1 };
        let us = |ms: f64| if ms.is_finite() { (ms * 1_000.0).round() as i64 } else { -1 };
        Self {
            download_kbps: kbps(download_mbps),
            upload_kbps: kbps(upload_mbps),
            ping_us: us(ping_ms),
            jitter_us: us(jitter_ms),
            loaded_us: loaded_ms.map(us),
        }
    }
}

/// The nominal top speed of an internet plan, Mbps, from its catalogue code
/// (`net-300m`, `net-1g`, `net-10g`).
pub fn plan_mbps(plan_code: &str) -> Option<i64> {
    let size = plan_code.strip_prefix("net-")?;
    let (digits, unit) = size.split_at(size.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = digits.parse().ok()?;
    match unit {
        "m" => Some(n),
        "g" => Some(n * 1_000),
        _ => None,
    }
}

/// `kbps` as a share of the plan's `plan_mbps`, whole percent (rounded down; at least
/// 1 when anything was measured, so a slow line never reads "0 %").
pub fn share_of_plan(kbps: i64, plan_mbps: i64) -> i64 {
    if plan_mbps <= 0 || kbps <= 0 {
        return 0;
    }
    (kbps * 100 / (plan_mbps * 1_000)).max(1)
}

/// How `kbps` compares with the customer's earlier downloads (their median): the
/// change in whole percent, None without history.
pub fn change_from_history(kbps: i64, earlier: &[i64]) -> Option<i64> {
    let values: Vec<f64> = earlier.iter().map(|&v| v as f64).collect();
    let m = median(&values)?;
    if m <= 0.0 {
        return None;
    }
    Some(((kbps as f64 - m) / m * 100.0).round() as i64)
}

/// kbps as Mbps for people: 3 significant figures below 100 (`9.87`, `45.6`), whole
/// numbers above (`940`).
pub fn format_mbps(kbps: i64) -> String {
    let m = kbps as f64 / 1_000.0;
    if m >= 100.0 {
        format!("{}", m.round() as i64)
    } else if m >= 10.0 {
        format!("{:.1}", (m * 10.0).floor() / 10.0)
    } else {
        format!("{:.2}", (m * 100.0).floor() / 100.0)
    }
}

/// Microseconds as milliseconds for people: one decimal below 10 ms, whole above.
pub fn format_ms(us: i64) -> String {
    let ms = us as f64 / 1_000.0;
    if ms < 10.0 {
        format!("{:.1}", ms)
    } else {
        format!("{}", ms.round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grace_time_is_discarded_and_the_clock_starts_again() {
        let mut m = Meter::new(DOWNLOAD, 0.0);
        // A fast start (slow start's burst) inside the grace time does not count.
        m.add(50_000_000.0);
        let s = m.sample(1_400.0);
        assert_eq!((s.mbps, s.progress, s.done), (0.0, 0.0, false));
        assert!(!m.grace_done());
        // The grace time ends after 1.5 s, not at it.
        m.sample(1_500.0);
        assert!(!m.grace_done());
        // The grace ends at the first sample after 1.5 s: counters reset there.
        m.sample(1_600.0);
        assert!(m.grace_done());
        // 1,000,000 bytes in the next second: 8 Mbit × 1.06.
        m.add(1_000_000.0);
        let s = m.sample(2_600.0);
        assert!((s.mbps - 8.48).abs() < 1e-9, "{}", s.mbps);
        // 15 s measured after the grace time: not up at 15 s from the start, up at 16.6 s.
        let s = m.sample(15_000.0);
        assert!(!s.done);
        assert!((s.progress - 13_400.0 / 15_000.0).abs() < 1e-12);
        let s = m.sample(16_600.0);
        assert!(s.done);
        assert_eq!(s.progress, 1.0);
    }

    #[test]
    fn a_link_that_sent_nothing_in_the_grace_keeps_its_clock() {
        let mut m = Meter::new(UPLOAD, 0.0);
        m.sample(3_200.0);
        assert!(m.grace_done());
        m.add(3_000_000.0);
        // Counted from the start (nothing to discard): 3 MB in 4 s.
        let s = m.sample(4_000.0);
        assert!((s.mbps - 3_000_000.0 * 8.0 * 1.06 / 4.0 / 1e6).abs() < 1e-9);
        assert!(!s.done);
        assert!((s.progress - 4_000.0 / 15_000.0).abs() < 1e-12);
    }

    #[test]
    fn samples_are_taken_every_200_ms_and_not_sooner() {
        let mut m = Meter::new(DOWNLOAD, 0.0);
        m.add(1.0);
        m.sample(1_501.0);
        m.add(1_000_000.0);
        // 100 ms after the reset: too soon, the speed stays 0.
        assert_eq!(m.sample(1_601.0).mbps, 0.0);
        assert!(m.sample(1_701.0).mbps > 0.0);
    }

    #[test]
    fn a_test_runs_15_seconds_or_those_asked_within_2_to_15_and_the_least() {
        assert_eq!(test_seconds(None, 10), 15);
        assert_eq!(test_seconds(Some(3), 1), 3);
        assert_eq!(test_seconds(Some(3), 10), 10, "never below the least verified");
        assert_eq!(test_seconds(Some(1), 0), 2);
        assert_eq!(test_seconds(Some(60), 1), 15);
        assert_eq!(test_seconds(Some(3), 20), 15, "a least above the method is the method");
    }

    #[test]
    fn a_shortened_test_keeps_the_method_in_proportion() {
        let d = DOWNLOAD.shortened(3);
        assert_eq!((d.max_ms, d.grace_ms, d.streams), (3_000.0, 300.0, 6));
        assert_eq!(UPLOAD.shortened(3).grace_ms, 600.0);
        assert_eq!(DOWNLOAD.shortened(60), DOWNLOAD);
        assert_eq!(DOWNLOAD.shortened(0).max_ms, 2_000.0);
    }

    #[test]
    fn ping_is_the_minimum_and_jitter_is_smoothed_as_librespeed_does() {
        let mut p = Pings::default();
        p.add(20.0);
        assert_eq!((p.ping, p.jitter), (20.0, 0.0));
        p.add(30.0); // the first difference is the jitter as it is
        assert_eq!((p.ping, p.jitter), (20.0, 10.0));
        p.add(10.0); // rising: d = 20 > 10 → 0.3 × 10 + 0.7 × 20
        assert!((p.jitter - 17.0).abs() < 1e-9);
        assert_eq!(p.ping, 10.0);
        p.add(12.0); // falling: d = 2 < 17 → 0.8 × 17 + 0.2 × 2
        assert!((p.jitter - 14.0).abs() < 1e-9);
        p.add(0.2); // below a millisecond counts as 1
        assert_eq!(p.ping, 1.0);
        p.add(f64::NAN);
        assert_eq!(p.count(), 5);
    }

    #[test]
    fn loaded_latency_is_the_median_and_graded() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(bufferbloat_grade(10.0, 14.9), "A+");
        assert_eq!(bufferbloat_grade(10.0, 15.0), "A");
        assert_eq!(bufferbloat_grade(10.0, 69.9), "B");
        assert_eq!(bufferbloat_grade(10.0, 70.0), "C");
        assert_eq!(bufferbloat_grade(10.0, 409.0), "D");
        assert_eq!(bufferbloat_grade(10.0, 410.0), "F");
        assert_eq!(bufferbloat_grade(10.0, 5.0), "A+");
    }

    #[test]
    fn reports_out_of_range_are_refused() {
        let ok = Measured::from_floats(512.34, 98.7, 3.21, 0.5, Some(12.0));
        assert_eq!(ok.download_kbps, 512_340);
        assert_eq!(ok.ping_us, 3_210);
        assert_eq!(ok.check(), Some(ok));
        assert_eq!(
            Measured { download_kbps: MAX_KBPS, ..ok }.check(),
            Some(Measured { download_kbps: MAX_KBPS, ..ok })
        );
        assert_eq!(Measured { download_kbps: MAX_KBPS + 1, ..ok }.check(), None);
        assert_eq!(Measured { upload_kbps: -1, ..ok }.check(), None);
        assert_eq!(Measured { ping_us: MAX_US + 1, ..ok }.check(), None);
        assert_eq!(Measured { loaded_us: Some(-5), ..ok }.check(), None);
        assert_eq!(Measured::from_floats(f64::NAN, 1.0, 1.0, 1.0, None).check(), None);
    }

    #[test]
    fn plans_speeds_and_comparisons() {
        assert_eq!(plan_mbps("net-300m"), Some(300));
        assert_eq!(plan_mbps("net-1g"), Some(1_000));
        assert_eq!(plan_mbps("net-10g"), Some(10_000));
        assert_eq!(plan_mbps("tv-standard"), None);
        assert_eq!(plan_mbps("net-"), None);
        assert_eq!(share_of_plan(500_000, 1_000), 50);
        assert_eq!(share_of_plan(1_000_000, 1_000), 100);
        assert_eq!(share_of_plan(5, 10_000), 1);
        assert_eq!(share_of_plan(0, 1_000), 0);
        assert_eq!(change_from_history(110, &[100, 90, 200]), Some(10));
        assert_eq!(change_from_history(50, &[100]), Some(-50));
        assert_eq!(change_from_history(50, &[]), None);
        assert_eq!(format_mbps(940_400), "940");
        assert_eq!(format_mbps(45_678), "45.6");
        assert_eq!(format_mbps(9_876), "9.87");
        assert_eq!(format_ms(3_456), "3.5");
        assert_eq!(format_ms(12_600), "13");
    }

    #[test]
    fn a_reported_speed_must_agree_with_the_servers_own_count() {
        // 100 Mbps for 10 s is 125,000,000 bytes.
        assert!(server_count_agrees(100_000, 125_000_000, 10_000));
        assert!(server_count_agrees(190_000, 125_000_000, 10_000), "within twice");
        assert!(!server_count_agrees(250_000, 125_000_000, 10_000), "more than twice");
        assert!(server_count_agrees(60_000, 125_000_000, 10_000), "within half");
        assert!(
            !server_count_agrees(40_000, 125_000_000, 10_000),
            "reported slower than the server saw it go"
        );
        assert!(!server_count_agrees(50_000, 0, 0), "nothing moved");
        assert!(!server_count_agrees(900, 0, 10_000), "not even a slow line without a count");
        // A slow line: 0.8 Mbps for 10 s is 1,000,000 bytes.
        assert!(server_count_agrees(800, 1_000_000, 10_000));
        assert!(server_count_agrees(100, 1_000_000, 10_000), "within the slack");
    }

    #[test]
    fn a_count_shorter_than_the_least_is_no_evidence() {
        // 100 Mbps counted for 10 s against a least of 10: agreed; 9.999 s: not.
        assert!(server_count_agrees_over(100_000, 125_000_000, 10_000, 10));
        assert!(!server_count_agrees_over(100_000, 124_987_500, 9_999, 10));
        // Two seconds at the same speed agree without a least, not with one.
        assert!(server_count_agrees_over(100_000, 25_000_000, 2_000, 0));
        assert!(!server_count_agrees_over(100_000, 25_000_000, 2_000, 10));
    }
}
