//! The calendar heatmap: one cell per day, weeks as columns (oldest on the left), Monday to
//! Sunday as rows, month names above the week they begin in, each cell shaded by the day's
//! checks relative to the busiest day shown.

use crate::style::{paint, Styles};
use jiff::civil::Date;
use jiff::Span;
use std::collections::BTreeMap;

/// Weeks shown when the width allows.
pub const WEEKS: usize = 26;
/// The fewest weeks worth drawing on a narrow page.
const MIN_WEEKS: usize = 4;
/// Row labels (`Mon `) before the first column.
const LABEL: usize = 4;
/// Columns per week: a cell and a space.
const CELL: usize = 2;
/// No checks, then four levels up to the busiest day.
const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The heatmap of `checks` (per local day) for the weeks up to the one holding `today`, as many
/// as fit in `width` columns (at most [`WEEKS`]), with a legend.
pub fn render(checks: &BTreeMap<Date, usize>, today: Date, width: usize, s: &Styles) -> String {
    let weeks = ((width.saturating_sub(LABEL)) / CELL).clamp(MIN_WEEKS, WEEKS);
    let monday = today
        .checked_sub(Span::new().days(i64::from(today.weekday().to_monday_zero_offset())))
        .unwrap_or(today);
    let first = monday
        .checked_sub(Span::new().weeks(weeks as i64 - 1))
        .unwrap_or(monday);
    let day = |week: usize, row: usize| {
        first
            .checked_add(Span::new().days((week * 7 + row) as i64))
            .ok()
    };
    let busiest = checks
        .range(first..=today)
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "{}\n",
        paint(
            s.bold,
            &format!("Activity, last {weeks} weeks (checks a day)")
        )
    );
    out.push_str(month_row(weeks, |w| day(w, 0)).trim_end());
    out.push('\n');
    for (row, name) in DAYS.iter().enumerate() {
        let mut line = format!("{name:<LABEL$}");
        for week in 0..weeks {
            let cell = match day(week, row).filter(|d| *d <= today) {
                Some(date) => {
                    let n = checks.get(&date).copied().unwrap_or(0);
                    shade(level(n, busiest), s)
                }
                None => " ".to_string(),
            };
            line.push_str(&cell);
            line.push(' ');
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let legend: Vec<String> = (0..SHADES.len()).map(|l| shade(l, s)).collect();
    out.push_str(&format!(
        "{:LABEL$}less {} more{}\n",
        "",
        legend.join(" "),
        match busiest {
            0 => String::new(),
            1 => "; the busiest day had 1 check".to_string(),
            n => format!("; the busiest day had {n} checks"),
        }
    ));
    out
}

/// 0 for no checks, else 1-4 by the share of the busiest day (any check shows).
fn level(checks: usize, busiest: usize) -> usize {
    if checks == 0 {
        0
    } else {
        (checks * 4).div_ceil(busiest.max(1)).clamp(1, 4)
    }
}

/// A cell: its character, and with colour its shade (an empty day is dim).
fn shade(level: usize, s: &Styles) -> String {
    let style = if level == 0 { s.dim } else { s.heat[level - 1] };
    paint(style, &SHADES[level].to_string())
}

/// Month names over the columns: each over the first week whose Monday is in that month, and
/// the first column's own month when the next name is far enough away; a name that would
/// touch the one before it is left out.
fn month_row(weeks: usize, monday: impl Fn(usize) -> Option<Date>) -> String {
    let mut starts: Vec<(usize, i8)> = Vec::new();
    for week in 0..weeks {
        let Some(date) = monday(week) else { continue };
        let new_month =
            week == 0 || monday(week - 1).is_none_or(|previous| previous.month() != date.month());
        if new_month {
            starts.push((week, date.month()));
        }
    }
    if starts.len() > 1 && starts[1].0 < 2 {
        starts.remove(0);
    }
    let mut row = " ".repeat(LABEL);
    let mut placed = false;
    for (week, month) in starts {
        let at = LABEL + week * CELL;
        // A space between two names.
        if at < row.len() + usize::from(placed) {
            continue;
        }
        row.push_str(&" ".repeat(at - row.len()));
        row.push_str(MONTHS[usize::try_from(month - 1).unwrap_or(0)]);
        placed = true;
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_are_columns_days_are_rows_and_cells_are_shaded_by_the_busiest_day() {
        let checks: BTreeMap<Date, usize> = [
            (date("2026-03-02"), 8), // the busiest day: a Monday
            (date("2026-02-25"), 1),
            (date("2026-02-28"), 4),
        ]
        .into();
        // Thursday 2026-03-05: the last column holds Monday to Thursday, then blanks.
        let text = render(&checks, date("2026-03-05"), 4 + 2 * 6, &Styles::plain());
        assert_eq!(
            text,
            "Activity, last 6 weeks (checks a day)\n      Feb     Mar\nMon · · · · · █\nTue · · · · · ·\nWed · · · · ░ ·\nThu · · · · · ·\nFri · · · · ·\nSat · · · · ▒\nSun · · · · ·\n    less · ░ ▒ ▓ █ more; the busiest day had 8 checks\n"
        );
    }

    #[test]
    fn the_width_decides_how_many_weeks_fit() {
        let today = date("2026-03-05");
        let lines = |width| {
            render(&BTreeMap::new(), today, width, &Styles::plain())
                .lines()
                .nth(2)
                .unwrap()
                .chars()
                .count()
        };
        assert_eq!(lines(200), 4 + 2 * WEEKS - 1);
        assert_eq!(lines(40), 4 + 2 * 18 - 1);
        assert_eq!(lines(10), 4 + 2 * MIN_WEEKS - 1);
    }

    #[test]
    fn every_check_shows_and_colour_adds_shades() {
        assert_eq!((level(0, 50), level(1, 50), level(50, 50)), (0, 1, 4));
        let coloured = shade(2, &Styles::colored());
        assert!(
            coloured.contains('▒') && coloured.contains("\u{1b}["),
            "{coloured:?}"
        );
    }
}
