import { Field, ID, Int, ObjectType } from 'type-graphql';
import { NotificationChannelKind, NotificationStatus } from './notification.enums';

@ObjectType({ description: 'A Slack or Teams incoming webhook of a partner team that receives the notifications its preferences ask for.' })
export class NotificationChannel {
  @Field(() => ID, { description: 'Identifies the channel; pass it to setNotificationPreference or removeNotificationChannel.' })
  id!: string;

  @Field(() => ID, { description: 'The partner (or internal team) the channel belongs to.' })
  partnerId!: string;

  @Field(() => NotificationChannelKind, { description: 'SLACK or TEAMS.' })
  kind!: NotificationChannelKind;

  @Field({ description: 'Your name for it, e.g. "#onboarding"; shown in the notification log.' })
  label!: string;

  @Field({ description: 'Where messages go, with the secret part of the webhook URL hidden: scheme, host and the last 4 characters.' })
  target!: string;

  @Field({ description: 'When the channel was added (UTC).' })
  createdAt!: Date;
}

@ObjectType({ description: 'Whether a person (by e-mail) or a team channel gets one notifiable event type, and how.' })
export class NotificationPreference {
  @Field({ description: 'The event type, e.g. HandoffProposed (see notificationPreferences for every notifiable type).' })
  eventType!: string;

  @Field({ description: 'What the notification is about and whom it concerns.' })
  description!: string;

  @Field(() => NotificationChannelKind, { description: 'EMAIL for a person; SLACK or TEAMS for a channel.' })
  channel!: NotificationChannelKind;

  @Field(() => ID, { nullable: true, description: 'The person it applies to (EMAIL); null for a channel.' })
  personId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The channel it applies to (SLACK, TEAMS); null for a person.' })
  channelId!: string | null;

  @Field({ description: 'Whether the event is notified at all.' })
  enabled!: boolean;

  @Field({ description: 'Held for one daily digest per day instead of sent at once.' })
  digest!: boolean;

  @Field({ description: 'true while nobody chose: the catalog’s default applies (docs/notifications.md).' })
  isDefault!: boolean;
}

@ObjectType({ description: 'One notification to one recipient: the delivery log.' })
export class Notification {
  @Field(() => ID, { description: 'Identifies the notification.' })
  id!: string;

  seq!: string;

  @Field(() => ID, { description: 'The partner (or internal team) of the recipient.' })
  partnerId!: string;

  @Field(() => NotificationChannelKind, { description: 'How it was sent.' })
  channel!: NotificationChannelKind;

  @Field(() => ID, { nullable: true, description: 'The person it was e-mailed to; null for a channel.' })
  personId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The channel it was posted to; null for a person, or once the channel was removed.' })
  channelId!: string | null;

  @Field({ description: 'The e-mail address, or the channel’s label, at the time it was written.' })
  recipient!: string;

  @Field(() => ID, { nullable: true, description: 'The event it tells of; null for a daily digest.' })
  eventId!: string | null;

  @Field({ description: 'The event’s type, or DailyDigest.' })
  eventType!: string;

  @Field({ description: 'The subject line (e-mail) or summary (chat).' })
  subject!: string;

  @Field(() => NotificationStatus, { description: 'PENDING, HELD for a digest, DIGESTED, SENT or FAILED.' })
  status!: NotificationStatus;

  @Field(() => Int, { description: 'Send attempts made so far.' })
  attempts!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Why the last attempt failed (e.g. the SMTP server refused or the webhook answered 500); null after a success.',
  })
  lastError!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (PENDING only).' })
  nextAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was sent (UTC); null until then.' })
  sentAt!: Date | null;

  @Field({ description: 'When it was written (UTC).' })
  createdAt!: Date;
}
