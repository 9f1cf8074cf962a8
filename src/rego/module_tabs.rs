//! The bundle's modules as tabs (the first is the policy that decides), and adding, renaming
//! and removing them. A new module named `*_test.rego` starts in the policy's package, so its
//! tests see the rules they test; any other starts in a package named after the file.

use super::bundle::{RegoBundle, RegoModule, MAX_PAGE_MODULES};
use super::link::check_module_name;
use leptos::prelude::*;

/// The text a new module starts with.
pub fn new_module_text(bundle: &RegoBundle, name: &str) -> String {
    let package = if name.ends_with("_test.rego") {
        bundle
            .main_package()
            .map(|p| p.trim_start_matches("data.").to_string())
    } else {
        None
    };
    let package = package.unwrap_or_else(|| {
        let stem = name.trim_end_matches(".rego");
        let words: Vec<String> = stem
            .split(['/', '.'])
            .map(|w| {
                let w: String = w
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                if w.starts_with(|c: char| c.is_ascii_digit()) || w.is_empty() {
                    format!("m{w}")
                } else {
                    w
                }
            })
            .collect();
        words.join(".")
    });
    format!("package {package}\n\n")
}

/// A module name as typed, made a file name (`.rego` added), or why it cannot be one.
pub fn module_name(
    bundle: &RegoBundle,
    typed: &str,
    except: Option<usize>,
) -> Result<String, String> {
    let typed = typed.trim();
    let name = if typed.ends_with(".rego") {
        typed.to_string()
    } else {
        format!("{typed}.rego")
    };
    check_module_name(&name)?;
    let taken = bundle
        .modules
        .iter()
        .enumerate()
        .any(|(i, m)| m.name == name && Some(i) != except);
    if taken {
        return Err(format!("a module is already named {name}"));
    }
    Ok(name)
}

#[component]
pub fn ModuleTabs(
    draft: RwSignal<RegoBundle>,
    current: RwSignal<usize>,
    /// Where a refused name is said.
    note: RwSignal<String>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let add = move |_| {
        let count = draft.with_untracked(|b| b.modules.len());
        if count >= MAX_PAGE_MODULES {
            note.set(format!(
                "Not added: the page holds at most {MAX_PAGE_MODULES} modules."
            ));
            return;
        }
        let wanted = typed.get_untracked();
        let wanted = if wanted.trim().is_empty() {
            format!("module{}", count + 1)
        } else {
            wanted
        };
        match draft.with_untracked(|b| module_name(b, &wanted, None)) {
            Ok(name) => {
                draft.update(|b| {
                    let text = new_module_text(b, &name);
                    b.modules.push(RegoModule { name, text });
                });
                current.set(count);
                typed.set(String::new());
                note.set(String::new());
            }
            Err(e) => note.set(format!("Not added: {e}.")),
        }
    };
    let rename = move |_| {
        let at = current.get_untracked();
        match draft.with_untracked(|b| module_name(b, &typed.get_untracked(), Some(at))) {
            Ok(name) => {
                draft.update(|b| {
                    if let Some(m) = b.modules.get_mut(at) {
                        m.name = name;
                    }
                });
                typed.set(String::new());
                note.set(String::new());
            }
            Err(e) => note.set(format!("Not renamed: {e}.")),
        }
    };
    let remove = move |_| {
        let at = current.get_untracked();
        if draft.with_untracked(|b| b.modules.len()) <= 1 {
            return;
        }
        draft.update(|b| {
            b.modules.remove(at);
        });
        current.set(at.saturating_sub(1));
    };
    let tabs = move || {
        draft.with(|b| {
            b.modules
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let name = m.name.clone();
                    let title = if i == 0 {
                        format!("{name}: the policy that decides")
                    } else {
                        name.clone()
                    };
                    view! {
                        <button
                            role="tab"
                            class="rego-tab"
                            aria-selected=move || (current.get() == i).to_string()
                            aria-controls="rego-policy-text"
                            title=title
                            on:click=move |_| current.set(i)
                        >
                            {name}
                        </button>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="rego-tabs" role="tablist" aria-label="Modules">
            {tabs}
        </div>
        <div class="control-row rego-module-actions">
            <label class="visually-hidden" for="rego-module-name">
                "Module name"
            </label>
            <input
                id="rego-module-name"
                class="rego-module-name"
                placeholder="name.rego"
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            <button on:click=add title="Add a module (a name ending _test.rego joins the policy's package)">
                "Add module"
            </button>
            <button on:click=rename title="Rename the module shown">
                "Rename"
            </button>
            <button
                on:click=remove
                title="Remove the module shown"
                prop:disabled=move || draft.with(|b| b.modules.len() <= 1)
            >
                "Remove"
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_modules_are_named_and_placed() {
        let b = RegoBundle::single(
            "policy.rego",
            "package hardening.network\n\nallow := true\n",
        );
        assert_eq!(
            new_module_text(&b, "policy_test.rego"),
            "package hardening.network\n\n"
        );
        assert_eq!(
            new_module_text(&b, "lib/roles.rego"),
            "package lib.roles\n\n"
        );
        assert_eq!(new_module_text(&b, "9-x.rego"), "package m9_x\n\n");
        assert_eq!(module_name(&b, " lib ", None).unwrap(), "lib.rego");
        assert!(module_name(&b, "policy", None)
            .unwrap_err()
            .contains("already"));
        assert_eq!(module_name(&b, "policy", Some(0)).unwrap(), "policy.rego");
        assert!(module_name(&b, "../x", None).is_err());
    }
}
