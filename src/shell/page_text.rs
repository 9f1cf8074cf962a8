//! An environment page's words, kept beside its code as `page.md`: the intro's points for a
//! newcomer, the page's own keys, and its rules, each under its heading.

/// A page's words, read from its `page.md`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageText {
    /// `# Intro`: a point per `- ` line.
    pub intro: Vec<&'static str>,
    /// `# Keys`: a key and what it does per ``- `key`: what`` line.
    pub keys: Vec<(&'static str, &'static str)>,
    /// `# Rules`: a paragraph per line.
    pub rules: Vec<&'static str>,
}

impl PageText {
    /// Reads a `page.md`; a line that fits none of its sections is an error naming it.
    pub fn parse(text: &'static str) -> Result<PageText, String> {
        let mut page = PageText::default();
        let mut section = "";
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if let Some(heading) = line.strip_prefix("# ") {
                section = heading;
                continue;
            }
            let point = line.strip_prefix("- ");
            let key = point.and_then(|p| p.strip_prefix('`')?.split_once("`: "));
            match (section, point, key) {
                ("Intro", Some(point), _) => page.intro.push(point),
                ("Keys", _, Some(key)) => page.keys.push(key),
                ("Rules", None, _) => page.rules.push(line),
                _ => {
                    return Err(format!(
                        "page.md line {}: not a point of # Intro, a `key`: line of # Keys, or a \
                         paragraph of # Rules",
                        n + 1
                    ))
                }
            }
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sections_are_read_in_order() {
        let text = "# Intro\n- One.\n- Two.\n\n# Keys\n- `a`: Allow\n- `Space`: Play\n\n# Rules\nFirst.\nSecond.\n";
        let page = PageText::parse(text).unwrap();
        assert_eq!(page.intro, ["One.", "Two."]);
        assert_eq!(page.keys, [("a", "Allow"), ("Space", "Play")]);
        assert_eq!(page.rules, ["First.", "Second."]);
    }

    #[test]
    fn a_stray_line_is_named() {
        for text in [
            "Before any heading.",
            "# Keys\n- a: no backquotes",
            "# Rules\n- a point",
        ] {
            let e = PageText::parse(text).unwrap_err();
            assert!(e.starts_with("page.md line "), "{e}");
        }
        assert!(PageText::parse("# Intro\n\n- fine\n# Other\n- x")
            .unwrap_err()
            .contains("line 5"));
    }
}
