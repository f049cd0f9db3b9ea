
import type { Connection } from 'mongoose';
import { prepareDatabase } from './bootstrap';
import { ConfigError, loadConfig } from './config';
import { createContentService, formatPackageError, InvalidContentError } from './features/content';
import { buildFerretDb, connectWithRetry, LocalDatabaseUnavailable } from './platform/database';
import { createLogger, type Logger } from './platform/logger';
import { modulesDir } from './platform/paths';
import { purgeExpiredSessions } from './platform/session';
import { openDatabase } from './server';

type Context = { connection: Connection; logger: Logger; args: string[]; out: (line: string) => void };
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
    async run({ logger, out }) {
      const started = Date.now();
      const binary = await buildFerretDb({ info: (m) => logger.info(m), warn: (m) => logger.warn(m) });
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
      const content = createContentService({ connection });
      try {
        for (const r of await content.seedFromFolder(modulesDir)) {
          out(`${r.moduleId}: version ${r.version}${r.created ? ' imported and published' : ' unchanged'}`);
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
  'purge-sessions': {
    summary: 'Delete expired sessions now (the server also does it every 15 minutes)',
    usage: 'purge-sessions',
    async run({ connection, out }) {
      out(`deleted ${await purgeExpiredSessions(connection)} expired sessions`);
      return 0;
    },
  },
};

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
  const config = loadConfig(process.env);
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const log = { info: (m: string) => logger.info(m), warn: (m: string) => logger.warn(m) };
  if (command.needsDatabase === false) {
    return command.run({ connection: undefined as unknown as Connection, logger, args, out });
  }
  const db = await openDatabase(config, log);
  const connection = await connectWithRetry(db.uri, { dbName: db.dbName, log: logger, attempts: 3 });
  try {
    await prepareDatabase(connection, logger);
    return await command.run({ connection, logger, args, out });
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
      else if (err instanceof LocalDatabaseUnavailable) console.error(err.message);
      else console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
