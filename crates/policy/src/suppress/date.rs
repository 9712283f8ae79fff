//! A calendar date without time of day or zone, enough to parse and compare waiver expiry
//! dates.
//!
//! Waivers need nothing more than `YYYY-MM-DD` parsing and ordering. A date-time library
//! would bring time zones and a clock, and the policy engine reads no clock: the caller
//! decides what "today" is.

use std::fmt;
use std::str::FromStr;

/// A day of the proleptic Gregorian calendar between 0001-01-01 and 9999-12-31.
///
/// # Examples
///
/// ```
/// use terrane_policy::Date;
///
/// let expiry: Date = "2027-01-31".parse()?;
/// assert!(expiry < Date::new(2027, 2, 1)?);
/// assert_eq!(expiry.to_string(), "2027-01-31");
/// # Ok::<(), terrane_policy::DateError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Invariant: the fields are declared year, month, day so that the derived ordering is
    // chronological, and `Date::new` is the only constructor, so the day exists.
    year: u16,
    month: u8,
    day: u8,
}

/// A value that is not an existing day written as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date `{value}` (expected an existing day written as YYYY-MM-DD)")]
pub struct DateError {
    /// The value as given.
    pub value: String,
}

impl Date {
    /// The last representable day, 9999-12-31.
    pub const MAX: Date = Date { year: 9999, month: 12, day: 31 };

    /// The day with the given year (1 to 9999), month (1 to 12) and day of the month.
    ///
    /// # Errors
    ///
    /// [`DateError`] when the day does not exist, such as 2026-02-29 or month 13.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        let exists = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        if !exists {
            return Err(DateError { value: format!("{year:04}-{month:02}-{day:02}") });
        }
        Ok(Date { year, month, day })
    }

    /// The day that is `days` days after 1970-01-01, as a caller gets from a clock
    /// (`seconds since the Unix epoch / 86400`). Saturates at [`Date::MAX`].
    pub fn from_unix_days(days: u32) -> Date {
        let mut remaining = days;
        let mut year = 1970;
        while remaining >= days_in_year(year) {
            if year == Date::MAX.year {
                return Date::MAX;
            }
            remaining -= days_in_year(year);
            year += 1;
        }

        let mut month = 1;
        while remaining >= u32::from(days_in_month(year, month)) {
            remaining -= u32::from(days_in_month(year, month));
            month += 1;
        }

        // Invariant: `remaining` is below the length of `month`, so it fits a `u8` day.
        let day = u8::try_from(remaining + 1).unwrap_or(1);
        Date { year, month, day }
    }

    /// The year, 1 to 9999.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Parses exactly `YYYY-MM-DD`: four-digit year, two-digit month and day.
    fn from_str(text: &str) -> Result<Date, DateError> {
        let error = || DateError { value: text.to_owned() };
        let bytes = text.as_bytes();
        let well_formed = bytes.len() == 10
            && bytes.get(4) == Some(&b'-')
            && bytes.get(7) == Some(&b'-')
            && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !well_formed {
            return Err(error());
        }

        let year = text.get(0..4).and_then(|s| s.parse::<u16>().ok());
        let month = text.get(5..7).and_then(|s| s.parse::<u8>().ok());
        let day = text.get(8..10).and_then(|s| s.parse::<u8>().ok());
        let (Some(year), Some(month), Some(day)) = (year, month, day) else {
            return Err(error());
        };
        Date::new(year, month, day).map_err(|_| error())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap_year(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_year(year: u16) -> u32 {
    if is_leap_year(year) { 366 } else { 365 }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_existing_days_in_iso_form() {
        let cases = [
            ("2027-01-31", Some((2027, 1, 31))),
            ("2024-02-29", Some((2024, 2, 29))),
            ("2000-02-29", Some((2000, 2, 29))),
            ("0001-01-01", Some((1, 1, 1))),
            ("9999-12-31", Some((9999, 12, 31))),
            ("2026-02-29", None),
            ("1900-02-29", None),
            ("2027-04-31", None),
            ("2027-13-01", None),
            ("2027-00-10", None),
            ("2027-01-00", None),
            ("0000-01-01", None),
            ("2027-1-31", None),
            ("27-01-31", None),
            ("2027/01/31", None),
            ("2027-01-31T00:00", None),
            ("+027-01-31", None),
            ("2027-01-3x", None),
            ("", None),
            ("２０２７-01-31", None),
        ];
        for (text, expected) in cases {
            let parsed = text.parse::<Date>().ok().map(|d| (d.year(), d.month(), d.day()));
            assert_eq!(parsed, expected, "{text}");
        }
    }

    #[test]
    fn orders_chronologically_and_displays_as_parsed() {
        let dates: Vec<Date> = ["2026-12-31", "2027-01-01", "2027-01-31", "2027-02-01"]
            .iter()
            .map(|text| text.parse().expect("test dates are valid"))
            .collect();
        assert!(dates.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(dates[2].to_string(), "2027-01-31");
    }

    #[test]
    fn converts_days_since_the_unix_epoch() {
        let cases = [
            (0, "1970-01-01"),
            (30, "1970-01-31"),
            (31, "1970-02-01"),
            (365, "1971-01-01"),
            (789, "1972-02-29"),
            (11_016, "2000-02-29"),
            (20_454, "2026-01-01"),
            (20_818, "2026-12-31"),
            (u32::MAX, "9999-12-31"),
        ];
        for (days, expected) in cases {
            assert_eq!(Date::from_unix_days(days).to_string(), expected, "{days}");
        }
    }
}
