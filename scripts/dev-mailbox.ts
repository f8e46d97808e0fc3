import type { HubConfig } from '../shared/config';
import { DevMailbox } from '../shared/dev/dev-mailbox';
import type { Logger } from '../shared/logger';

/**
 * In development, when no SMTP server is configured (HUB_SMTP_HOST unset), the runner
 * starts a local one that keeps what it receives in memory and points the hub's SMTP at it:
 * the demo shows the e-mails a proposal sends at the gateway's /dev/mail. Anywhere else
 * (tests, production, a configured server) it does nothing.
 */
export async function startDevMailbox(
  config: HubConfig,
  log: Logger,
): Promise<{ mailbox: DevMailbox; config: HubConfig; stop: () => Promise<void> } | undefined> {
  if (config.env !== 'development' || config.notifications.smtp.host || !config.services.includes('accounts')) return undefined;
  const mailbox = await new DevMailbox(0, '127.0.0.1').start();
  log.info({ port: mailbox.port }, 'development mailbox listening; notification e-mails appear at /dev/mail');
  return {
    mailbox,
    config: {
      ...config,
      notifications: { ...config.notifications, smtp: { ...config.notifications.smtp, host: '127.0.0.1', port: mailbox.port, tls: 'none', user: undefined } },
    },
    stop: () => mailbox.stop(),
  };
}
