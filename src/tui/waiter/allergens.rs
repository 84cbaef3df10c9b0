//! Allergens in the waiter's menu: the full names when they fit, standard two-letter codes when
//! the pane is narrow, and a `+` marker when even those do not fit — never silently dropped (the
//! selected item's detail line then lists them in full). Pure text layout, no drawing.

/// The two-letter code of an allergen (the EU's fourteen; others by their first letters).
pub fn code(allergen: &str) -> String {
    let a = allergen.trim().to_lowercase();
    let known = match a.as_str() {
        "gluten" | "cereals" => "GL",
        "crustaceans" | "shellfish" => "CR",
        "egg" | "eggs" => "EG",
        "fish" => "FI",
        "peanut" | "peanuts" => "PN",
        "soy" | "soya" | "soybeans" => "SO",
        "milk" | "dairy" | "lactose" => "MI",
        "nuts" | "tree nuts" | "nut" => "NU",
        "celery" => "CE",
        "mustard" => "MU",
        "sesame" => "SE",
        "sulphites" | "sulfites" | "sulphur dioxide" => "SU",
        "lupin" => "LU",
        "molluscs" | "mollusks" => "MO",
        _ => "",
    };
    if known.is_empty() {
        a.chars()
            .filter(|c| c.is_alphanumeric())
            .take(2)
            .collect::<String>()
            .to_uppercase()
    } else {
        known.to_string()
    }
}

/// The full list, as in a detail line: `gluten, milk`.
pub fn full(allergens: &[String]) -> String {
    allergens.join(", ")
}

/// The codes: `GL MI`.
pub fn codes(allergens: &[String]) -> String {
    allergens
        .iter()
        .map(|a| code(a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How the allergen column is written in a menu pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Its width in characters (0: no allergens on the items shown).
    pub width: usize,
    /// Full names (true) or codes (false).
    pub full: bool,
}

/// The column for items whose lists are `lists`, in `room` characters shared with the names,
/// which want `name_wanted` characters (and get at least `name_min`). Full names when there is
/// room for them beside whole names (a list too long for it falls back to codes); codes when
/// the pane is narrow.
pub fn column(lists: &[&[String]], room: usize, name_wanted: usize, name_min: usize) -> Column {
    let widest = |f: fn(&[String]) -> String| {
        lists
            .iter()
            .map(|l| f(l).chars().count())
            .max()
            .unwrap_or(0)
    };
    let (full_w, codes_w) = (widest(full), widest(codes));
    if full_w == 0 {
        return Column {
            width: 0,
            full: true,
        };
    }
    let beside_names = room.saturating_sub(name_wanted.max(name_min) + 1);
    if full_w <= beside_names || beside_names >= FULL_MIN {
        return Column {
            width: full_w.min(beside_names),
            full: true,
        };
    }
    Column {
        width: codes_w.min(room.saturating_sub(name_min + 1)),
        full: false,
    }
}

/// The narrowest column worth writing full names in.
const FULL_MIN: usize = 20;

/// One item's cell: its text (at most `col.width` characters) and whether that is the whole
/// list in full (when not, the selected item shows a detail line). Full names if the column
/// has them and they fit, else codes, else the codes that fit and a `+`.
pub fn cell(allergens: &[String], col: Column) -> (String, bool) {
    if allergens.is_empty() {
        return (String::new(), true);
    }
    if col.full {
        let text = full(allergens);
        if text.chars().count() <= col.width {
            return (text, true);
        }
    }
    let text = codes(allergens);
    if text.chars().count() <= col.width {
        return (text, false);
    }
    // The whole codes that fit, and a marker saying there are more.
    let mut cut = String::new();
    for c in allergens.iter().map(|a| code(a)) {
        let sep = usize::from(!cut.is_empty());
        if cut.chars().count() + sep + c.chars().count() + 1 > col.width {
            break;
        }
        if sep == 1 {
            cut.push(' ');
        }
        cut.push_str(&c);
    }
    cut.push('+');
    (cut, false)
}

/// `text` in lines of at most `width` characters, broken at spaces (a word longer than a line
/// is cut, never lost: it carries on in the next line).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = line.chars().count();
            let sep = usize::from(used > 0);
            if used + sep + word.len() <= width {
                if sep == 1 {
                    line.push(' ');
                }
                line.extend(word.iter());
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            let rest = word.split_off(width);
            lines.push(word.iter().collect());
            word = rest;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn codes_are_the_standard_two_letters() {
        assert_eq!(codes(&list(&["gluten", "milk", "sesame"])), "GL MI SE");
        assert_eq!(
            codes(&list(&["molluscs", "mustard", "Sulphites"])),
            "MO MU SU"
        );
        assert_eq!(codes(&list(&["kiwi"])), "KI");
    }

    #[test]
    fn full_names_when_they_fit_codes_when_narrow() {
        let a = list(&["gluten", "milk", "sesame"]);
        let lists: Vec<&[String]> = vec![&a];
        let wide = column(&lists, 60, 20, 12);
        assert_eq!(cell(&a, wide), ("gluten, milk, sesame".to_string(), true));
        let narrow = column(&lists, 30, 20, 12);
        assert!(!narrow.full);
        assert_eq!(cell(&a, narrow), ("GL MI SE".to_string(), false));
    }

    #[test]
    fn what_does_not_fit_is_cut_with_a_marker_never_dropped() {
        let a = list(&["egg", "fish", "milk", "gluten"]);
        let lists: Vec<&[String]> = vec![&a];
        let tight = column(&lists, 20, 20, 12);
        assert_eq!(tight.width, 7);
        let (text, complete) = cell(&a, tight);
        assert_eq!(text, "EG FI+");
        assert!(!complete);
        assert!(text.chars().count() <= tight.width);
    }

    #[test]
    fn wrapping_keeps_every_word() {
        assert_eq!(
            wrap("gluten, milk, sesame", 13),
            ["gluten, milk,", "sesame"]
        );
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert!(wrap("", 5).is_empty());
    }

    #[test]
    fn a_list_too_long_for_a_full_column_falls_back_to_codes() {
        let short = list(&["milk"]);
        let long = list(&["crustaceans", "fish", "molluscs", "gluten", "egg", "milk"]);
        let lists: Vec<&[String]> = vec![&short, &long];
        let col = column(&lists, 50, 20, 12);
        assert!(col.full);
        assert_eq!(cell(&short, col), ("milk".to_string(), true));
        assert_eq!(cell(&long, col), ("CR FI MO GL EG MI".to_string(), false));
    }

    #[test]
    fn no_allergens_no_column() {
        let none: Vec<String> = vec![];
        let lists: Vec<&[String]> = vec![&none];
        let col = column(&lists, 30, 20, 12);
        assert_eq!(col.width, 0);
        assert_eq!(cell(&none, col), (String::new(), true));
    }
}
