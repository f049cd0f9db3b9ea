export { type Config, ConfigError, type CookieSecurity, configWarnings, databaseNamedIn, loadConfig } from './config';
