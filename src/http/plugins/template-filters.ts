import nunjucks from 'nunjucks';

/**
 * Nunjucks' `trim`, which the NHS.UK macros apply to most of what they render, with the same
 * result: String.prototype.trim removes exactly what the built-in's /^\s*|\s*$/g does (white
 * space and line terminators, ECMA-262), and the result stays marked safe when its input was.
 * The built-in's regular expression rescans every run of white space in the macros' output, a
 * real share of each page's template time (docs/performance.md).
 */
export function trimFilter(value: unknown): unknown {
  const SafeString = nunjucks.runtime.SafeString;
  if (value instanceof SafeString) {
    return new SafeString(value.toString().trim());
  }
  return typeof value === 'string' ? value.trim() : value;
}
