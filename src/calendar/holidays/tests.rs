use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn every_line_of_the_table_is_a_holiday() {
    for line in
        include_str!("table.txt").lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        assert!(parse_line(line).is_some(), "cannot read {line:?}");
    }
}

#[test]
fn easter_falls_on_the_days_the_churches_keep() {
    for (year, western, orthodox) in
        [(2024, (3, 31), (5, 5)), (2025, (4, 20), (4, 20)), (2026, (4, 5), (4, 12)), (2027, (3, 28), (5, 2))]
    {
        assert_eq!(easter(year), Some(date(year, western.0, western.1)), "{year}");
        assert_eq!(orthodox_easter(year), Some(date(year, orthodox.0, orthodox.1)), "{year}");
    }
}

#[test]
fn italy_closes_on_the_immaculate_conception_and_easter_monday() {
    let days = in_year("IT", 2026);
    assert_eq!(days.get(&date(2026, 12, 8)).map(String::as_str), Some("Immacolata Concezione"));
    assert!(days.contains_key(&date(2026, 4, 6)), "Lunedì dell'Angelo");
    assert!(!days.contains_key(&date(2026, 6, 29)), "Saints Peter and Paul is Rome's alone");
    assert!(in_year("IT-RM", 2026).contains_key(&date(2026, 6, 29)));
    assert!(in_year("IT-RM", 2026).contains_key(&date(2026, 12, 8)), "a region keeps its country's days");
}

#[test]
fn the_uk_moves_christmas_and_boxing_day_off_the_weekend() {
    let days = in_year("GB-ENG", 2027);
    assert!(days.contains_key(&date(2027, 12, 27)) && days.contains_key(&date(2027, 12, 28)));
    assert!(!days.contains_key(&date(2027, 12, 25)));
    assert!(days.contains_key(&date(2027, 8, 30)), "the last Monday of August");
    assert!(in_year("GB-SCT", 2027).contains_key(&date(2027, 8, 2)), "Scotland's first Monday of August");
}

#[test]
fn the_us_keeps_a_weekend_holiday_on_the_nearest_weekday() {
    let days = in_year("US", 2027);
    assert!(days.contains_key(&date(2027, 7, 5)), "the Fourth on a Sunday is kept on Monday");
    assert!(days.contains_key(&date(2027, 1, 18)), "the third Monday of January");
    assert!(in_year("US", 2026).contains_key(&date(2026, 11, 26)), "the fourth Thursday of November");
    assert!(
        in_year("US", 2027).contains_key(&date(2027, 12, 24)),
        "Christmas on a Saturday is kept on Friday"
    );
}

#[test]
fn greece_keeps_the_orthodox_easter() {
    let days = in_year("GR", 2026);
    assert!(days.contains_key(&date(2026, 4, 13)), "Orthodox Easter Monday");
    assert!(!days.contains_key(&date(2026, 4, 6)));
}

#[test]
fn every_member_of_the_eu_the_uk_and_the_us_is_known() {
    for code in [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
        "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "GB", "US",
    ] {
        assert!(knows(code) && !in_year(code, 2027).is_empty(), "{code}");
    }
}
