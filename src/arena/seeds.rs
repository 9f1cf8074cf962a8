//! The seeds an arena plays, as a person types them and a link carries them: a range
//! (`0-19`), a list (`3,7,11`) or both (`0-9,42`), in the order given, each seed once, at most
//! [`MAX_SEEDS`].

/// The most seeds an arena plays: with [`super::job::MAX_AGENTS`] agents, a few thousand
/// episodes at most, seconds in the worker.
pub const MAX_SEEDS: usize = 200;

/// The longest seed text read (a link's `arena_seeds=` included).
const MAX_TEXT: usize = 2000;

/// The seeds `text` names, or what is wrong with it (the part named, shortened).
pub fn parse_seeds(text: &str) -> Result<Vec<u64>, String> {
    if text.len() > MAX_TEXT {
        return Err(format!(
            "seeds: the text is {} characters, more than the {MAX_TEXT} read",
            text.len()
        ));
    }
    let mut seeds: Vec<u64> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (from, to) = match part.split_once('-') {
            Some((a, b)) => (number(a, part)?, number(b, part)?),
            None => {
                let n = number(part, part)?;
                (n, n)
            }
        };
        if to < from {
            return Err(format!(
                "seeds: {} runs backwards; write the smaller seed first",
                shown(part)
            ));
        }
        // Counted before it is walked, so `0-18446744073709551615` is refused at once.
        if to - from >= (MAX_SEEDS as u64) || seeds.len() + ((to - from) as usize) >= MAX_SEEDS {
            return Err(too_many());
        }
        for seed in from..=to {
            if !seeds.contains(&seed) {
                seeds.push(seed);
            }
        }
    }
    if seeds.is_empty() {
        return Err("seeds: none given; write a range such as 0-19 or a list such as 1,5,9".into());
    }
    Ok(seeds)
}

/// The seeds as [`parse_seeds`] reads them back: runs of consecutive seeds as ranges.
pub fn format_seeds(seeds: &[u64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < seeds.len() {
        let mut j = i;
        while j + 1 < seeds.len() && seeds[j].checked_add(1) == Some(seeds[j + 1]) {
            j += 1;
        }
        parts.push(if j == i {
            seeds[i].to_string()
        } else {
            format!("{}-{}", seeds[i], seeds[j])
        });
        i = j + 1;
    }
    parts.join(",")
}

fn number(text: &str, part: &str) -> Result<u64, String> {
    text.trim().parse().map_err(|_| {
        format!(
            "seeds: {} is not a seed, a range (0-19) or a list (1,5,9) of whole numbers",
            shown(part)
        )
    })
}

fn too_many() -> String {
    format!("seeds: more than {MAX_SEEDS}; an arena plays at most {MAX_SEEDS} seeds")
}

fn shown(part: &str) -> String {
    format!("\"{}\"", ztgym::core::text::shorten(part, 40))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_lists_read_in_order_each_seed_once() {
        assert_eq!(parse_seeds("0-4").unwrap(), vec![0, 1, 2, 3, 4]);
        assert_eq!(parse_seeds(" 7, 3 ,3,1-2").unwrap(), vec![7, 3, 1, 2]);
        assert_eq!(format_seeds(&[0, 1, 2, 3, 9, 11, 12]), "0-3,9,11-12");
        let seeds = parse_seeds("0-19,40,41,100").unwrap();
        assert_eq!(parse_seeds(&format_seeds(&seeds)).unwrap(), seeds);
        assert_eq!(format_seeds(&[u64::MAX]), u64::MAX.to_string());
    }

    #[test]
    fn bad_and_oversized_seed_sets_are_named() {
        assert!(parse_seeds("").unwrap_err().contains("none given"));
        assert!(parse_seeds("a-3").unwrap_err().contains("\"a-3\""));
        assert!(parse_seeds("9-2").unwrap_err().contains("backwards"));
        assert!(parse_seeds("-1").is_err());
        assert!(parse_seeds("0-199").is_ok());
        assert!(parse_seeds("0-200").unwrap_err().contains("at most 200"));
        assert!(parse_seeds("0-18446744073709551615")
            .unwrap_err()
            .contains("at most"));
        let list: Vec<String> = (0..201).map(|i| (i * 2).to_string()).collect();
        assert!(parse_seeds(&list.join(","))
            .unwrap_err()
            .contains("at most"));
        assert!(parse_seeds(&"1,".repeat(2000))
            .unwrap_err()
            .contains("characters"));
        let markup = parse_seeds("<script>").unwrap_err();
        assert!(markup.contains("<script>"), "named as text: {markup}");
    }
}
