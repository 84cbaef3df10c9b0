//! Modifier groups of a menu item (steak temperature, burger extras) and the choice of options
//! an `AddItem` makes among them.
//!
//! A group with `min ≥ 1` is required; `max` bounds how many of its options one line may take.
//! Option ids are unique across the item's groups, so `AddItem` names options alone.

use serde::{Deserialize, Serialize};

use super::menu::{MenuItem, PRICE_MAX_CENTS};
use super::rejection::{codes, Rejection};
use super::text;

/// Most groups one item may have, and options one group may have.
pub const GROUPS_MAX: usize = 20;
pub const OPTIONS_MAX: usize = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModifierOption {
    pub option_id: String,
    pub name: String,
    pub price_cents: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allergens: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModifierGroup {
    pub group_id: String,
    pub name: String,
    pub min: i64,
    pub max: i64,
    pub options: Vec<ModifierOption>,
}

/// An option chosen for an order line, copied from the menu when the line was added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChosenModifier {
    pub group_id: String,
    pub group_name: String,
    pub option_id: String,
    pub name: String,
    pub price_cents: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allergens: Vec<String>,
}

fn invalid(item_id: &str, why: String) -> Rejection {
    Rejection::new(
        codes::INVALID_MODIFIER_GROUP,
        format!("{item_id}'s modifiers: {why}"),
    )
}

/// Checks an item's groups (`INVALID_MODIFIER_GROUP`) and returns them with trimmed text.
pub fn validate_groups(
    item_id: &str,
    groups: &[ModifierGroup],
) -> Result<Vec<ModifierGroup>, Rejection> {
    let bad = |why: String| invalid(item_id, why);
    let wrap = |r: Rejection| bad(r.message);
    if groups.len() > GROUPS_MAX {
        return Err(bad(format!("at most {GROUPS_MAX} groups fit")));
    }
    let mut group_ids = std::collections::HashSet::new();
    let mut option_ids = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        text::identifier("group id", &g.group_id).map_err(wrap)?;
        if !group_ids.insert(g.group_id.as_str()) {
            return Err(bad(format!("group {:?} is listed twice", g.group_id)));
        }
        let name = text::required(
            "group name",
            Some(&g.name),
            text::NAME_MAX,
            codes::INVALID_TEXT,
        )
        .map_err(wrap)?;
        if g.options.is_empty() || g.options.len() > OPTIONS_MAX {
            return Err(bad(format!(
                "group {} must have 1 to {OPTIONS_MAX} options",
                g.group_id
            )));
        }
        let count = g.options.len() as i64;
        if g.min < 0 || g.max < 1 || g.min > g.max || g.min > count {
            return Err(bad(format!(
                "group {} has min {} and max {}: min must be 0 to max, max at least 1, and min \
                 no more than its {count} options",
                g.group_id, g.min, g.max
            )));
        }
        let mut options = Vec::with_capacity(g.options.len());
        for o in &g.options {
            text::identifier("option id", &o.option_id).map_err(wrap)?;
            if !option_ids.insert(o.option_id.as_str()) {
                return Err(bad(format!("option {:?} is listed twice", o.option_id)));
            }
            let oname = text::required(
                "option name",
                Some(&o.name),
                text::NAME_MAX,
                codes::INVALID_TEXT,
            )
            .map_err(wrap)?;
            if !(0..=PRICE_MAX_CENTS).contains(&o.price_cents) {
                return Err(bad(format!(
                    "option {} costs {} cents; it must be 0 to {PRICE_MAX_CENTS}",
                    o.option_id, o.price_cents
                )));
            }
            let mut allergens = Vec::with_capacity(o.allergens.len());
            for a in &o.allergens {
                if let Some(a) =
                    text::optional("allergen", Some(a), text::NAME_MAX).map_err(wrap)?
                {
                    allergens.push(a);
                }
            }
            options.push(ModifierOption {
                option_id: o.option_id.clone(),
                name: oname,
                price_cents: o.price_cents,
                allergens,
            });
        }
        out.push(ModifierGroup {
            group_id: g.group_id.clone(),
            name,
            min: g.min,
            max: g.max,
            options,
        });
    }
    Ok(out)
}

/// The options `chosen` (option ids) resolved against `item`'s groups, in the menu's order:
/// `UNKNOWN_MODIFIER` for an id the item does not offer, `TOO_MANY_MODIFIERS` for a group above
/// its max (or an option named twice), `MODIFIER_REQUIRED` for a group below its min.
pub fn choose(item: &MenuItem, chosen: &[String]) -> Result<Vec<ChosenModifier>, Rejection> {
    let clip = |s: &str| s.chars().take(50).collect::<String>();
    let offered = |id: &str| {
        item.modifier_groups
            .iter()
            .any(|g| g.options.iter().any(|o| o.option_id == id))
    };
    for (i, id) in chosen.iter().enumerate() {
        if !offered(id) {
            return Err(Rejection::new(
                codes::UNKNOWN_MODIFIER,
                format!("{} has no modifier {:?}", item.name, clip(id)),
            ));
        }
        if chosen[..i].contains(id) {
            return Err(Rejection::new(
                codes::TOO_MANY_MODIFIERS,
                format!("{} is chosen more than once", clip(id)),
            ));
        }
    }
    let mut out = Vec::new();
    for g in &item.modifier_groups {
        let picked: Vec<&ModifierOption> = g
            .options
            .iter()
            .filter(|o| chosen.contains(&o.option_id))
            .collect();
        let n = picked.len() as i64;
        if n > g.max {
            return Err(Rejection::new(
                codes::TOO_MANY_MODIFIERS,
                format!(
                    "{} takes at most {} of {}; {n} were chosen",
                    item.name, g.max, g.name
                ),
            ));
        }
        if n < g.min {
            let names: Vec<&str> = g.options.iter().map(|o| o.option_id.as_str()).collect();
            return Err(Rejection::new(
                codes::MODIFIER_REQUIRED,
                format!(
                    "{} needs {}: choose {} more of {}",
                    item.name,
                    g.name,
                    g.min - n,
                    names.join(", ")
                ),
            ));
        }
        out.extend(picked.into_iter().map(|o| ChosenModifier {
            group_id: g.group_id.clone(),
            group_name: g.name.clone(),
            option_id: o.option_id.clone(),
            name: o.name.clone(),
            price_cents: o.price_cents,
            allergens: o.allergens.clone(),
        }));
    }
    Ok(out)
}

/// The allergens of a line: its item's, then those its options add, each once.
pub fn line_allergens(item: &[String], modifiers: &[ChosenModifier]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(item.len());
    for a in item
        .iter()
        .chain(modifiers.iter().flat_map(|m| m.allergens.iter()))
    {
        if !out.contains(a) {
            out.push(a.clone());
        }
    }
    out
}
