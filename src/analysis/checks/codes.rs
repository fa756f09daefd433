//! Codes (编码): every land-use or facility code in its dictionary, and the name agreeing
//! with the code.
//!
//! *Rule source*: docs/domain.md §5.5; dictionaries in `assets/landuse/` (三调 working
//! classification, 用地用海 2023 / 2020, the public facility types of §6.6). Empty codes and
//! names are the mandatory-fields rule's.

use super::rules::{CodeList, Dictionary};
use super::{Ctx, Finding, RuleOutput, missing_field, missing_role};
use crate::landuse::{FacilityCodes, Standard};
use crate::model::LayerRole;

fn dictionary_name(dictionary: Dictionary) -> &'static str {
    match dictionary {
        Dictionary::Standard(Standard::Sandiao) => "三调工作分类",
        Dictionary::Standard(Standard::Ydyh2023) => "用地用海分类 (2023)",
        Dictionary::Standard(Standard::Ydyh2020) => "用地用海分类 (2020 试行)",
        Dictionary::CodeList(CodeList::PublicFacility) => "公共服务设施类型代码",
    }
}

/// The official name of `code`, `None` when the dictionary does not have it.
fn official_name<'b>(ctx: &'b Ctx, dictionary: Dictionary, code: &str) -> Option<&'b str> {
    match dictionary {
        Dictionary::Standard(standard) => ctx.book.lookup(standard, code).map(|c| c.name.as_str()),
        Dictionary::CodeList(CodeList::PublicFacility) => FacilityCodes::bundled().name(code),
    }
}

/// Unknown codes and names that do not match their code.
pub(crate) fn codes(
    ctx: &Ctx,
    role: LayerRole,
    code_field: &str,
    name_field: Option<&str>,
    dictionary: Dictionary,
) -> RuleOutput {
    let mut out = RuleOutput::default();
    if ctx.layers(role).next().is_none() {
        out.skipped.push(missing_role(role));
    }
    let dict = dictionary_name(dictionary);
    for layer in ctx.layers(role) {
        let Some(code_col) = layer.field_index(code_field) else {
            out.skipped.push(missing_field(layer, code_field));
            continue;
        };
        let name_col = name_field.and_then(|n| {
            let col = layer.field_index(n);
            if col.is_none() {
                out.skipped.push(missing_field(layer, n));
            }
            col
        });
        for i in ctx.candidates(layer) {
            let f = &layer.features()[i];
            let Some(code) = f.attributes[code_col].as_text() else {
                continue;
            };
            let code = code.trim();
            if code.is_empty() {
                continue;
            }
            let id = f.id;
            match official_name(ctx, dictionary, code) {
                None => out.findings.push(
                    Finding::new(
                        layer,
                        vec![i],
                        format!(
                            "“{}”要素 {id}：{code_field} = {code} 不在{dict}中",
                            layer.name
                        ),
                        format!(
                            "'{}' feature {id}: {code_field} = {code} is not a code of {dict}",
                            layer.name
                        ),
                    )
                    .at(f.geometry.clone())
                    .detail("code"),
                ),
                Some(official) => {
                    let Some(col) = name_col else { continue };
                    let name = f.attributes[col].as_text().unwrap_or_default();
                    // An empty name is the mandatory-fields rule's.
                    if !name.trim().is_empty() && name.trim() != official {
                        let field = name_field.unwrap_or_default();
                        out.findings.push(
                            Finding::new(
                                layer,
                                vec![i],
                                format!(
                                    "“{}”要素 {id}：{field} = “{}” 与编码 {code} 的名称“{}”不符",
                                    layer.name,
                                    name.trim(),
                                    official
                                ),
                                format!(
                                    "'{}' feature {id}: {field} = '{}' does not match the name of {code} ('{}')",
                                    layer.name,
                                    name.trim(),
                                    official
                                ),
                            )
                            .at(f.geometry.clone())
                            .detail("name"),
                        );
                    }
                }
            }
        }
    }
    out
}
