// The parts of CodeMirror 6 the query page uses, bundled into one file and exposed as one global
// (server/http/static/query.js wires them up). Built by build.mjs; see README.md.
export { EditorState, Compartment } from "@codemirror/state";
export {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  drawSelection,
  placeholder,
} from "@codemirror/view";
export {
  StreamLanguage,
  syntaxHighlighting,
  defaultHighlightStyle,
  bracketMatching,
  indentOnInput,
} from "@codemirror/language";
export { sparql } from "@codemirror/legacy-modes/mode/sparql";
export { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
export {
  autocompletion,
  completionKeymap,
  closeBrackets,
  closeBracketsKeymap,
  startCompletion,
  currentCompletions,
} from "@codemirror/autocomplete";
export { setDiagnostics, lintGutter, forEachDiagnostic } from "@codemirror/lint";
