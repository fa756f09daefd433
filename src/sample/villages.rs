//! Village attributes, built so that each of the five village types (docs/domain.md §4) has
//! villages with clear evidence, and the record of which villages were built for which type.
//!
//! Ordinary villages are kept clear of every decisive threshold (outflow < 40 %, 常住 ≥ 250,
//! no hazard near their houses) so that only the deliberate ones carry evidence.

use std::collections::BTreeSet;

use rand::RngExt;
use rand_pcg::Pcg64;

use super::world::World;

/// 2020 census population of 凤庆县 (docs/domain.md §8); the villages' 户籍人口 sum to it.
pub const COUNTY_POPULATION: i64 = 385_420;

/// Heritage villages (docs/domain.md §8): township prefix, name fragment, heritage type (LX),
/// register or reason, flags (CTCL, LSWHMC, SSMZ, TSJG).
pub const HERITAGE: &[(&str, &str, &str, &str, [bool; 4])] = &[
    (
        "诗礼",
        "河平村",
        "传统村落",
        "中国传统村落（第六批）",
        [true, false, false, false],
    ),
    (
        "诗礼",
        "牌坊村",
        "传统村落",
        "中国传统村落（第六批）",
        [true, false, false, false],
    ),
    (
        "新华",
        "美华村",
        "传统村落",
        "中国传统村落（第六批）；少数民族特色村寨",
        [true, false, true, false],
    ),
    (
        "诗礼",
        "古墨村",
        "传统村落",
        "茶马古道传统村落（常被引用）",
        [true, false, false, true],
    ),
    (
        "鲁史",
        "鲁史",
        "历史文化名村",
        "鲁史古镇、茶马古道（常被引用）",
        [false, true, false, true],
    ),
];

/// Attributes of one village.
#[derive(Debug, Clone, Default)]
pub struct VillageAttrs {
    /// 户籍人口.
    pub hjrk: i64,
    /// 常住人口.
    pub czrk: i64,
    /// 户数.
    pub hs: i64,
    /// 脱贫人口.
    pub tprk: i64,
    /// CTCL, LSWHMC, SSMZ, TSJG heritage flags.
    pub heritage: [bool; 4],
    /// 中心村.
    pub zxc: bool,
    /// 乡镇驻地.
    pub xzzd: bool,
    /// 重大项目 (reservoir inundation).
    pub zdxm: bool,
}

/// Which villages were built as evidence for which type (positions in `inputs.villages`).
#[derive(Debug, Clone, Default)]
pub struct TypePlan {
    /// 特色保护类, with the heritage type (LX) and the register that decides it.
    pub heritage: Vec<(usize, String, String)>,
    /// 城郊融合类: touch the county seat's urban development boundary.
    pub suburban: BTreeSet<usize>,
    /// 搬迁撤并类 with the reason.
    pub relocation: Vec<(usize, String)>,
    /// 集聚提升类: township seats and central villages.
    pub agglomeration: BTreeSet<usize>,
    /// Heritage name look-ups that needed a contains-match (reported).
    pub name_matches: Vec<String>,
}

impl TypePlan {
    /// Villages that already carry evidence for some type.
    pub fn decided(&self) -> BTreeSet<usize> {
        let mut s: BTreeSet<usize> = self.heritage.iter().map(|(v, _, _)| *v).collect();
        s.extend(self.suburban.iter().copied());
        s.extend(self.relocation.iter().map(|(v, _)| *v));
        s.extend(self.agglomeration.iter().copied());
        s
    }
}

/// Finds the heritage villages (exact name first, then contains-match, reported).
pub fn heritage_villages(world: &World, plan: &mut TypePlan) -> Vec<(usize, [bool; 4])> {
    let mut out = Vec::new();
    for (town, fragment, lx, register, flags) in HERITAGE {
        let exact = world
            .inputs
            .villages
            .iter()
            .position(|v| v.name == *fragment);
        let found = exact.or_else(|| {
            let v = world.find_village(town, fragment)?;
            plan.name_matches.push(format!(
                "{fragment}: no exact name; matched {} ({})",
                world.inputs.villages[v].name, world.inputs.villages[v].code
            ));
            Some(v)
        });
        match found {
            Some(v) => {
                plan.heritage
                    .push((v, (*lx).to_string(), (*register).to_string()));
                out.push((v, *flags));
            }
            None => plan
                .name_matches
                .push(format!("{fragment}: not found in {town}")),
        }
    }
    out
}

/// Draws populations and flags. Relocation-by-outflow villages get a small, emptied
/// population; central villages and seats get large ones.
pub fn attributes(
    world: &World,
    plan: &TypePlan,
    heritage: &[(usize, [bool; 4])],
    outflow: &BTreeSet<usize>,
    zdxm: &BTreeSet<usize>,
    rng: &mut Pcg64,
) -> Vec<VillageAttrs> {
    let n = world.inputs.villages.len();
    let mut homes = vec![0.0; n];
    for (i, lu) in world.land_use.iter().enumerate() {
        if lu.czcsxm.is_some() {
            homes[world.village_of[i]] += world.area[i];
        }
    }
    let mut attrs: Vec<VillageAttrs> = (0..n)
        .map(|v| {
            let weight = (homes[v] / 1_000.0).max(20.0).powf(0.6) * rng.random_range(0.7..1.3);
            VillageAttrs {
                hjrk: weight.round() as i64,
                ..Default::default()
            }
        })
        .collect();
    for &v in &plan.agglomeration {
        attrs[v].hjrk = attrs[v].hjrk * 3 / 2;
    }
    // Scale the ordinary villages so the county totals its census population.
    let fixed: i64 = outflow.iter().map(|_| 420).sum();
    let scalable: i64 = (0..n)
        .filter(|v| !outflow.contains(v))
        .map(|v| attrs[v].hjrk)
        .sum();
    let factor = (COUNTY_POPULATION - fixed) as f64 / scalable.max(1) as f64;
    for (v, a) in attrs.iter_mut().enumerate() {
        a.hjrk = if outflow.contains(&v) {
            420
        } else {
            ((a.hjrk as f64 * factor).round() as i64).max(600)
        };
    }
    let total: i64 = attrs.iter().map(|a| a.hjrk).sum();
    if let Some(big) = (0..n).max_by_key(|&v| attrs[v].hjrk) {
        attrs[big].hjrk += COUNTY_POPULATION - total;
    }
    for (v, a) in attrs.iter_mut().enumerate() {
        let stay = if outflow.contains(&v) {
            rng.random_range(0.22..0.33)
        } else if plan.agglomeration.contains(&v) {
            rng.random_range(0.85..0.97)
        } else {
            rng.random_range(0.66..0.92)
        };
        a.czrk =
            ((a.hjrk as f64 * stay).round() as i64).max(if outflow.contains(&v) { 0 } else { 250 });
        a.hs = (a.hjrk as f64 / rng.random_range(3.2..4.0)).round() as i64;
        a.tprk = (a.hjrk as f64 * rng.random_range(0.03..0.12)).round() as i64;
        a.zxc = plan.agglomeration.contains(&v);
        a.zdxm = zdxm.contains(&v);
    }
    for &(v, flags) in heritage {
        attrs[v].heritage = flags;
    }
    for t in 0..world.inputs.townships.len() {
        if let Some(seat) = world.inputs.villages.iter().position(|x| x.township == t) {
            attrs[seat].xzzd = true;
            attrs[seat].zxc = false;
        }
    }
    attrs
}
