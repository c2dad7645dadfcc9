export { applyStylesheet, selectorMatches } from "./apply-stylesheet.js";
export {
  type ParsedStylesheet,
  parseStylesheet,
  type Selector,
  STYLESHEET_PROPERTIES,
  type StyleRule,
  type StylesheetProperty,
} from "./parse-stylesheet.js";
