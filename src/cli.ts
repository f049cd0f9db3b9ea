
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import type { Connection } from 'mongoose';
import { type Config, ConfigError, loadConfig } from './config';
import { createLogger, type Logger } from './platform/logger';

/*
 * The command line loads only what the command it runs needs (each `run` imports its own parts), so
 * `help` and `build-localdb` start without the web app, its features or the database driver.
 */

type Context = { config: Config; connection: Connection; logger: Logger; args: string[]; out: (line: string) => void };
type Command = {
  summary: string;
  usage: string;
  /** false for commands that must run before any database exists */
  needsDatabase?: false;
  run(ctx: Context): Promise<number>;
};

/** The commands, each on the same services the web app uses. Later features add theirs here. */
const commands: Record<string, Command> = {
  'build-localdb': {
    summary: 'Build the local FerretDB database now (otherwise built on first start)',
    usage: 'build-localdb',
    needsDatabase: false,
    async run({ config, logger, out }) {
      const { buildFerretDb } = await import('./platform/database/ferretdb-build');
      const started = Date.now();
      const binary = await buildFerretDb({ info: (m) => logger.info(m), warn: (m) => logger.warn(m) }, config.localDbCache);
      out(`local database ready: ${binary} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return 0;
    },
  },
  'db-info': {
    summary: 'Show which database the platform uses and whether it answers',
    usage: 'db-info',
    async run({ connection, out }) {
      const info = await connection.db!.admin().command({ buildInfo: 1 });
      out(`database: ${connection.name} on ${connection.host}:${connection.port} (server version ${info.version})`);
      return 0;
    },
  },
  seed: {
    summary: 'Validate modules/ and load it into the database (new versions are published)',
    usage: 'seed',
    async run({ connection, out }) {
      const { createContentService, formatPackageError, InvalidContentError } = await import('./features/content');
      const { modulesDir } = await import('./platform/paths');
      const content = createContentService({ connection });
      try {
        for (const r of await content.seedFromFolder(modulesDir)) {
          out(`${r.moduleId}: version ${r.version}${r.created ? ' imported and published' : ' unchanged'}`);
          for (const w of r.warnings) out(`  warning: ${formatPackageError(w)}`);
        }
        return 0;
      } catch (err) {
        if (!(err instanceof InvalidContentError)) throw err;
        out(`modules/ has ${err.errors.length} problem(s); nothing was changed:`);
        for (const e of err.errors) out(`  ${formatPackageError(e)}`);
        return 1;
      }
    },
  },
  'create-user': {
    summary: 'Create an account with a role; the password is read from standard input',
    usage: 'create-user --role admin|trainer|learner --email E --name N [--language en|es|fr]',
    async run({ config, connection, args, out }) {
      let options: Record<string, string | boolean | undefined>;
      try {
        options = parseArgs({
          args,
          options: { role: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, language: { type: 'string' } },
        }).values;
      } catch (err) {
        out(`${(err as Error).message}\nusage: npm run cli -- ${commands['create-user']!.usage}`);
        return 64;
      }
      const { accountsServiceFor, createUserSchema } = await import('./features/accounts');
      const { createI18n } = await import('./platform/i18n');
      const password = await readPassword();
      const form = createUserSchema.safeParse({ ...options, language: options.language ?? 'en', password });
      const t = createI18n().getFixedT('en');
      if (!form.success) {
        for (const issue of form.error.issues) out(`${String(issue.path[0] ?? 'input')}: ${t(issue.message)}`);
        return 65;
      }
      const result = await accountsServiceFor(connection, config.passwordHashing).createUser(form.data);
      if (!result.ok) {
        out(`${result.field}: ${t(result.error)}`);
        return 65;
      }
      out(`created ${result.user.role} ${result.user.email} (id ${result.user.id})`);
      return 0;
    },
  },
  'purge-sessions': {
    summary: 'Delete expired sessions now (the server also does it every 15 minutes)',
    usage: 'purge-sessions',
    async run({ connection, out }) {
      const { purgeExpiredSessions } = await import('./platform/session');
      out(`deleted ${await purgeExpiredSessions(connection)} expired sessions`);
      return 0;
    },
  },
};

/** The first line of standard input: piped in (`echo … | npm run cli -- create-user …`) or typed. */
function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (at least 12 characters), then Enter: ');
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    let line: string | undefined;
    rl.once('line', (first) => {
      line = first;
      rl.close();
    });
    rl.once('close', () => resolve(line ?? ''));
  });
}

function help(out: (l: string) => void) {
  out('Usage: npm run cli -- <command> [options]\n');
  for (const c of Object.values(commands)) out(`  ${c.usage.padEnd(60)} ${c.summary}`);
}

export async function runCli(argv: string[], out = (l: string) => console.log(l)): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    if (name && name !== 'help' && name !== '--help') console.error(`Unknown command: ${name}`);
    help(out);
    return name && name !== 'help' && name !== '--help' ? 64 : 0;
  }
  const config = loadConfig(process.env, { logLevel: 'warn' });
  const logger = createLogger(config.logLevel);
  const log = { info: (m: string) => logger.info(m), warn: (m: string) => logger.warn(m) };
  if (command.needsDatabase === false) {
    return command.run({ config, connection: undefined as unknown as Connection, logger, args, out });
  }
  const { connectWithRetry, openDatabase } = await import('./platform/database');
  const { prepareDatabase } = await import('./bootstrap');
  const db = await openDatabase(config, log);
  const connection = await connectWithRetry(db.uri, { dbName: db.dbName, log: logger, attempts: 3 });
  try {
    await prepareDatabase(connection, logger);
    return await command.run({ config, connection, logger, args, out });
  } finally {
    await connection.close();
    await db.local?.stop();
  }
}


if (require.main === module) {
  runCli(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err) => {
      if (err instanceof ConfigError) console.error(`Configuration error: ${err.problems.join('; ')}`);
      else if (err instanceof Error && err.name === 'LocalDatabaseUnavailable') console.error(err.message);
      else console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
