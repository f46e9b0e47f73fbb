/** Bundle entry of dist/admin/console.js: the organisers' console, loaded by demo/admin/index.html. */
import './define.js';
