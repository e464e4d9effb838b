// Matches the code as written: single quotes, semicolons, trailing commas, 2 spaces,
// long lines (the code keeps one statement per line up to about 140 columns).
/** @type {import('prettier').Config} */
export default {
  printWidth: 140,
  singleQuote: true,
  semi: true,
  trailingComma: 'all',
  arrowParens: 'always',
  bracketSpacing: true,
  endOfLine: 'lf',
};
