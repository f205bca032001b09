export { BC_DEFAULTS, BCConfig } from './config.js';
