//! Identity: a discovered name's id (pinyin, a surname read as a surname) and an
//! organization's short names (苏州芯澄微电子科技有限公司 → 芯澄微电子), which become its
//! aliases so that the short name on the page is the same node.

use std::collections::{BTreeMap, BTreeSet};

use pinyin::ToPinyin;

use super::orgs::{SITE_SUFFIXES, is_distinctive};
use super::{Acc, Kind};
use crate::dict::surnames::surname_len;
use crate::dict::{Dictionary, EntityType};

/// A pinyin slug for a name (`成都光谱芯联` → `cheng-du-guang-pu-xin-lian`); non-Han
/// characters are kept if ASCII; a name with nothing to read gets a hash.
pub fn slug(name: &str) -> String {
    let parts = readings(name);
    if parts.is_empty() {
        let h = name.bytes().fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
        });
        return format!("x{h:08x}");
    }
    parts.join("-")
}

/// A person's slug: the surname read as a surname, then the given name in one piece, as
/// dictionaries write them (`单宏宇` → `shan-hongyu`, `欧阳靖川` → `ouyang-jingchuan`).
pub fn person_slug(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let Some(len) = surname_len(&chars).filter(|&l| l < chars.len()) else {
        return slug(name);
    };
    let surname: String = chars[..len].iter().collect();
    let given: String = chars[len..].iter().collect();
    let sur = match crate::dict::surnames::reading(name) {
        Some((_, r)) => r.to_string(),
        None => readings(&surname).concat(),
    };
    let given = readings(&given).concat();
    if sur.is_empty() || given.is_empty() {
        return slug(name);
    }
    format!("{sur}-{given}")
}

/// The pinyin of each Han character and each ASCII run of a name, lower-cased.
fn readings(name: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut ascii = String::new();
    for c in name.chars() {
        if let Some(p) = c.to_pinyin() {
            if !ascii.is_empty() {
                parts.push(std::mem::take(&mut ascii));
            }
            parts.push(p.plain().to_string());
        } else if c.is_ascii_alphanumeric() {
            ascii.push(c.to_ascii_lowercase());
        } else if !ascii.is_empty() {
            parts.push(std::mem::take(&mut ascii));
        }
    }
    if !ascii.is_empty() {
        parts.push(ascii);
    }
    parts
}

/// Unique slug ids for the candidates, in their order: a person's read as a name
/// ([`person_slug`]), anything else character by character; `-2`, `-3`… on a clash with the
/// dictionary or an earlier candidate.
pub(super) fn assign_ids(dict: &Dictionary, found: &[(String, Acc)]) -> BTreeMap<String, String> {
    let mut used: BTreeSet<String> = dict.entities.iter().map(|e| e.id.clone()).collect();
    let mut ids = BTreeMap::new();
    for (name, a) in found {
        let base = match a.kind() {
            Some(Kind::Official | Kind::Executive) => person_slug(name),
            _ => slug(name),
        };
        let mut id = base.clone();
        let mut k = 2;
        while used.contains(&id) {
            id = format!("{base}-{k}");
            k += 1;
        }
        used.insert(id.clone());
        ids.insert(name.clone(), id);
    }
    ids
}

/// Legal and trade endings an organization's short name drops (`…科技有限公司`).
const LEGAL_TAILS: &[&str] = &[
    "集团股份有限公司",
    "集团有限公司",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "股份公司",
];

/// Trades a short name drops (颍昊化工集团 → 颍昊集团).
const TRADES: &[&str] = &[
    "化工",
    "科技",
    "电子",
    "实业",
    "控股",
    "机械",
    "能源",
    "材料",
    "建设",
    "投资",
    "发展",
    "医药",
    "钢铁",
    "电气",
    "物流",
    "纺织",
    "食品",
    "环保",
    "矿业",
    "汽车",
    "工程",
    "药业",
    "装备",
    "器械",
    "生物",
    "光电",
    "模具",
    "化纤",
    "智能",
    "动力",
    "精工",
    "电器",
    "通信",
    "网络",
    "软件",
    "信息",
    "传感",
    "微电子",
    "半导体",
    "集成电路",
];

