//! "Did you mean" suggestions for mistyped names (pure).

/// The candidate closest to `input`, if any is close enough to be a plausible typo or prefix.
pub fn closest<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let input = input.to_ascii_lowercase();
    if let Some(hit) = candidates
        .iter()
        .find(|c| input.len() >= 3 && (c.starts_with(&input) || c.contains(&input)))
    {
        return Some(hit);
    }
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&input, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_and_prefixes() {
        let slugs = ["lru-cache", "rate-limiter", "retry", "task-scheduler"];
        assert_eq!(closest("lru-cahce", &slugs), Some("lru-cache"));
        assert_eq!(closest("lru", &slugs), Some("lru-cache"));
        assert_eq!(closest("scheduler", &slugs), Some("task-scheduler"));
        assert_eq!(closest("retyr", &slugs), Some("retry"));
        assert_eq!(closest("quantum-annealer", &slugs), None);
    }
}
