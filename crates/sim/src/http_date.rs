//! IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the HTTP date form a simulator's
//! `Retry-After` uses under the `retry_after_http_date` fault knob.

use userdeck_providers::Timestamp;

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `at`, to the second, as an IMF-fixdate.
pub fn imf_fixdate(at: Timestamp) -> String {
    let seconds = at.as_second();
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = DAYS[days.rem_euclid(7) as usize];
    let month = MONTHS[(month - 1) as usize];
    format!(
        "{weekday}, {day:02} {month} {year:04} {:02}:{:02}:{:02} GMT",
        of_day / 3_600,
        of_day % 3_600 / 60,
        of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_rfc_example_and_reads_back() {
        let at = Timestamp::from_second(784_111_777).expect("valid");
        assert_eq!(imf_fixdate(at), "Sun, 06 Nov 1994 08:49:37 GMT");
        for second in [0, 951_782_400, 1_767_225_599, 4_102_444_800] {
            let at = Timestamp::from_second(second).expect("valid");
            assert_eq!(
                userdeck_providers::adapters::http_date::parse(&imf_fixdate(at)),
                Some(at),
                "{second}"
            );
        }
    }
}
