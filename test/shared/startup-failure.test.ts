import { ConfigError, loadConfig } from '../../shared/config';
import { describeStartupFailure, formatStartupFailure, StartupError } from '../../shared/server/startup-failure';

/** Whatever a start throws, the person starting it reads what failed and what to do. */
describe('start-up failures', () => {
  const config = loadConfig({ ACCOUNTS_PORT: '4101', GATEWAY_PORT: '4100' });
  const listenError = (port: number) =>
    Object.assign(new Error(`listen EADDRINUSE: address already in use 127.0.0.1:${port}`), {
      code: 'EADDRINUSE',
      syscall: 'listen',
      address: '127.0.0.1',
      port,
    });

  it('names the variable of a port that is taken', () => {
    expect(describeStartupFailure(listenError(4101), config)).toEqual({
      what: 'port 127.0.0.1:4101 is already in use',
      todo: expect.stringContaining('ACCOUNTS_PORT'),
    });
    expect(describeStartupFailure(listenError(4100), config).todo).toContain('GATEWAY_PORT');
    expect(describeStartupFailure(listenError(4999), config).todo).toContain('choose another port');
  });

  it('says which path it may not write', () => {
    const err = Object.assign(new Error("EACCES: permission denied, mkdir '/srv/pg'"), { code: 'EACCES', syscall: 'mkdir', path: '/srv/pg' });
    expect(describeStartupFailure(err, config)).toEqual({ what: 'no permission to write /srv/pg (EACCES)', todo: expect.stringContaining('HUB_DATA_DIR') });
  });

  it('points at DATABASE_URL when the database cannot be reached', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(describeStartupFailure(err, config)).toEqual({
      what: 'cannot use the database: connect ECONNREFUSED 127.0.0.1:5432',
      todo: expect.stringContaining('DATABASE_URL'),
    });
  });

  it('keeps the advice a StartupError or ConfigError carries', () => {
    expect(describeStartupFailure(new StartupError('the embedded PostgreSQL did not start', 'move the data away'))).toEqual({
      what: 'the embedded PostgreSQL did not start',
      todo: 'move the data away',
    });
    expect(describeStartupFailure(new ConfigError('Invalid configuration:\n  GATEWAY_PORT: too big')).what).toContain('GATEWAY_PORT');
  });

  it.each([undefined, null, '', new Error(''), 42])('never prints an empty reason (%p thrown)', (thrown) => {
    const text = formatStartupFailure(thrown, config);
    expect(text).toMatch(/^Start-up failed: \S.*\n {2}What to do: \S/);
    expect(text).not.toMatch(/^Start-up failed: (undefined)?$/m);
  });
});
