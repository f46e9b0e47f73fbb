// Settings of `cem analyze` (npm run docs): the manifest of the widget, from its JSDoc.
// packagejson: false, so that an analysis into another folder (the docs test) never rewrites package.json.
export default {
  globs: ['widget/**/*.ts'],
  // The stylesheet is not API: its text would only make every style change a manifest change.
  // The organisers' console (widget/console/) is a page of this server, not an element for towns' sites.
  exclude: ['widget/**/*.styles.ts', 'widget/console/**'],
  litelement: true,
  packagejson: false,
};
