import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout; secrets are redacted wherever they appear in a log object. */
export function createLogger(name: string, level: pino.LevelWithSilent = 'info'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['authorization', 'headers.authorization', '*.authorization', 'apiKey', '*.apiKey', 'secret', '*.secret', 'password', '*.password'],
      censor: '[redacted]',
    },
  });
}
