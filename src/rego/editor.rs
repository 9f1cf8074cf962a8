//! The Rego editor: a plain textarea (so the browser's undo, selection, find and screen readers
//! work as anywhere) over a coloured copy of its text, with a gutter of line numbers marked by
//! the error and by coverage. Tab indents and Enter keeps the line's indentation, through the
//! browser's own editing command so undo still takes them back.

use super::gutter::{utf16_offset, Mark};
use super::highlight::{matching_bracket, spans, Token};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn RegoEditor(
    /// The textarea's id (its label points at it).
    id: &'static str,
    #[prop(into)] text: Signal<String>,
    on_input: Callback<String>,
    /// Each line's number and mark.
    #[prop(into)]
    marks: Signal<Vec<(u32, Mark)>>,
    /// A place to show (an error's line and column): the caret goes there.
    #[prop(into)]
    focus: Signal<Option<(u32, u32)>>,
    /// Keys the host handles first (Ctrl+Enter applies).
    on_key: Callback<leptos::ev::KeyboardEvent>,
) -> impl IntoView {
    let gutter_ref = NodeRef::<html::Div>::new();
    let back_ref = NodeRef::<html::Pre>::new();
    let text_ref = NodeRef::<html::Textarea>::new();
    // The caret's byte offset, for the bracket pair around it.
    let caret = RwSignal::new(None::<usize>);
    let track_caret = move || {
        if let Some(t) = text_ref.get_untracked() {
            let units = t.selection_start().ok().flatten().unwrap_or(0) as usize;
            let same = t.selection_end().ok().flatten() == Some(units as u32);
            caret.set(same.then(|| text.with_untracked(|d| byte_offset(d, units))));
        }
    };

    let sync_scroll = move || {
        if let Some(t) = text_ref.get_untracked() {
            if let Some(g) = gutter_ref.get_untracked() {
                g.set_scroll_top(t.scroll_top());
            }
            if let Some(b) = back_ref.get_untracked() {
                b.set_scroll_top(t.scroll_top());
                b.set_scroll_left(t.scroll_left());
            }
        }
    };

    // A place to show: the caret goes there and the editor scrolls to it.
    Effect::new(move |_| {
        let Some((line, column)) = focus.get() else {
            return;
        };
        if let Some(t) = text_ref.get_untracked() {
            let at = text.with_untracked(|d| utf16_offset(d, line, column));
            let _ = t.set_selection_range(at, at);
            let lines = text.with_untracked(|d| super::gutter::line_count(d)).max(1);
            let per_line = f64::from(t.scroll_height()) / lines as f64;
            t.set_scroll_top((f64::from(line.saturating_sub(3)) * per_line) as i32);
            sync_scroll();
        }
    });

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        on_key.run(ev.clone());
        if ev.default_prevented() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let Some(t) = text_ref.get_untracked() else {
            return;
        };
        let insert = match ev.key().as_str() {
            "Tab" if !ev.shift_key() => "\t".to_string(),
            "Enter" => {
                let value = t.value();
                let caret = t.selection_start().ok().flatten().unwrap_or(0) as usize;
                format!("\n{}", indentation_before(&value, caret))
            }
            _ => return,
        };
        ev.prevent_default();
        insert_text(&insert);
    };

    let backdrop = move || {
        let pair = caret.get();
        text.with(|t| {
            let marked = pair.and_then(|c| matching_bracket(t, c));
            let mut parts = spans(t);
            // A final newline needs a character after it to take up its line.
            parts.push((Token::Plain, " ".into()));
            let mut at = 0;
            parts
                .into_iter()
                .flat_map(|(token, s)| {
                    let pieces = split_at_marks(&s, at, marked);
                    at += s.len();
                    pieces.into_iter().map(move |(piece, is_mark)| {
                        let class = if is_mark { "rg-match" } else { token.class() };
                        view! { <span class=class>{piece}</span> }
                    })
                })
                .collect_view()
        })
    };
    let gutter = move || {
        marks
            .get()
            .into_iter()
            .map(|(line, mark)| {
                view! {
                    <div class=mark.class() data-line=line data-mark=mark.name()>{line}</div>
                }
            })
            .collect_view()
    };

    view! {
        <div class="rego-editor">
            <div class="rego-gutter" node_ref=gutter_ref aria-hidden="true">
                {gutter}
            </div>
            <div class="rego-code">
                <pre class="rego-backdrop" node_ref=back_ref aria-hidden="true">
                    {backdrop}
                </pre>
                <textarea
                    id=id
                    class="rego-text"
                    node_ref=text_ref
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        on_input.run(event_target_value(&ev));
                        track_caret();
                    }
                    on:keyup=move |_| track_caret()
                    on:click=move |_| track_caret()
                    on:blur=move |_| caret.set(None)
                    on:keydown=on_keydown
                    on:scroll=move |_| sync_scroll()
                ></textarea>
            </div>
        </div>
    }
}

/// A span's text cut around the marked bytes (`start` is where it begins in the text): the
/// pieces in order, each with whether it is a marked bracket.
fn split_at_marks(s: &str, start: usize, marked: Option<(usize, usize)>) -> Vec<(String, bool)> {
    let Some((a, b)) = marked else {
        return vec![(s.to_string(), false)];
    };
    let mut out = Vec::new();
    let mut from = 0;
    for m in [a, b] {
        if m >= start + from && m < start + s.len() {
            let i = m - start;
            if i > from {
                out.push((s[from..i].to_string(), false));
            }
            out.push((s[i..i + 1].to_string(), true));
            from = i + 1;
        }
    }
    if from < s.len() {
        out.push((s[from..].to_string(), false));
    }
    out
}

/// The byte offset of a UTF-16 offset (a textarea's caret) in `text`.
fn byte_offset(text: &str, units: usize) -> usize {
    let mut seen = 0;
    for (i, c) in text.char_indices() {
        if seen >= units {
            return i;
        }
        seen += c.len_utf16();
    }
    text.len()
}

/// The spaces and tabs that start the line the caret (a UTF-16 offset) is on.
fn indentation_before(text: &str, caret_utf16: usize) -> String {
    let mut units = 0;
    let mut byte = text.len();
    for (i, c) in text.char_indices() {
        if units >= caret_utf16 {
            byte = i;
            break;
        }
        units += c.len_utf16();
    }
    let line_start = text[..byte].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..byte]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Types `text` at the caret as the browser's own edit (undo takes it back).
fn insert_text(text: &str) {
    if let Some(doc) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
    {
        let _ = doc.exec_command_with_show_ui_and_value("insertText", false, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_line_keeps_the_indentation_of_the_caret_line() {
        let text = "allow if {\n\t  input.x\n}";
        let after_x = text.find("x\n").unwrap() + 1;
        assert_eq!(indentation_before(text, after_x), "\t  ");
        assert_eq!(indentation_before(text, 3), "");
        assert_eq!(indentation_before("é\n  a", 4), "  ");
    }

    #[test]
    fn marked_brackets_are_cut_out_of_their_span() {
        assert_eq!(
            split_at_marks("a{b}", 10, Some((11, 13))),
            [
                ("a".to_string(), false),
                ("{".to_string(), true),
                ("b".to_string(), false),
                ("}".to_string(), true)
            ]
        );
        assert_eq!(
            split_at_marks("xy", 0, Some((5, 9))),
            [("xy".to_string(), false)]
        );
        assert_eq!(byte_offset("é😀x", 3), "é😀".len());
    }
}
