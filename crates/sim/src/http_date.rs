//! IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the HTTP date form a simulator's
//! `Retry-After` uses under the `retry_after_http_date` fault knob.

use userdeck_providers::Timestamp;

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `at`, to the second, as an IMF-fixdate.
pub fn imf_fixdate(at: Timestamp) -> String {
    let t = at.to_datetime(0);
    // 1970-01-01 was a Thursday.
    let weekday = DAYS[at.as_second().div_euclid(86_400).rem_euclid(7) as usize];
    let month = MONTHS[usize::from(t.month()) - 1];
    format!(
        "{weekday}, {:02} {month} {:04} {:02}:{:02}:{:02} GMT",
        t.day(),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
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
