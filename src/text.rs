//! Text helpers shared by every renderer (pure): escaping the learner's control characters,
//! stripping colour codes, fitting text into a width, and durations in words.

/// `text` with control characters other than tab shown as `\x1b`-style escapes, so a
/// learner's value or output cannot clear the screen, move the cursor or hide text.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push(c),
            c if c.is_control() && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Removes ANSI escape sequences (compiler diagnostics may be coloured).
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// At most `max` characters of `text`, keeping the character at `focus` in view.
pub fn shorten(text: &str, max: usize, focus: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return text.to_string();
    }
    let start = if focus + 12 > max - 3 {
        (focus.saturating_sub(max / 3)).min(chars.len() - (max - 3))
    } else {
        0
    };
    let head = if start > 0 { "..." } else { "" };
    let room = max - 3 - head.len();
    let end = (start + room).min(chars.len());
    let tail = if end < chars.len() { "..." } else { "" };
    format!(
        "{head}{}{tail}",
        chars[start..end].iter().collect::<String>()
    )
}

/// A span of time in words, to the unit that matters: `45 s`, `23 min`, `2 h 05 min`,
/// `3 days 4 h`.
pub fn duration_words(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m:02} min"),
        (1, 0, _) => "1 day".to_string(),
        (1, h, _) => format!("1 day {h} h"),
        (d, 0, _) => format!("{d} days"),
        (d, h, _) => format!("{d} days {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(escape_controls("a\tb"), "a\tb");
        assert_eq!(escape_controls("\u{1b}[2Jx\r\u{85}"), "\\x1b[2Jx\\x0d\\x85");
    }

    #[test]
    fn durations_read_in_the_unit_that_matters() {
        let words: Vec<String> = [
            45,
            23 * 60 + 59,
            7200,
            7500,
            86_400 + 3600,
            3 * 86_400 + 14_400,
        ]
        .into_iter()
        .map(duration_words)
        .collect();
        assert_eq!(
            words,
            [
                "45 s",
                "23 min",
                "2 h",
                "2 h 05 min",
                "1 day 1 h",
                "3 days 4 h"
            ]
        );
    }

    #[test]
    fn shortening_keeps_the_first_difference_in_view() {
        assert_eq!(shorten("short", 10, 0), "short");
        assert_eq!(shorten("abcdefghijklmnop", 10, 0), "abcdefg...");
        let long = "returned 1 after 3 calls; sleeps [0.375, 1.25]; rand calls 2";
        let shown = shorten(long, 30, long.find(']').unwrap());
        assert!(
            shown.starts_with("...") && shown.contains("1.25]"),
            "{shown}"
        );
        assert!(shown.chars().count() <= 30, "{shown}");
    }
}