/// The short name of an organization's full name: without the places it starts with, its
/// bracketed place and its legal ending, then without a trailing 科技 or 技术
/// (`苏州芯澄微电子科技有限公司` → `芯澄微电子科技`, `芯澄微电子`). Only names of four
/// characters or more with a word of their own are offered.
fn short_forms(places: &BTreeSet<&str>, name: &str) -> Vec<String> {
    let Some(tail) = LEGAL_TAILS.iter().find(|t| name.ends_with(**t)) else {
        return Vec::new();
    };
    let mut core = name[..name.len() - tail.len()].to_string();
    // (济南), (苏州): a bracketed place inside the name.
    while let (Some(a), Some(b)) = (core.find('('), core.find(')')) {
        if b < a {
            break;
        }
        core.replace_range(a..b + ')'.len_utf8(), "");
    }
    loop {
        // The longest place name the core starts with (places are short: up to 8).
        let lead = core
            .char_indices()
            .map(|(i, _)| i)
            .skip(1)
            .take(8)
            .filter(|&i| places.contains(&core[..i]))
            .max();
        match lead {
            Some(i) => core = core[i..].to_string(),
            None => break,
        }
    }
    let mut out = vec![core.clone()];
    for t in ["科技", "技术"] {
        if let Some(c) = core.strip_suffix(t) {
            out.push(c.to_string());
        }
    }
    // 颍昊化工集团有限公司 → 颍昊化工集团, 颍昊集团; 金岳矿业有限公司 → 金岳公司.
    let kind = if tail.starts_with("集团") {
        "集团"
    } else {
        "公司"
    };
    out.push(format!("{core}{kind}"));
    let mut cs: Vec<char> = core.chars().collect();
    if let Some(t) = TRADES
        .iter()
        .find(|t| core.ends_with(**t))
        .filter(|_| cs.len() >= 4)
    {
        cs.truncate(cs.len() - t.chars().count());
        let short: String = cs.iter().collect();
        out.push(format!("{short}{kind}"));
        // 恒岳能源装备 → 恒岳能源: the name without its last trade, when it is a name.
        out.push(short);
    }
    out.retain(|c| c.chars().count() >= 4 && c != name && is_distinctive(c));
    out
}

/// Short names for the organizations among `found`: each full name's [`short_forms`] that no
/// other full name shares; a candidate that is one of them on its own (`鼎湃微电子` from a
/// list) is folded into the full name, its count added. Returns full name → aliases.
pub(super) fn short_names(
    dict: &Dictionary,
    found: &mut Vec<(String, Acc)>,
) -> BTreeMap<String, Vec<String>> {
    let places: BTreeSet<&str> = dict
        .entities
        .iter()
        .filter(|e| e.ty == EntityType::Place)
        .flat_map(|e| e.match_names.iter().map(String::as_str))
        .collect();
    let mut owners: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, a) in found.iter() {
        if a.kind() == Some(Kind::Organization) {
            for f in short_forms(&places, name) {
                owners.entry(f).or_default().insert(name.clone());
            }
        }
    }
    let known: BTreeSet<&str> = dict
        .entities
        .iter()
        .flat_map(|e| e.match_names.iter().map(String::as_str))
        .collect();
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut folded: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    for (short, full) in owners {
        if full.len() != 1 || known.contains(short.as_str()) {
            continue;
        }
        let Some(full) = full.into_iter().next() else {
            continue;
        };
        if let Some((_, a)) = found.iter().find(|(n, _)| *n == short) {
            let e = folded.entry(full.clone()).or_default();
            e.0 += a.count;
            e.1.extend(a.docs.iter().cloned());
        }
        aliases.entry(full).or_default().push(short);
    }
    // 禾澜医疗产业化基地: a site named after a firm's short name is the firm's (a visit to
    // it is a visit to the firm).
    let by_short: BTreeMap<String, String> = aliases
        .iter()
        .flat_map(|(full, shorts)| shorts.iter().map(move |s| (s.clone(), full.clone())))
        .collect();
    for (name, a) in found.iter() {
        let site =
            a.kind() == Some(Kind::Organization) && SITE_SUFFIXES.iter().any(|x| name.ends_with(x));
        let owner = by_short
            .iter()
            .filter(|(short, full)| site && name.starts_with(short.as_str()) && *full != name)
            .map(|(_, full)| full)
            .collect::<BTreeSet<_>>();
        if let (true, Some(full)) = (owner.len() == 1, owner.first()) {
            let e = folded.entry((*full).clone()).or_default();
            e.0 += a.count;
            e.1.extend(a.docs.iter().cloned());
            aliases
                .entry((*full).clone())
                .or_default()
                .push(name.clone());
        }
    }
    let shorts: BTreeSet<String> = aliases.values().flatten().cloned().collect();
    found.retain(|(n, _)| !shorts.contains(n));
    for (n, a) in found.iter_mut() {
        if let Some((count, docs)) = folded.remove(n) {
            a.count += count;
            a.docs.extend(docs);
        }
    }
    aliases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(person_slug("王斐"), "wang-fei");
        assert_eq!(person_slug("单宏宇"), "shan-hongyu");
        assert_eq!(person_slug("欧阳靖川"), "ouyang-jingchuan");
        assert_eq!(person_slug("阚一鸣"), "kan-yiming");
        assert_eq!(slug("VANTRIS无锡工厂"), "vantris-wu-xi-gong-chang");
    }
}
