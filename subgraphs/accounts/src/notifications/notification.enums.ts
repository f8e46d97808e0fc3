import { registerEnumType } from 'type-graphql';

/** Where a notification goes. */
export enum NotificationChannelKind {
  /** A person's own e-mail address (accounts.people); every person has this channel. */
  EMAIL = 'EMAIL',
  /** A Slack incoming webhook of a partner team. */
  SLACK = 'SLACK',
  /** A Microsoft Teams incoming webhook of a partner team. */
  TEAMS = 'TEAMS',
}

export enum NotificationStatus {
  PENDING = 'PENDING',
  HELD = 'HELD',
  DIGESTED = 'DIGESTED',
  SENT = 'SENT',
  FAILED = 'FAILED',
}

registerEnumType(NotificationChannelKind, {
  name: 'NotificationChannelKind',
  description: 'How a notification reaches its recipient.',
  valuesConfig: {
    EMAIL: { description: 'E-mail to a person, at their own address only.' },
    SLACK: { description: 'A message to a Slack incoming-webhook URL of a partner team.' },
    TEAMS: { description: 'A message card to a Microsoft Teams incoming-webhook URL of a partner team.' },
  },
});

registerEnumType(NotificationStatus, {
  name: 'NotificationStatus',
  description: 'Where a notification stands.',
  valuesConfig: {
    PENDING: { description: 'Queued or being retried, with a backoff that doubles per attempt (with jitter).' },
    HELD: { description: 'Held for the recipient’s daily digest of that day.' },
    DIGESTED: { description: 'Sent as part of a daily digest (see the DailyDigest notification).' },
    SENT: { description: 'The SMTP server accepted the e-mail, or the chat webhook answered 2xx.' },
    FAILED: { description: 'Retries ran out (by default after 3 days), or the recipient no longer exists.' },
  },
});
